public import AccountCore
public import AccountView
import CognitoClient
import FoundationEssentials
import Glibc
public import Keyfile
import QRCode
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the account screen: the only place that interprets ``TUIEffect``s.
///
/// The loop draws the screen for the current state, waits (no timer) for keys, resizes, signals
/// or finished effects, feeds each to ``TUIUpdate/update(_:_:)``, and starts the effects it
/// returns as tasks whose results come back as events. State is touched only by the loop.
public final class ScreenRuntime {
  /// Set up for the account screen; `nil` on the set-up form.
  private let actions: AccountActions?
  /// Set up for the set-up form.
  private let saveProfile: ProfileSaver?
  private let terminal: any TerminalPort
  private let mailbox: Mailbox<TUIEvent>
  private var state: TUIState
  private var repaintNext = false

  private let notice: StatusMessage?
  private let passphrase: DeferredPassphrase?
  /// The issuer an authenticator app shows for a secret set up here.
  private let totpIssuer: String

  /// Creates a runtime on an open terminal; `notice` (why the stored session cannot be used,
  /// or that a profile was just set up) is shown on the sign-in form. With `storeAfterSignIn`, a sign-in here is not written until
  /// the screen has asked for the keyfile's passphrase, which goes into `passphrase` (the
  /// keyfile's source).
  public init(
    actions: AccountActions, terminal: any TerminalPort, header: HeaderInfo, signedIn: Bool,
    notice: StatusMessage? = nil, storeAfterSignIn: StorePrompt? = nil,
    passphrase: DeferredPassphrase? = nil, totpIssuer: String = "Cognito"
  ) throws {
    self.totpIssuer = totpIssuer
    self.actions = actions
    self.saveProfile = nil
    self.terminal = terminal
    self.mailbox = try Mailbox()
    self.state = TUIState(
      header: header, size: terminal.size, signedIn: signedIn, lineStyle: terminal.lineStyle)
    self.state.storeAfterSignIn = storeAfterSignIn
    self.notice = notice
    self.passphrase = passphrase
  }

  /// Creates a runtime for the set-up form: it ends when the user quits (the terminal is then
  /// closed) or when `save` has checked and written the profile (the terminal stays open for
  /// the account screen; see ``profileSaved``).
  public init(setUpOn terminal: any TerminalPort, form: SetupForm, save: @escaping ProfileSaver)
    throws
  {
    self.actions = nil
    self.totpIssuer = "Cognito"
    self.saveProfile = save
    self.terminal = terminal
    self.mailbox = try Mailbox()
    self.state = TUIState(setup: form, size: terminal.size, lineStyle: terminal.lineStyle)
    self.notice = nil
    self.passphrase = nil
  }

  /// Whether the set-up form wrote its profile (and left the terminal open).
  public var profileSaved: Bool { state.profileSaved }

  /// The status bar's text when the run ended.
  public var statusText: String? { state.status?.text }

  /// The line to print once the screen has closed (the account closed, signed out
  /// everywhere), if any.
  public var farewell: String? { state.farewell }

