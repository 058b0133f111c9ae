/// A key press, decoded by the terminal adapter.
public enum Key: Sendable, Hashable {
  /// A printable character.
  case character(Character)
  /// ↑.
  case up
  /// ↓.
  case down
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
  /// Ctrl-C typed as a key (normally it is a signal).
  case interrupt
}

/// What a key does on the main screen; the keymap table maps keys to these.
public enum Action: Sendable, Hashable, CaseIterable {
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
  /// Show the whole status message (when it is longer than the status bar).
  case showMessage
  /// Quit (asking first when marks are pending).
  case quit
  /// Repaint the whole terminal.
  case redraw
}

/// One line of the keymap: keys, the action, and the help text. The table drives both key
/// dispatch and the help screen, so they can never disagree.
public struct KeyBinding: Sendable, Hashable {
  /// The keys that trigger the action.
  public var keys: [Key]
  /// How the keys are written in help.
  public var label: String
  /// The action.
  public var action: Action
  /// What the action does.
  public var help: String
}

/// The main screen's keymap.
public enum Keymap {
  /// Every binding, in help order.
  public static let bindings: [KeyBinding] = [
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
      keys: [.character("r")], label: "r", action: .refresh, help: "read again from Cognito"),
    KeyBinding(
      keys: [.character("u")], label: "u", action: .requestUndo,
      help: "restore what the last removal took (this run only)"),
    KeyBinding(keys: [.character("?")], label: "?", action: .showHelp, help: "this help"),
    KeyBinding(
      keys: [.character("!")], label: "!", action: .showMessage,
      help: "the whole status message"),
    KeyBinding(keys: [.redraw], label: "Ctrl-L", action: .redraw, help: "redraw the screen"),
    KeyBinding(
      keys: [.character("q")], label: "q", action: .quit,
      help: "quit (asks first when marks are pending)"),
  ]

  /// The action bound to `key`, if any.
  public static func action(for key: Key) -> Action? {
    bindings.first { $0.keys.contains(key) }?.action
  }
}
