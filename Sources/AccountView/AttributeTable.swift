import AccountCore

/// The plain-text table of attributes the CLI prints: names and values aligned by display width,
/// every value escaped so no control character from the server reaches the terminal.
public enum AttributeTable {
  /// Lines of `NAME  VALUE`, with a header; values longer than `valueWidth` cells are cut with `…`
  /// when a width is given.
  public static func render(_ attributes: [(name: String, value: String?)], valueWidth: Int? = nil)
    -> [String]
  {
    let rows = attributes.map {
      (TerminalText.escape($0.name), TerminalText.escape($0.value ?? ""))
    }
    let nameWidth = max(DisplayWidth.of("NAME"), rows.map { DisplayWidth.of($0.0) }.max() ?? 0)
    var lines = [DisplayWidth.pad("NAME", to: nameWidth) + "  VALUE"]
    for (name, value) in rows {
      let shown = valueWidth.map { DisplayWidth.truncate(value, to: $0) } ?? value
      lines.append(DisplayWidth.pad(name, to: nameWidth) + "  " + shown)
    }
    return lines
  }
}
