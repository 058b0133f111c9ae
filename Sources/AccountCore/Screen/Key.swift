/// A key press, decoded by the terminal adapter.
public enum Key: Sendable, Hashable {
  /// A printable character.
  case character(Character)
  /// ↑.
  case up
  /// ↓.
  case down
  /// ←.
  case left
  /// →.
  case right
  /// Page Up.
  case pageUp
  /// Page Down.
  case pageDown
  /// Home.
  case home
  /// End.
  case end
  /// Enter / Return.
  case enter
  /// Esc.
  case escape
  /// Backspace.
  case backspace
  /// Delete (the key, not Backspace).
  case delete
  /// Tab.
  case tab
  /// Ctrl-L.
  case redraw
  /// Ctrl-U: erase what is before the cursor in a text field.
  case clearLine
  /// Ctrl-C typed as a key (normally it is a signal).
  case interrupt
}

/// What a key does on the attribute list; ``ListKeymap`` maps keys to these.
public enum ListAction: Sendable, Hashable, CaseIterable {
  /// Cursor up.
  case moveUp
  /// Cursor down.
  case moveDown
  /// One page up.
  case pageUp
  /// One page down.
  case pageDown
  /// To the first row.
  case moveToTop
  /// To the last row.
  case moveToBottom
  /// Mark or unmark the current row.
  case toggleMark
  /// Clear every mark.
  case clearMarks
  /// Review the marked rows (or the current row) for removal.
  case requestDelete
  /// Start typing a filter.
  case startFilter
  /// Clear the filter.
  case clearFilter
  /// Read the attributes again.
  case refresh
  /// Restore what the last confirmed removal took.
  case requestUndo
  /// Show the whole value of the current row.
  case viewValue
  /// Show every key.
  case showHelp
  /// Open the Security view.
  case showSecurity
  /// Show the whole status message (when it is longer than the status bar).
  case showMessage
  /// Quit (asking first when marks are pending).
  case quit
  /// Repaint the whole terminal.
  case redraw
  /// Edit the current row's value.
  case editValue
  /// Add an attribute.
  case addAttribute
  /// Review and save the pending edits.
  case reviewEdits
  /// Drop the current row's pending edit.
  case dropEdit
  /// Enter the verification code of the current row (email or phone_number).
  case verifyAttribute
  /// Change the password.
  case changePassword
}

/// One line of a view's keymap: keys, the action, and the help text. The table drives both key
/// dispatch and the help view, so they can never disagree.
public struct KeyBinding<Action: Sendable & Hashable>: Sendable, Hashable {
  /// The keys that trigger the action.
  public var keys: [Key]
  /// How the keys are written in help.
  public var label: String
  /// The action.
  public var action: Action
  /// What the action does.
  public var help: String

  /// Creates a binding.
  public init(keys: [Key], label: String, action: Action, help: String) {
    self.keys = keys
    self.label = label
    self.action = action
    self.help = help
  }

  /// The first binding in `table` listing `key`.
  static func action(for key: Key, in table: [Self]) -> Action? {
    table.first { $0.keys.contains(key) }?.action
  }
}

/// A key and what it does, as the help view lists it (any view's keymap, its action type aside).
public struct KeyHelp: Sendable, Hashable {
  /// How the keys are written.
  public var label: String
  /// What they do.
  public var help: String

  /// Creates a help line.
  public init(label: String, help: String) {
    self.label = label
    self.help = help
  }
}

extension Array {
  /// The help lines of a keymap.
  public func keyHelp<Action>() -> [KeyHelp] where Element == KeyBinding<Action> {
    map { KeyHelp(label: $0.label, help: $0.help) }
  }
}