  /// Runs until the user quits or a signal arrives; closes the terminal; returns the exit code.
  public func run() -> Int32 {
    if state.setup != nil {
      // The form's own status line is already set.
    } else if state.signIn == nil {
      state.busy = .loading
      start(.loadAttributes)
    } else {
      state.status =
        notice
        ?? StatusMessage(.info, "Sign in to \(state.header.context)")
    }
    while true {
      terminal.draw(AccountRenderer.render(state), repaint: repaintNext)
      repaintNext = false
      if state.profileSaved { return StatusLine.ExitCode.success }
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
    let mailbox = self.mailbox
    if case .saveProfile(let draft) = effect, let save = saveProfile {
      Task.detached { mailbox.post(await EffectWork.saveProfile(draft, save)) }
      return
    }
    guard let actions = self.actions else { return }
    switch effect {
    case .saveProfile:
      break
    case .repaint:
      repaintNext = true
    case .loadAttributes:
      Task.detached { mailbox.post(await EffectWork.load(actions)) }
    case .removeAttributes(let names):
      let requested = state.attributes.filter { names.contains($0.name) }
      Task.detached { mailbox.post(await EffectWork.remove(requested, actions)) }
    case .restoreAttributes(let attributes):
      Task.detached { mailbox.post(await EffectWork.restore(attributes, actions)) }
    case .signIn(let username, let password):
      let storing = state.storeAfterSignIn == nil
      let enrolment = enrolmentMaker()
      Task.detached {
        mailbox.post(
          await EffectWork.signIn(username, password, storing, actions, mailbox, enrolment))
      }
    case .storeSession(let secret):
      passphrase?.set(secret)
      Task.detached { mailbox.post(await EffectWork.store(actions)) }
    case .keepInMemory:
      Task.detached { await actions.keepInMemoryOnly() }
    case .saveEdits(let edits):
      Task.detached { mailbox.post(await EffectWork.save(edits, actions)) }
    case .undoEdits(let edits):
      Task.detached { mailbox.post(await EffectWork.undo(edits, actions)) }
    case .sendCode(let name):
      Task.detached { mailbox.post(await EffectWork.sendCode(name, actions)) }
    case .verifyCode(let name, let code):
      Task.detached { mailbox.post(await EffectWork.verify(name, code, actions)) }
    case .changePassword(let current, let new):
      Task.detached { mailbox.post(await EffectWork.changePassword(current, new, actions)) }
    case .answerChallenge(let reply):
      switch reply {
      case .newPassword(let password): mailbox.answer(.newPassword(password))
      case .code(let code): mailbox.answer(.code(code))
      case .mfaType(let type): mailbox.answer(.mfaType(type))
      case .totpSetup(let code, let name): mailbox.answer(.totpSetup(code: code, deviceName: name))
      }
    default:
      startSecurity(effect, actions)
    }
  }

  /// Makes the enrolment dialog's state for a secret: the otpauth URI's QR code in the style
  /// the terminal shows (half blocks, or `##` where line drawing is ASCII).
  private func enrolmentMaker() -> @Sendable (Sensitive, String) -> TOTPEnrolment {
    let issuer = totpIssuer
    let style: QRText.Style = state.lineStyle == .unicode ? .utf8 : .ascii
    return { secret, account in
      let uri = TOTPURI.make(issuer: issuer, account: account, secret: secret)
      let picture: QRPicture
      switch QRMatrix.encode(uri.reveal) {
      case .success(let matrix): picture = .lines(QRText.lines(matrix, style: style))
      case .failure(let error): picture = .unavailable(error.description)
      }
      return TOTPEnrolment(
        groupedSecret: TOTPURI.grouped(secret), picture: picture,
        label: TerminalText.escape(issuer) + ": " + TerminalText.escape(account))
    }
  }

  /// Starts a Security-view effect.
  private func startSecurity(_ effect: TUIEffect, _ actions: AccountActions) {
    let mailbox = self.mailbox
    func post(_ work: @escaping @Sendable () async throws(AccountError) -> TUIEvent) {
      Task.detached {
        do throws(AccountError) {
          mailbox.post(try await work())
        } catch {
          mailbox.post(.securityFailed(error))
        }
      }
    }
    switch effect {
    case .loadSecurity:
      Task.detached { mailbox.post(await EffectWork.loadSecurity(actions)) }
    case .setMFA(let method, let change):
      post { () throws(AccountError) -> TUIEvent in
        .mfaChanged(try await actions.setMFA(method, change))
      }
    case .associateTOTP:
      let makeEnrolment = enrolmentMaker()
      let account = state.header.username ?? ""
      post { () throws(AccountError) -> TUIEvent in
        TUIEvent.totpSecret(makeEnrolment(try await actions.associateTOTP(), account))
      }
    case .enrolTOTP(let code, let name):
      post { () throws(AccountError) -> TUIEvent in
        .totpEnrolled(try await actions.enrolTOTP(code: code, deviceName: name))
      }
    case .forgetDevice(let key):
      post { () throws(AccountError) -> TUIEvent in
        try await actions.forgetDevice(key)
        return .deviceForgotten(key)
      }
    case .setDeviceRemembered(let key, let remembered):
      post { () throws(AccountError) -> TUIEvent in
        try await actions.setDeviceRemembered(key, remembered)
        return .deviceRememberedChanged(key, remembered: remembered)
      }
    case .deletePasskey(let id):
      post { () throws(AccountError) -> TUIEvent in
        try await actions.deletePasskey(id)
        return .passkeyDeleted(id)
      }
    case .signOutEverywhere:
      post { () throws(AccountError) -> TUIEvent in
        .signedOutEverywhere(try await actions.signOut(everywhere: true).warnings)
      }
    case .closeAccount:
      post { () throws(AccountError) -> TUIEvent in .accountClosed(try await actions.closeAccount())
      }
    default:
      break
    }
  }
}

/// Checks a set-up form's draft with Cognito and writes it as the profile; returns the line to
/// show. The command supplies it (it knows the flags, the environment and the config path).
public typealias ProfileSaver = @Sendable (ProfileDraft) async throws(ProfileSetupError) -> String

/// Why the set-up form's profile was not saved, and the line at fault when one is.
public struct ProfileSetupError: Error, Sendable {
  /// What went wrong.
  public var error: AccountError
  /// The form's line to go back to.
  public var field: SetupField?

  /// Creates an error.
  public init(_ error: AccountError, field: SetupField?) {
    self.error = error
    self.field = field
  }
}

/// The work behind each effect: an ``AccountActions`` call, its outcome as the result event.
enum EffectWork {
  static func saveProfile(_ draft: ProfileDraft, _ save: ProfileSaver) async -> TUIEvent {
    do {
      return .profileSaved(try await save(draft))
    } catch {
      return .profileFailed(error.error, field: error.field)
    }
  }

