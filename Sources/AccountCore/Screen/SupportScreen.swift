/// The support mode's screen (`cognito-account admin`): a search over the pool's users, then
/// one user's attributes and account actions. A plain value and a pure update, as the account
/// screen is; ``SupportUpdate/update(_:_:)`` returns the calls to make as effects.

/// One user as the support screen shows it.
public struct SupportUser: Sendable, Hashable {
  /// The user name.
  public var username: String
  /// The `sub` attribute, if present.
  public var sub: String?
  /// `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, …
  public var status: String
  /// Whether the user may sign in.
  public var enabled: Bool
  /// Seconds since 1970.
  public var created: Double?
  /// The attributes, in Cognito's order.
  public var attributes: [Attribute]
  /// The groups (empty in search results).
  public var groups: [String]

  /// Creates a user.
  public init(
    username: String, sub: String?, status: String, enabled: Bool, created: Double?,
    attributes: [Attribute], groups: [String]
  ) {
    self.username = username
    self.sub = sub
    self.status = status
    self.enabled = enabled
    self.created = created
    self.attributes = attributes
    self.groups = groups
  }

  /// The value of attribute `name`.
  public func value(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
}

/// An account-level action of the support mode, each reviewed and audited.
public enum SupportAction: String, Sendable, Hashable, CaseIterable {
  /// `AdminUserGlobalSignOut`.
  case signOut = "signout"
  /// `AdminDisableUser`.
  case disable
  /// `AdminEnableUser`.
  case enable
  /// `AdminResetUserPassword`.
  case resetPassword = "reset-password"

  /// The Cognito operation.
  public var operation: String {
    switch self {
    case .signOut: "AdminUserGlobalSignOut"
    case .disable: "AdminDisableUser"
    case .enable: "AdminEnableUser"
    case .resetPassword: "AdminResetUserPassword"
    }
  }

  /// What it does, for the review.
  public var consequence: String {
    switch self {
    case .signOut: "every session of the user ends; their apps ask them to sign in again"
    case .disable: "the user can no longer sign in, and their tokens stop working"
    case .enable: "the user can sign in again"
    case .resetPassword:
      "the current password stops working; Cognito sends the user a code to choose a new one"
    }
  }

  /// Whether the review asks for the user name typed (it locks the person out).
  public var needsTypedUsername: Bool { self == .disable || self == .resetPassword }
}

/// A write the support screen is about to make.
public enum SupportWrite: Sendable, Hashable {
  /// Remove these attributes.
  case remove([Attribute])
  /// Change one attribute's value.
  case edit(AttributeEdit)
  /// An account action.
  case action(SupportAction)

  /// The operation, as read-only refusals and the audit log name it.
  public var operation: String {
    switch self {
    case .remove: "AdminDeleteUserAttributes"
    case .edit: "AdminUpdateUserAttributes"
    case .action(let action): action.operation
    }
  }

  /// What must be typed to confirm, or nil for `y`: the self-service words for email and
  /// phone_number, the user name for what locks the person out.
  public func typedWord(username: String) -> String? {
    switch self {
    case .remove(let attributes):
      RemovalRules.needsTypedConfirmation(attributes.map(\.name))
        ? RemovalRules.confirmationWord : nil
    case .edit(let edit):
      EditRules.needsTypedConfirmation([edit.name]) ? EditRules.confirmationWord : nil
    case .action(let action): action.needsTypedUsername ? username : nil
    }
  }
}

/// A dialog over the support screen.
public enum SupportModal: Sendable, Hashable {
  /// Typing a new value for `attribute`.
  case value(Attribute, LineEditor)
  /// Typing the reason for `write`.
  case reason(SupportWrite, LineEditor)
  /// The review of `write` with its reason; `typed` holds what is typed when a word is asked.
  case review(SupportWrite, reason: String, typed: String)
}

/// A call in progress on the support screen.
public enum SupportBusy: Sendable, Hashable {
  /// Asking STS who the credentials are.
  case identity
  /// Searching (a first page, or the next).
  case searching
  /// Reading one user.
  case loadingUser
  /// Sending a write.
  case writing(String)

  /// The status-bar text.
  public var text: String {
    switch self {
    case .identity: "Asking AWS who these credentials are…"
    case .searching: "Searching…"
    case .loadingUser: "Reading the user…"
    case .writing(let operation): "Sending \(operation)…"
    }
  }
}

/// The opened user: their attributes, the cursor and marks.
public struct SupportUserView: Sendable, Hashable {
  /// The user, as last read.
  public var user: SupportUser
  /// Marked attribute names.
  public var marks: Set<String> = []
  /// The cursor row.
  public var cursor = 0
  /// The first row shown.
  public var scroll = 0

