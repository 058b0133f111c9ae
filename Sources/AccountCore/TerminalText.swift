/// Makes untrusted text (attribute names and values, server messages) safe to put on a terminal.
///
/// Every C0 control (U+0000–U+001F), DEL, C1 control (U+0080–U+009F), and the bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) become visible
/// escapes such as `\e`, `\n`, `\x7f`, `\u{202e}`; a backslash becomes `\\`, so an escape in the
/// output can always be told from the same characters in the input. Nothing else changes.
public enum TerminalText {
  /// Returns `text` with every control and bidi-control character escaped.
  public static func escape(_ text: String) -> String {
    render(text, escapingBackslash: true, keepingNewlines: false)
  }

  /// The last guard on every output path (standard output and error, `/dev/tty` prompts, the
  /// log file): escapes what ``isUnsafe(_:)`` names, but leaves backslashes alone so that text
  /// already passed through ``escape(_:)`` comes out unchanged. With `keepingNewlines`, a line
  /// feed stays a line feed (multi-line output such as JSON or a menu).
  public static func guarded(_ text: String, keepingNewlines: Bool = false) -> String {
    render(text, escapingBackslash: false, keepingNewlines: keepingNewlines)
  }

  private static func render(_ text: String, escapingBackslash: Bool, keepingNewlines: Bool)
    -> String
  {
    // Printable ASCII (and newlines, where kept) passes unchanged: checked byte by byte, which
    // is most output and much cheaper than the walk over scalars below.
    let unchanged = text.utf8.allSatisfy { byte in
      if byte == 0x0A { return keepingNewlines }
      if byte == 0x5C { return !escapingBackslash }
      return (0x20...0x7E).contains(byte)
    }
    if unchanged { return text }
    var output = ""
    output.reserveCapacity(text.utf8.count)
    appendReplacing(text, to: &output) { scalar in
      switch scalar.value {
      case 0x5C where escapingBackslash: "\\\\"
      case 0x0A where keepingNewlines: nil
      case 0x1B: "\\e"
      case 0x0A: "\\n"
      case 0x0D: "\\r"
      case 0x09: "\\t"
      case _ where isControl(scalar): "\\x" + hex(scalar.value, width: 2)
      case _ where isBidiControl(scalar): "\\u{" + hex(scalar.value, width: 4) + "}"
      default: nil
      }
    }
    return output
  }

  /// Appends `text` to `output` with each scalar that `replacement` maps to text replaced by
  /// it. Printable ASCII other than `"` and `\` always stays: `replacement` is not asked about
  /// it. The runs between replacements are copied whole, and those ASCII bytes are passed over
  /// without decoding a scalar, which is much cheaper than a walk scalar by scalar.
  public static func appendReplacing(
    _ text: String, to output: inout String, _ replacement: (Unicode.Scalar) -> String?
  ) {
    let bytes = text.utf8
    let scalars = text.unicodeScalars
    var runStart = bytes.startIndex
    var index = runStart
    while index != bytes.endIndex {
      let byte = bytes[index]
      if byte >= 0x20 && byte <= 0x7E && byte != 0x22 && byte != 0x5C {
        index = bytes.index(after: index)
        continue
      }
      // Any other byte begins a scalar (runs advance scalar by scalar past non-ASCII).
      let next = scalars.index(after: index)
      if let replaced = replacement(scalars[index]) {
        output.append(contentsOf: text[runStart..<index])
        output += replaced
        runStart = next
      }
      index = next
    }
    output.append(contentsOf: text[runStart..<bytes.endIndex])
  }

  /// Whether `scalar` must never reach a terminal raw: a C0 or C1 control, DEL, or a
  /// bidirectional override, isolate or mark. Every output path (screen, table, JSON) uses this.
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    isControl(scalar) || isBidiControl(scalar)
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value <= 0x1F || (0x7F...0x9F).contains(scalar.value)
  }

  private static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  private static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