  static func load(_ actions: AccountActions) async -> TUIEvent {
    do {
      let user = try await actions.load()
      return .attributesLoaded(username: user.username, AccountActions.attributes(user))
    } catch {
      return .loadFailed(error)
    }
  }

  static func remove(_ requested: [Attribute], _ actions: AccountActions) async -> TUIEvent {
    do {
      return .removalFinished(try await actions.remove(RemovalPlan(attributes: requested)))
    } catch {
      return .removalFailed(error)
    }
  }

  static func restore(_ restored: [Attribute], _ actions: AccountActions) async -> TUIEvent {
    do {
      return .restoreFinished(restored: restored, after: try await actions.restore(restored))
    } catch {
      return .restoreFailed(error)
    }
  }

  static func save(_ edits: [AttributeEdit], _ actions: AccountActions) async -> TUIEvent {
    do {
      return .editFinished(try await actions.applyEdit(EditPlan(edits: edits)))
    } catch {
      return .editFailed(error)
    }
  }

  static func undo(_ edits: [AttributeEdit], _ actions: AccountActions) async -> TUIEvent {
    do {
      let (after, deliveries) = try await actions.undoEdits(edits)
      return .undoEditsFinished(undone: edits, after: after, deliveries: deliveries)
    } catch {
      return .undoEditsFailed(error)
    }
  }

  static func sendCode(_ name: String, _ actions: AccountActions) async -> TUIEvent {
    do {
      return .codeSent(try await actions.sendVerificationCode(for: name))
    } catch {
      return .codeFailed(error)
    }
  }

  static func verify(_ name: String, _ code: Sensitive, _ actions: AccountActions) async
    -> TUIEvent
  {
    do {
      return .verified(name: name, after: try await actions.verify(name, code: code))
    } catch {
      return .verifyFailed(error)
    }
  }

  static func changePassword(_ current: Sensitive, _ new: Sensitive, _ actions: AccountActions)
    async -> TUIEvent
  {
    do {
      try await actions.changePassword(current: current, new: new)
      return .passwordChanged
    } catch {
      return .passwordChangeFailed(error)
    }
  }

  static func store(_ actions: AccountActions) async -> TUIEvent {
    do {
      try await actions.storeSession()
      return .sessionStored
    } catch {
      return .storeFailed(error)
    }
  }

  static func loadSecurity(_ actions: AccountActions) async -> TUIEvent {
    // One request per list, all three at once.
    async let mfa = result { () throws(AccountError) in try await actions.mfaState() }
    async let devices = result { () throws(AccountError) in try await actions.devices() }
    async let passkeys = result { () throws(AccountError) in try await actions.passkeys() }
    return .securityLoaded(
      SecurityLoad(mfa: await mfa, devices: await devices, passkeys: await passkeys))
  }

  private static func result<T: Sendable>(
    _ work: @Sendable () async throws(AccountError) -> T
  ) async -> Result<T, AccountError> {
    do {
      return .success(try await work())
    } catch {
      return .failure(error)
    }
  }

  static func signIn(
    _ username: String, _ password: Sensitive, _ storing: Bool, _ actions: AccountActions,
    _ mailbox: Mailbox<TUIEvent>,
    _ enrolment: @escaping @Sendable (Sensitive, String) -> TOTPEnrolment
  ) async -> TUIEvent {
    do {
      let name = try await actions.signIn(
        username: username, password: password,
        responder: { challenge throws(AccountError) in
          mailbox.post(.signInChallenge(prompt(for: challenge, enrolment)))
          return await mailbox.nextAnswer()
        }, storing: storing, readingKeyfile: false)
      return .signedIn(username: name)
    } catch {
      return .signInFailed(error)
    }
  }

  static func prompt(
    for challenge: PendingChallenge, _ enrolment: (Sensitive, String) -> TOTPEnrolment
  ) -> ChallengePrompt {
    switch challenge.kind {
    case .newPasswordRequired: .newPassword
    case .softwareTokenMFA: .code(kind: "authenticator app", destination: nil)
    case .smsMFA: .code(kind: "SMS", destination: challenge.codeDestination)
    case .emailOTP: .code(kind: "email", destination: challenge.codeDestination)
    case .selectMFAType(let options): .chooseMFA(options: options)
    case .softwareTokenSetup(let secret):
      .setUpApp(
        {
          var value = enrolment(secret, challenge.username)
          value.notice =
            challenge.previousAnswerRefused
            ? "That code was refused: type the app's current code" : nil
          return value
        }())
    case .unsupported, .mfaSetup: .code(kind: challenge.name, destination: nil)
    }
  }
}

/// Where effect tasks leave their results: a locked queue plus a pipe that wakes the loop.
/// (The sign-in challenge's answers pass the other way, for the account screen.)
final class Mailbox<Event: Sendable>: Sendable {
  let readFD: Int32
  private let writeFD: Int32
  private let events = Mutex<[Event]>([])
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

  func post(_ event: Event) {
    events.withLock { $0.append(event) }
    var byte: UInt8 = 1
    _ = write(writeFD, &byte, 1)
  }

  func take() -> [Event] {
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
