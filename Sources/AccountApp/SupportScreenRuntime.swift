import AccountCore
public import AccountView
import FoundationEssentials

/// Runs the support screen: interprets its ``SupportEffect``s with an ``AdminSession``.
///
/// The same loop as the account screen's: draw, wait for keys, resizes, signals or finished
/// calls, update, start the calls as tasks whose results come back as events.
public final class SupportScreenRuntime {
  private let session: AdminSession
  private let terminal: any TerminalPort
  private let mailbox: Mailbox<SupportEvent>
  private var state: SupportScreenState
  private var repaintNext = false

  /// A runtime for `session` on an open terminal.
  public init(session: AdminSession, terminal: any TerminalPort) throws {
    self.session = session
    self.terminal = terminal
    self.mailbox = try Mailbox()
    self.state = SupportScreenState(
      userPool: session.context.userPoolID, readOnly: session.context.readOnly,
      size: terminal.size, lineStyle: terminal.lineStyle)
  }

  /// Runs until the user quits or a signal arrives; closes the terminal; returns the exit code.
  public func run() -> Int32 {
    state.busy = .identity
    start(.identify)
    while true {
      terminal.draw(SupportRenderer.render(state), repaint: repaintNext)
      repaintNext = false
      if state.quitting { break }
      for input in terminal.waitForInput(wakeFD: mailbox.readFD) {
        switch input {
        case .key(.redraw):
          repaintNext = true
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

  private func apply(_ event: SupportEvent) {
    let (next, effects) = SupportUpdate.update(state, event)
    state = next
    for effect in effects { start(effect) }
  }

  private func start(_ effect: SupportEffect) {
    let mailbox = self.mailbox
    let session = self.session
    Task.detached {
      mailbox.post(await SupportWork.perform(effect, session))
    }
  }
}

/// The work behind each support-screen effect: an ``AdminSession`` call, its result as an event.
enum SupportWork {
  /// One call and its result event.
  static func perform(_ effect: SupportEffect, _ session: AdminSession) async -> SupportEvent {
    do {
      switch effect {
      case .identify:
        return .identified(try await session.whoAmI().arn)
      case .search(let filter, let token):
        let page = try await session.listUsers(
          filter: filter, limit: SupportRules.maximumPageSize, nextToken: token)
        return .page(page.users.map(\.summary), nextToken: page.nextToken, first: token == nil)
      case .loadUser(let username):
        return .userLoaded(try await session.user(username).summary)
      case .write(let write, let user, let reason):
        let line: String
        switch write {
        case .remove(let attributes):
          let actions = session.attributeActions(
            for: user.username, sub: user.sub, reason: reason)
          let plan = try await actions.planRemoval(of: attributes.map(\.name))
          let report = try await actions.remove(plan)
          line =
            report.isComplete
            ? "Removed \(report.removed.count) attribute\(report.removed.count == 1 ? "" : "s")"
              + " from \(user.username); logged with the reason"
            : "\(report.notRemoved.count) attribute(s) were not removed"
        case .edit(let edit):
          let actions = session.attributeActions(
            for: user.username, sub: user.sub, reason: reason)
          let plan = try await actions.planEdit([(edit.name, edit.new)])
          let report = try await actions.applyEdit(plan)
          line =
            report.failed.isEmpty
            ? "Changed \(edit.name) of \(user.username); logged with the reason"
            : "\(edit.name) did not change"
        case .action(let action):
          let current = try await session.user(user.username)
          try await session.perform(action, on: current, reason: reason)
          line = "\(action.operation): done for \(user.username); logged with the reason"
        }
        // The write is done: a failed read-back must not make it look failed (a second
        // reset-password would send a second code).
        do {
          return .written(try await session.user(user.username).summary, line, .info)
        } catch {
          return .written(
            user, line + "; reading the user again failed: " + StatusLine(error: error).text,
            .warning)
        }
      }
    } catch {
      return .failed(error)
    }
  }
}