  /// A view of `user`.
  public init(user: SupportUser) { self.user = user }
}

/// Everything the support screen shows and remembers.
public struct SupportScreenState: Sendable, Hashable {
  /// The caller's ARN, once known.
  public var caller: String?
  /// The user pool.
  public var userPool: String
  /// Whether writes are refused.
  public var readOnly: Bool
  /// The terminal size.
  public var size: TerminalSize
  /// How lines are drawn.
  public var lineStyle: LineStyle
  /// The search line as typed.
  public var query = LineEditor("", limit: 256)
  /// Whether the search line has the keys.
  public var editingQuery = false
  /// The filter of the results shown (nil: all users).
  public var filter: UserFilter?
  /// The results so far, in the order the pages came.
  public var results: [SupportUser] = []
  /// Where the next page starts; nil when the last page has come.
  public var nextToken: String?
  /// Whether any search has answered.
  public var searched = false
  /// The cursor in the results.
  public var cursor = 0
  /// The first result row shown.
  public var scroll = 0
  /// The opened user, if any (the view over the results).
  public var user: SupportUserView?
  /// A dialog, if one is open.
  public var modal: SupportModal?
  /// The status bar.
  public var status: StatusMessage?
  /// A call in progress.
  public var busy: SupportBusy?
  /// Set when the program should end.
  public var quitting = false

  /// The state at start-up.
  public init(userPool: String, readOnly: Bool, size: TerminalSize, lineStyle: LineStyle) {
    self.userPool = userPool
    self.readOnly = readOnly
    self.size = size
    self.lineStyle = lineStyle
  }

  /// Rows for the table: the screen minus header, search line, titles, hint and status.
  public var tableHeight: Int { max(1, size.rows - 5) }
}

/// Events the support screen reacts to.
public enum SupportEvent: Sendable, Hashable {
  /// A key.
  case key(Key)
  /// The terminal was resized.
  case resized(TerminalSize)
  /// STS answered who the caller is.
  case identified(String)
  /// A page of results; `first` when it starts a new search.
  case page([SupportUser], nextToken: String?, first: Bool)
  /// A call failed.
  case failed(AccountError)
  /// A user was read.
  case userLoaded(SupportUser)
  /// A write finished; the user as read after it (or as before, when reading it again failed),
  /// and the line for the status bar.
  case written(SupportUser, String, StatusLine.Severity)
}

/// Calls the support screen asks its runtime to make.
public enum SupportEffect: Sendable, Hashable {
  /// `sts:GetCallerIdentity`.
  case identify
  /// A page of `ListUsers`.
  case search(UserFilter?, nextToken: String?)
  /// `AdminGetUser` and the groups.
  case loadUser(String)
  /// A reviewed write, with its reason.
  case write(SupportWrite, user: SupportUser, reason: String)
}

/// The support screen's update: pure.
public enum SupportUpdate {
  /// Applies `event`; returns the new state and the calls to make.
  public static func update(_ state: SupportScreenState, _ event: SupportEvent)
    -> (SupportScreenState, [SupportEffect])
  {
    var state = state
    var effects: [SupportEffect] = []
    switch event {
    case .resized(let size):
      state.size = size
      clampScroll(&state)
      if var view = state.user {
        clampUserView(&view, height: state.tableHeight - 1)
        state.user = view
      }
    case .identified(let arn):
      state.caller = arn
      state.busy = .searching
      effects.append(.search(nil, nextToken: nil))
    case .page(let users, let token, let first):
      state.busy = nil
      if first {
        state.results = users
        state.cursor = 0
        state.scroll = 0
      } else {
        state.results += users
      }
      state.nextToken = token
      state.searched = true
      state.status = StatusMessage(
        .info,
        "\(state.results.count) user\(state.results.count == 1 ? "" : "s")"
          + (token != nil ? " so far: n for more" : ""))
    case .failed(let error):
      state.busy = nil
      state.status = StatusMessage(.error, StatusLine(error: error).text)
    case .userLoaded(let user):
      state.busy = nil
      if var view = state.user, view.user.username == user.username {
        view.user = user
        view.marks = view.marks.filter { name in user.attributes.contains { $0.name == name } }
        view.cursor = min(view.cursor, max(0, user.attributes.count - 1))
        clampUserView(&view, height: state.tableHeight - 1)
        state.user = view
      } else {
        state.user = SupportUserView(user: user)
        state.status = StatusMessage(.info, "Opened \(user.username)")
      }
    case .written(let user, let line, let severity):
      state.busy = nil
      state.modal = nil
      state.user = SupportUserView(user: user)
      // The results show the user as now (enabled, status).
      if let index = state.results.firstIndex(where: { $0.username == user.username }) {
        state.results[index] = user
      }
      state.status = StatusMessage(severity, line)
    case .key(let key):
      if let busy = state.busy, state.modal == nil, !state.editingQuery {
        // Quitting is allowed while reading; never while a write is on its way, whose outcome
        // the person must see (and the audit log must get).
        if key == .character("q"), case .writing = busy {
          state.status = StatusMessage(.warning, "A change is on its way: wait for its outcome")
        } else if key == .character("q") {
          state.quitting = true
        }
        return (state, effects)
      }
      handleKey(key, &state, &effects)
    }
    return (state, effects)
  }

