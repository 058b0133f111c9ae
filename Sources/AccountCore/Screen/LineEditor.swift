/// A one-line text field: its characters, a cursor between them, and the editing keys (←/→,
/// Home/End, Backspace, Delete, Ctrl-U). Characters, not bytes or scalars: a wide character, an
/// emoji or a letter with combining marks moves and erases as one.
public struct LineEditor: Sendable, Hashable {
  /// The characters typed.
  public private(set) var characters: [Character]
  /// The cursor: how many characters are before it.
  public private(set) var cursor: Int
  /// The most characters the field takes.
  public let limit: Int

  /// A field holding `text`, the cursor at its end.
  public init(_ text: String = "", limit: Int = EditRules.maximumValueLength) {
    characters = Array(text.prefix(limit))
    cursor = characters.count
    self.limit = limit
  }

  /// The text.
  public var text: String { String(characters) }

  /// What a key did to the field.
  public enum Outcome: Sendable, Hashable {
    /// The text or the cursor changed (or the key was an editing key with nothing to do).
    case edited
    /// The key was refused; the reason is for the status bar.
    case refused(String)
  }

  /// Applies an editing key; `nil` when `key` is not one (Enter, Esc, Tab, …), for the caller.
  public mutating func handle(_ key: Key) -> Outcome? {
    switch key {
    case .character(let character):
      if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        return .refused("Control characters are not accepted")
      }
      guard characters.count < limit else {
        return .refused("At most \(limit) characters")
      }
      characters.insert(character, at: cursor)
      cursor += 1
    case .backspace:
      if cursor > 0 {
        characters.remove(at: cursor - 1)
        cursor -= 1
      }
    case .delete:
      if cursor < characters.count { characters.remove(at: cursor) }
    case .left: cursor = max(0, cursor - 1)
    case .right: cursor = min(characters.count, cursor + 1)
    case .home: cursor = 0
    case .end: cursor = characters.count
    case .clearLine:
      characters.removeFirst(cursor)
      cursor = 0
    default:
      return nil
    }
    return .edited
  }
}