/// The attribute list's keymap.
public enum ListKeymap {
  /// Every binding, in help order.
  public static let bindings: [KeyBinding<ListAction>] = [
    KeyBinding(keys: [.up, .character("k")], label: "↑ k", action: .moveUp, help: "move up"),
    KeyBinding(keys: [.down, .character("j")], label: "↓ j", action: .moveDown, help: "move down"),
    KeyBinding(keys: [.pageUp], label: "PgUp", action: .pageUp, help: "page up"),
    KeyBinding(keys: [.pageDown], label: "PgDn", action: .pageDown, help: "page down"),
    KeyBinding(
      keys: [.home, .character("g")], label: "Home g", action: .moveToTop, help: "first attribute"),
    KeyBinding(
      keys: [.end, .character("G")], label: "End G", action: .moveToBottom, help: "last attribute"),
    KeyBinding(
      keys: [.character(" ")], label: "Space", action: .toggleMark,
      help: "mark / unmark for removal"),
    KeyBinding(keys: [.character("c")], label: "c", action: .clearMarks, help: "clear all marks"),
    KeyBinding(
      keys: [.character("d"), .delete], label: "d Del", action: .requestDelete,
      help: "review removal of the marked (or current) attributes"),
    KeyBinding(
      keys: [.enter], label: "Enter", action: .viewValue, help: "show the whole value"),
    KeyBinding(
      keys: [.character("/")], label: "/", action: .startFilter, help: "filter by name or value"),
    KeyBinding(keys: [.escape], label: "Esc", action: .clearFilter, help: "clear the filter"),
    KeyBinding(
      keys: [.character("e")], label: "e", action: .editValue, help: "edit the value (pending)"),
    KeyBinding(
      keys: [.character("a")], label: "a", action: .addAttribute,
      help: "add an attribute (pending)"),
    KeyBinding(
      keys: [.character("s")], label: "s", action: .reviewEdits,
      help: "review and save the pending edits"),
    KeyBinding(
      keys: [.backspace], label: "Backspace", action: .dropEdit,
      help: "drop the pending edit of this row"),
    KeyBinding(
      keys: [.character("v")], label: "v", action: .verifyAttribute,
      help: "verify email or phone_number with a code"),
    KeyBinding(
      keys: [.character("p")], label: "p", action: .changePassword, help: "change the password"),
    KeyBinding(
      keys: [.character("r")], label: "r", action: .refresh, help: "read again from Cognito"),
    KeyBinding(
      keys: [.character("u")], label: "u", action: .requestUndo,
      help: "undo the last removal or saved edit (this run only)"),
    KeyBinding(
      keys: [.character("S")], label: "S", action: .showSecurity,
      help: "security: MFA, devices, passkeys, sign out everywhere, close the account"),
    KeyBinding(keys: [.character("?")], label: "?", action: .showHelp, help: "this help"),
    KeyBinding(
      keys: [.character("!")], label: "!", action: .showMessage,
      help: "the whole status message"),
    KeyBinding(keys: [.redraw], label: "Ctrl-L", action: .redraw, help: "redraw the screen"),
    KeyBinding(
      keys: [.character("q")], label: "q", action: .quit,
      help: "quit (asks first when marks or edits are pending)"),
  ]

  /// The action bound to `key`, if any.
  public static func action(for key: Key) -> ListAction? {
    KeyBinding.action(for: key, in: bindings)
  }
}

/// Which dialog keys are read in: each has its own keymap.
public enum DialogContext: Sendable, Hashable, CaseIterable {
  /// The review before removal, answered y/N.
  case review
  /// The review before removal that needs the typed word (any other key types).
  case typedReview
  /// The undo confirmation.
  case undo
  /// The whole value of one attribute.
  case value
  /// The whole status message.
  case message
  /// Quit with marks pending.
  case quitWithMarks
  /// Typing a value.
  case editValue
  /// Typing the name of an attribute to add.
  case addName
  /// The review before saving edits, answered y/N.
  case editReview
  /// The review before saving edits that needs the typed word.
  case typedEditReview
  /// The undo of saved edits.
  case undoEdits
  /// Typing a verification code.
  case verify
  /// Changing the password.
  case changePassword

  /// The context of `modal`.
  public init(_ modal: Modal) {
    switch modal {
    case .editValue: self = .editValue
    case .addName: self = .addName
    case .editReview(let review):
      self = review.needsTypedConfirmation ? .typedEditReview : .editReview
    case .undoEdits: self = .undoEdits
    case .verify: self = .verify
    case .changePassword: self = .changePassword
    case .review(let review): self = review.needsTypedConfirmation ? .typedReview : .review
    case .undo: self = .undo
    case .value: self = .value
    case .message: self = .message
    case .quitWithMarks: self = .quitWithMarks
    }
  }

  /// The title of this context's section in the help.
  public var title: String {
    switch self {
    case .review: "Review of a removal"
    case .typedReview: "Review of a removal of email or phone_number"
    case .undo: "Undo"
    case .value: "A whole value"
    case .message: "A whole message"
    case .quitWithMarks: "Quit with marks or edits pending"
    case .editValue: "Editing a value"
    case .addName: "Adding an attribute"
    case .editReview: "Review of edits"
    case .typedEditReview: "Review of edits to email or phone_number"
    case .undoEdits: "Undo of edits"
    case .verify: "Verification code"
    case .changePassword: "Change password"
    }
  }
}

/// What a key does in a dialog.
public enum DialogAction: Sendable, Hashable {
  /// Do what the dialog asks (remove, restore, quit).
  case confirm
  /// Close without doing it.
  case cancel
  /// Close (a dialog that only shows something).
  case close
  /// Scroll one line up.
  case scrollUp
  /// Scroll one line down.
  case scrollDown
  /// Erase the last typed character.
  case erase
  /// Move or erase in a text field (the field handles the key).
  case edit
  /// Ask for a new verification code.
  case resend
}