  private static func handleKey(
    _ key: Key, _ state: inout SupportScreenState, _ effects: inout [SupportEffect]
  ) {
    if let modal = state.modal {
      handleModal(key, modal, &state, &effects)
    } else if state.editingQuery {
      handleQuery(key, &state, &effects)
    } else if state.user != nil {
      handleUser(key, &state, &effects)
    } else {
      handleResults(key, &state, &effects)
    }
  }

  private static func handleQuery(
    _ key: Key, _ state: inout SupportScreenState, _ effects: inout [SupportEffect]
  ) {
    switch key {
    case .enter:
      state.editingQuery = false
      let text = state.query.text.trimmedWhitespace()
      do throws(AccountError) {
        state.filter = text.isEmpty ? nil : try UserFilter.parse(text)
        state.busy = .searching
        state.status = nil
        effects.append(.search(state.filter, nextToken: nil))
      } catch {
        state.status = StatusMessage(.error, StatusLine(error: error).text)
        state.editingQuery = true
      }
    case .escape:
      state.editingQuery = false
    default:
      if case .refused(let reason)? = state.query.handle(key) {
        state.status = StatusMessage(.warning, reason)
      }
    }
  }

  private static func handleResults(
    _ key: Key, _ state: inout SupportScreenState, _ effects: inout [SupportEffect]
  ) {
    let page = max(1, state.tableHeight - 1)
    switch key {
    case .character("q"), .escape: state.quitting = true
    case .character("/"):
      state.editingQuery = true
    case .up, .character("k"): state.cursor = max(0, state.cursor - 1)
    case .down, .character("j"):
      state.cursor = min(max(0, state.results.count - 1), state.cursor + 1)
    case .pageUp: state.cursor = max(0, state.cursor - page)
    case .pageDown: state.cursor = min(max(0, state.results.count - 1), state.cursor + page)
    case .home: state.cursor = 0
    case .end: state.cursor = max(0, state.results.count - 1)
    case .character("n"):
      if let token = state.nextToken {
        state.busy = .searching
        effects.append(.search(state.filter, nextToken: token))
      } else {
        state.status = StatusMessage(.info, "No more users: that was the last page")
      }
    case .character("r"):
      state.busy = .searching
      effects.append(.search(state.filter, nextToken: nil))
    case .enter:
      if state.results.indices.contains(state.cursor) {
        state.busy = .loadingUser
        effects.append(.loadUser(state.results[state.cursor].username))
      }
    case .character(let character) where !character.isWhitespace:
      // Typing starts a new search.
      state.query = LineEditor(String(character), limit: 256)
      state.editingQuery = true
    default: break
    }
    clampScroll(&state)
  }

  private static func handleUser(
    _ key: Key, _ state: inout SupportScreenState, _ effects: inout [SupportEffect]
  ) {
    guard var view = state.user else { return }
    let count = view.user.attributes.count
    switch key {
    case .escape, .character("q"):
      state.user = nil
      return
    case .up, .character("k"): view.cursor = max(0, view.cursor - 1)
    case .down, .character("j"): view.cursor = min(max(0, count - 1), view.cursor + 1)
    case .character(" "):
      if view.user.attributes.indices.contains(view.cursor) {
        let attribute = view.user.attributes[view.cursor]
        if attribute.isProtected {
          state.status = StatusMessage(
            .warning, AttributeRules.protectionReason(attribute.name) ?? "protected")
        } else if view.marks.contains(attribute.name) {
          view.marks.remove(attribute.name)
        } else {
          view.marks.insert(attribute.name)
        }
        view.cursor = min(max(0, count - 1), view.cursor + 1)
      }
    case .character("r"):
      state.busy = .loadingUser
      effects.append(.loadUser(view.user.username))
    case .character("d"):
      let chosen =
        view.marks.isEmpty
        ? (view.user.attributes.indices.contains(view.cursor)
          ? [view.user.attributes[view.cursor]] : [])
        : view.user.attributes.filter { view.marks.contains($0.name) }
      if let protected = chosen.first(where: \.isProtected) {
        state.status = StatusMessage(
          .warning,
          "Refusing to remove \(protected.name): "
            + (AttributeRules.protectionReason(protected.name) ?? "protected"))
      } else if !chosen.isEmpty {
        startWrite(.remove(chosen), &state)
      }
    case .character("e"):
      if view.user.attributes.indices.contains(view.cursor) {
        let attribute = view.user.attributes[view.cursor]
        if let reason = AttributeRules.writeProtectionReason(attribute.name) {
          state.status = StatusMessage(.warning, reason)
        } else if state.readOnly {
          startWrite(
            .edit(AttributeEdit(name: attribute.name, old: attribute.value, new: "")), &state)
        } else {
          state.modal = .value(attribute, LineEditor(attribute.value))
        }
      }
    case .character("o"): startWrite(.action(.signOut), &state)
    case .character("x"):
      startWrite(.action(view.user.enabled ? .disable : .enable), &state)
    case .character("p"): startWrite(.action(.resetPassword), &state)
    default: break
    }
    clampUserView(&view, height: state.tableHeight - 1)
    if state.user != nil { state.user = view }
  }

