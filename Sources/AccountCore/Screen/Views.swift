/// A full-screen view. The screen is a stack of them: the bottom one is the attribute list, a
/// view opened from another is pushed over it, and closing it (Esc or `q`) goes back to the one
/// below exactly as it was left.
///
/// A view carries its own state in its case; what several views show (the account's attributes,
/// the header, the status bar, a call in progress) lives in ``TUIState``. Adding a view means a
/// case here, its keymap and key handler (``TUIUpdate``), and its body in the renderer — no
/// other view changes.
public enum ScreenView: Sendable, Hashable {
  /// The account's attributes: marks, removal, undo, filter (its state is ``TUIState``'s list
  /// fields, since it is always the bottom of the stack).
  case attributes
  /// Every key of the view below it.
  case help(HelpPage)
  /// MFA, devices, passkeys, sign-out everywhere, closing the account.
  case security(SecurityPage)

  /// The view's name, as the header and the help title show it.
  public var title: String {
    switch self {
    case .attributes: "Attributes"
    case .help: "Keys"
    case .security: "Security"
    }
  }

  /// Every line of this view's help: its keys, then what its marks mean and its dialogs' keys
  /// (from the same tables that handle them).
  public var helpLines: [HelpLine] {
    switch self {
    case .attributes:
      var lines = ListKeymap.bindings.keyHelp().map(HelpLine.key)
      lines.append(
        .note("[x] marked   [-] protected (sub, identities, *_verified)   [~] edited   [+] added"))
      for context in [
        DialogContext.review, .typedReview, .undo, .value, .editValue, .addName, .editReview,
        .typedEditReview, .undoEdits, .verify, .changePassword,
      ] {
        lines.append(.heading(context.title))
        lines += DialogKeymap.bindings(context).map {
          .key(KeyHelp(label: $0.label, help: $0.help))
        }
      }
      return lines
    case .help:
      return HelpKeymap.bindings.keyHelp().map(HelpLine.key)
    case .security:
      var lines = SecurityKeymap.bindings.keyHelp().map(HelpLine.key)
      for (title, keys) in SecurityKeymap.dialogHelp {
        lines.append(.heading(title))
        lines += keys.map(HelpLine.key)
      }
      return lines
    }
  }
}

/// One line of the help view.
public enum HelpLine: Sendable, Hashable {
  /// A key and what it does.
  case key(KeyHelp)
  /// A section's title (a dialog's keys follow).
  case heading(String)
  /// A sentence.
  case note(String)
}

/// The help view's state: how far it is scrolled. It lists the keys of the view below it.
public struct HelpPage: Sendable, Hashable {
  /// The first line shown.
  public var offset = 0

  /// Creates a help page scrolled to the top.
  public init() {}
}

/// What a key does in the help view.
public enum HelpAction: Sendable, Hashable {
  /// One line up.
  case scrollUp
  /// One line down.
  case scrollDown
  /// One page up.
  case pageUp
  /// One page down.
  case pageDown
  /// Back to the view below.
  case close
}

/// The help view's keymap.
public enum HelpKeymap {
  /// Every binding, in hint order.
  public static let bindings: [KeyBinding<HelpAction>] = [
    KeyBinding(
      keys: [.escape, .enter, .character("q"), .character("?")], label: "Esc / q / ?",
      action: .close, help: "back"),
    KeyBinding(keys: [.up, .character("k")], label: "↑ k", action: .scrollUp, help: "scroll up"),
    KeyBinding(
      keys: [.down, .character("j")], label: "↓ j", action: .scrollDown, help: "scroll down"),
    KeyBinding(keys: [.pageUp], label: "PgUp", action: .pageUp, help: "page up"),
    KeyBinding(
      keys: [.pageDown, .character(" ")], label: "PgDn", action: .pageDown, help: "page down"),
  ]

  /// The action bound to `key`, if any.
  public static func action(for key: Key) -> HelpAction? {
    KeyBinding.action(for: key, in: bindings)
  }
}

extension TUIState {
  /// The view on top of the stack: the one that gets keys and is drawn.
  public var currentView: ScreenView { views.last ?? .attributes }

  /// Opens `view` over the current one.
  public mutating func push(_ view: ScreenView) {
    views.append(view)
  }

  /// Closes the current view, back to the one below; the bottom view is never closed.
  public mutating func pop() {
    if views.count > 1 { views.removeLast() }
  }

  /// Replaces the current view's state (a view changing itself, e.g. scrolling).
  mutating func replaceCurrent(_ view: ScreenView) {
    if views.isEmpty { views = [view] } else { views[views.count - 1] = view }
  }
}

extension TUIState {
  /// The view the help view is about: the one below it.
  public var helpSubject: ScreenView { views.dropLast().last ?? .attributes }

  /// How many lines the help view has.
  var helpLineCount: Int { helpSubject.helpLines.count }
}