/// One line of a dialog's keymap: keys, how the hint and the help write them, the action.
public struct DialogBinding: Sendable, Hashable {
  /// The keys; empty for "any other key" (the binding applies to every key not listed).
  public var keys: [Key]
  /// How the keys are written.
  public var label: String
  /// The action.
  public var action: DialogAction
  /// What it does, as the hint line says it.
  public var help: String
}

/// The dialogs' keymaps. The table drives dispatch, the hint line and the help screen alike.
public enum DialogKeymap {
  /// The keys that answer yes to a y/N question.
  static let yes: [Key] = [.character("y"), .character("Y")]
  private static let no: [Key] = [.character("n"), .character("N"), .escape, .enter]

  /// y confirms (`help` says what); n, Esc and Enter cancel, the default.
  private static func yesOrNo(confirming help: String) -> [DialogBinding] {
    [
      DialogBinding(keys: yes, label: "y", action: .confirm, help: help),
      DialogBinding(keys: no, label: "n / Esc / Enter", action: .cancel, help: "cancel"),
    ]
  }

  /// `word` typed, then Enter, confirms (`help` says what); Esc cancels; every other key types.
  private static func typedWord(_ word: String, confirming help: String) -> [DialogBinding] {
    [
      DialogBinding(
        keys: [.enter], label: "Type \(word), then Enter", action: .confirm, help: help),
      DialogBinding(keys: [.escape], label: "Esc", action: .cancel, help: "cancel"),
      DialogBinding(keys: [.backspace], label: "Backspace", action: .erase, help: "erase"),
    ]
  }

  /// The bindings of `context`, in hint order.
  public static func bindings(_ context: DialogContext) -> [DialogBinding] {
    switch context {
    case .review:
      yesOrNo(confirming: "remove")
    case .typedReview:
      typedWord(RemovalRules.confirmationWord, confirming: "remove")
    case .undo:
      yesOrNo(confirming: "restore")
    case .value:
      [
        DialogBinding(
          keys: [.up, .character("k")], label: "↑", action: .scrollUp, help: "scroll up"),
        DialogBinding(
          keys: [.down, .character("j")], label: "↓", action: .scrollDown, help: "scroll down"),
        DialogBinding(
          keys: [.escape, .enter, .character("q")], label: "Esc / Enter", action: .close,
          help: "close"),
      ]
    case .message:
      [
        DialogBinding(
          keys: [.escape, .enter, .character("q"), .character("!")], label: "Esc / Enter / !",
          action: .close, help: "close")
      ]
    case .quitWithMarks:
      [
        DialogBinding(keys: yes, label: "y", action: .confirm, help: "quit"),
        DialogBinding(keys: [], label: "any other key", action: .cancel, help: "stay"),
      ]
    case .editValue, .addName:
      [
        DialogBinding(keys: [.enter], label: "Enter", action: .confirm, help: "keep"),
        DialogBinding(keys: [.escape], label: "Esc", action: .cancel, help: "cancel"),
        DialogBinding(
          keys: [.left, .right, .home, .end, .clearLine], label: "← → Home End Ctrl-U",
          action: .edit, help: "edit"),
      ]
    case .editReview:
      yesOrNo(confirming: "save")
    case .typedEditReview:
      typedWord(EditRules.confirmationWord, confirming: "save")
    case .undoEdits:
      yesOrNo(confirming: "undo")
    case .verify:
      [
        DialogBinding(keys: [.enter], label: "Enter", action: .confirm, help: "verify"),
        DialogBinding(keys: [.tab], label: "Tab", action: .resend, help: "send a new code"),
        DialogBinding(keys: [.escape], label: "Esc", action: .cancel, help: "close"),
      ]
    case .changePassword:
      [
        DialogBinding(keys: [.enter], label: "Enter", action: .confirm, help: "next"),
        DialogBinding(keys: [.escape], label: "Esc", action: .cancel, help: "cancel"),
      ]
    }
  }

  /// What `key` does in `context`, if anything.
  public static func action(for key: Key, in context: DialogContext) -> DialogAction? {
    let bindings = bindings(context)
    return bindings.first { $0.keys.contains(key) }?.action
      ?? bindings.first { $0.keys.isEmpty }?.action
  }

  /// The hint line for `context`, made from its bindings.
  public static func hint(_ context: DialogContext) -> String {
    " " + bindings(context).map { "\($0.label): \($0.help)" }.joined(separator: "   ")
  }
}