  private static func clampUserView(_ view: inout SupportUserView, height: Int) {
    view.cursor = min(view.cursor, max(0, view.user.attributes.count - 1))
    if view.cursor < view.scroll { view.scroll = view.cursor }
    if view.cursor >= view.scroll + height { view.scroll = max(0, view.cursor - height + 1) }
  }

  /// A write starts with its reason; read-only refuses it at once.
  private static func startWrite(_ write: SupportWrite, _ state: inout SupportScreenState) {
    guard !state.readOnly else {
      state.status = StatusMessage(
        .error, StatusLine(error: .adminReadOnly(action: write.operation)).text)
      return
    }
    state.modal = .reason(write, LineEditor("", limit: SupportRules.maximumReasonLength))
  }

  private static func handleModal(
    _ key: Key, _ modal: SupportModal, _ state: inout SupportScreenState,
    _ effects: inout [SupportEffect]
  ) {
    switch modal {
    case .value(let attribute, var editor):
      switch key {
      case .escape:
        state.modal = nil
        state.status = StatusMessage(.info, "Cancelled: nothing changed")
      case .enter:
        let new = editor.text
        if new == attribute.value {
          state.modal = nil
          state.status = StatusMessage(.info, "Unchanged: nothing to send")
        } else if let problem = EditRules.problem(withValue: new) {
          state.status = StatusMessage(.warning, problem)
        } else {
          state.modal = nil
          startWrite(
            .edit(AttributeEdit(name: attribute.name, old: attribute.value, new: new)), &state)
        }
      default:
        if case .refused(let reason)? = editor.handle(key) {
          state.status = StatusMessage(.warning, reason)
        }
        state.modal = .value(attribute, editor)
      }
    case .reason(let write, var editor):
      switch key {
      case .escape:
        state.modal = nil
        state.status = StatusMessage(.info, "Cancelled: nothing was sent")
      case .enter:
        do throws(AccountError) {
          let reason = try SupportRules.checkReason(editor.text)
          state.modal = .review(write, reason: reason, typed: "")
        } catch {
          state.status = StatusMessage(.warning, StatusLine(error: error).text)
        }
      default:
        if case .refused(let reason)? = editor.handle(key) {
          state.status = StatusMessage(.warning, reason)
        }
        state.modal = .reason(write, editor)
      }
    case .review(let write, let reason, var typed):
      guard let user = state.user?.user else {
        state.modal = nil
        return
      }
      if let word = write.typedWord(username: user.username) {
        switch key {
        case .escape:
          state.modal = nil
          state.status = StatusMessage(.info, "Cancelled: nothing was sent")
        case .enter:
          if typed == word {
            confirm(write, user: user, reason: reason, &state, &effects)
          } else {
            state.status = StatusMessage(.warning, "Type \(word) exactly to confirm, or Esc")
          }
        case .backspace:
          if !typed.isEmpty { typed.removeLast() }
          state.modal = .review(write, reason: reason, typed: typed)
        case .character(let character):
          if typed.count < 128 { typed.append(character) }
          state.modal = .review(write, reason: reason, typed: typed)
        default: break
        }
      } else if key == .character("y") {
        confirm(write, user: user, reason: reason, &state, &effects)
      } else {
        // Cancel is the default: any other key.
        state.modal = nil
        state.status = StatusMessage(.info, "Cancelled: nothing was sent")
      }
    }
  }

  private static func confirm(
    _ write: SupportWrite, user: SupportUser, reason: String,
    _ state: inout SupportScreenState, _ effects: inout [SupportEffect]
  ) {
    state.modal = nil
    state.busy = .writing(write.operation)
    effects.append(.write(write, user: user, reason: reason))
  }

  private static func clampScroll(_ state: inout SupportScreenState) {
    let height = state.tableHeight - 1
    state.cursor = min(state.cursor, max(0, state.results.count - 1))
    if state.cursor < state.scroll { state.scroll = state.cursor }
    if state.cursor >= state.scroll + height { state.scroll = max(0, state.cursor - height + 1) }
  }
}
