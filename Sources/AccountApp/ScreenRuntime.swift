public import AccountCore
import AccountView
import CognitoClient
import Foundation
import Keyfile
import Synchronization
public import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the account screen: the only place that interprets ``TUIEffect``s.
///
/// The loop draws the screen for the current state, waits (no timer) for keys, resizes, signals
/// or finished effects, feeds each to ``TUIUpdate/update(_:_:)``, and starts the effects it
/// returns as tasks whose results come back as events. State is touched only by the loop.
public final class ScreenRuntime {
  private let session: SessionManager
  private let terminal: Terminal
  private let mailbox: Mailbox
  private var state: TUIState
  private var repaintNext = false

  private let notice: String?

  /// Creates a runtime on an open terminal; `notice` (why the stored session cannot be used)
  /// is shown on the sign-in form.
  public init(
    session: SessionManager, terminal: Terminal, header: HeaderInfo, signedIn: Bool,
    notice: String? = nil
  ) throws {
    self.session = session
    self.terminal = terminal
    self.mailbox = try Mailbox()
    self.state = TUIState(header: header, size: terminal.size, signedIn: signedIn)
    self.notice = notice
  }

  /// Runs until the user quits or a signal arrives; closes the terminal; returns the exit code.
  public func run() -> Int32 {
    if state.signIn == nil {
      state.busy = .loading
      start(.loadAttributes)
    } else {
      state.status =
        notice.map { StatusMessage(.error, $0) }
        ?? StatusMessage(.info, "Sign in to \(state.header.context)")
    }
    while true {
      terminal.draw(AccountRenderer.render(state), repaint: repaintNext)
      repaintNext = false
      if state.quitting { break }
      for input in terminal.waitForInput(wakeFD: mailbox.readFD) {
        switch input {
        case .key(let key): apply(.key(key))
        case .resized(let size):
          apply(.resized(size))
          repaintNext = true
        case .signal(let number):
          terminal.close()
          return 128 + number
        case .woken:
          for event in mailbox.take() { apply(event) }
        }
      }
    }
    terminal.close()
    return StatusLine.ExitCode.success
  }

  private func apply(_ event: TUIEvent) {
    let (next, effects) = TUIUpdate.update(state, event)
    state = next
    for effect in effects { start(effect) }
  }

  private func start(_ effect: TUIEffect) {
    let session = self.session
    let mailbox = self.mailbox
    switch effect {
    case .repaint:
      repaintNext = true
    case .loadAttributes:
      Task.detached { mailbox.post(await EffectWork.load(session)) }
    case .removeAttributes(let names):
      let requested = state.attributes.filter { names.contains($0.name) }
      Task.detached { mailbox.post(await EffectWork.remove(requested, session)) }
    case .restoreAttributes(let attributes):
      Task.detached { mailbox.post(await EffectWork.restore(attributes, session)) }
    case .signIn(let username, let password):
      Task.detached { mailbox.post(await EffectWork.signIn(username, password, session, mailbox)) }
    case .answerChallenge(let reply):
      switch reply {
      case .newPassword(let password): mailbox.answer(.newPassword(password))
      case .code(let code): mailbox.answer(.code(code))
      case .mfaType(let type): mailbox.answer(.mfaType(type))
      }
    }
  }
}

/// The work behind each effect, as plain functions returning the result event.
enum EffectWork {
  static func load(_ session: SessionManager) async -> TUIEvent {
    do {
      let user = try await getUser(session)
      return .attributesLoaded(username: user.username, attributes(user))
    } catch {
      return .loadFailed(error)
    }
  }

  static func remove(_ requested: [Attribute], _ session: SessionManager) async
    -> TUIEvent
  {
    let names = requested.map(\.name)
    do {
      try await session.withAccessToken { token throws(CognitoError) in
        try await session.client.deleteUserAttributes(names: names, accessToken: token)
      }
      let after = try await getUser(session)
      return .removalFinished(requested: requested, after: attributes(after))
    } catch {
      return .removalFailed(error)
    }
  }

  static func restore(_ restored: [Attribute], _ session: SessionManager) async
    -> TUIEvent
  {
    do {
      _ = try await session.withAccessToken { token throws(CognitoError) in
        try await session.client.updateUserAttributes(
          restored.map { AttributeType(name: $0.name, value: $0.value) }, accessToken: token)
      }
      let after = try await getUser(session)
      return .restoreFinished(restored: restored, after: attributes(after))
    } catch {
      return .restoreFailed(error)
    }
  }

  static func signIn(
    _ username: String, _ password: Sensitive, _ session: SessionManager, _ mailbox: Mailbox
  ) async -> TUIEvent {
    do {
      let signedIn = try await session.signIn(
        username: username, password: password,
        responder: { challenge throws(AccountError) in
          mailbox.post(.signInChallenge(prompt(for: challenge)))
          return await mailbox.nextAnswer()
        })
      return .signedIn(username: signedIn.username)
    } catch {
      return .signInFailed(error)
    }
  }

  static func getUser(_ session: SessionManager) async throws(AccountError)
    -> GetUserResponse
  {
    try await session.withAccessToken { token throws(CognitoError) in
      try await session.client.getUser(accessToken: token)
    }
  }

  static func attributes(_ user: GetUserResponse) -> [Attribute] {
    user.userAttributes.map { Attribute(name: $0.name, value: $0.value ?? "") }
  }

  static func prompt(for challenge: PendingChallenge) -> ChallengePrompt {
    switch challenge.kind {
    case .newPasswordRequired: .newPassword
    case .softwareTokenMFA: .code(kind: "authenticator app", destination: nil)
    case .smsMFA: .code(kind: "SMS", destination: challenge.codeDestination)
    case .emailOTP: .code(kind: "email", destination: challenge.codeDestination)
    case .selectMFAType(let options): .chooseMFA(options: options)
    case .unsupported: .code(kind: challenge.name, destination: nil)
    }
  }
}

/// Where effect tasks leave their results: a locked queue plus a pipe that wakes the loop.
final class Mailbox: Sendable {
  let readFD: Int32
  private let writeFD: Int32
  private let events = Mutex<[TUIEvent]>([])
  private let answers = Mutex<
    (waiting: CheckedContinuation<ChallengeAnswer, Never>?, ready: ChallengeAnswer?)
  >((nil, nil))

  init() throws {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
    for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    readFD = fds[0]
    writeFD = fds[1]
  }

  deinit {
    close(readFD)
    close(writeFD)
  }

  func post(_ event: TUIEvent) {
    events.withLock { $0.append(event) }
    var byte: UInt8 = 1
    _ = write(writeFD, &byte, 1)
  }

  func take() -> [TUIEvent] {
    events.withLock { queue in
      defer { queue.removeAll() }
      return queue
    }
  }

  /// Suspends the sign-in task until the screen sends the challenge's answer.
  func nextAnswer() async -> ChallengeAnswer {
    await withCheckedContinuation { continuation in
      let ready = answers.withLock { slot -> ChallengeAnswer? in
        if let ready = slot.ready {
          slot.ready = nil
          return ready
        }
        slot.waiting = continuation
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  func answer(_ answer: ChallengeAnswer) {
    let waiting = answers.withLock { slot -> CheckedContinuation<ChallengeAnswer, Never>? in
      guard let waiting = slot.waiting else {
        slot.ready = answer
        return nil
      }
      slot.waiting = nil
      return waiting
    }
    waiting?.resume(returning: answer)
  }
}
