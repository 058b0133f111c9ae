import AccountCore

/// A JSON value with ordered object members, printed like the AWS CLI (4-space indent, UTF-8).
///
/// Control characters, DEL, C1 controls and bidi overrides are written as `\uXXXX` escapes, so
/// the text is safe on a terminal and still decodes to the same strings.
indirect enum JSONText {
  case string(String)
  case number(Int)
  /// A number as the service sent it (AWS JSON timestamps are seconds with a fraction).
  case decimal(Double)
  case bool(Bool)
  case null
  case array([JSONText])
  case object([(String, JSONText)])

  /// The pretty-printed text.
  func rendered(indent: Int = 0) -> String {
    var output = ""
    write(to: &output, indent: indent)
    return output
  }

  /// Appends the pretty-printed text to `output`: one growing string, not one per value.
  private func write(to output: inout String, indent: Int) {
    switch self {
    case .string(let value): Self.quote(value, into: &output)
    case .number(let value): output += String(value)
    case .decimal(let value): output += value.isFinite ? "\(value)" : "null"
    case .bool(let value): output += value ? "true" : "false"
    case .null: output += "null"
    case .array(let items):
      guard !items.isEmpty else {
        output += "[]"
        return
      }
      output += "["
      // Index loops, not `enumerated()`: its generic sequence type costs a conformance scan
      // of the whole binary the first time it is used in a process.
      for index in items.indices {
        output += index == 0 ? "\n" : ",\n"
        output += String(repeating: " ", count: indent + 4)
        items[index].write(to: &output, indent: indent + 4)
      }
      output += "\n" + String(repeating: " ", count: indent) + "]"
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}"
        return
      }
      output += "{"
      for index in members.indices {
        let (name, value) = members[index]
        output += index == 0 ? "\n" : ",\n"
        output += String(repeating: " ", count: indent + 4)
        Self.quote(name, into: &output)
        output += ": "
        value.write(to: &output, indent: indent + 4)
      }
      output += "\n" + String(repeating: " ", count: indent) + "}"
    }
  }

  /// Appends `text` as a JSON string literal to `output`.
  static func quote(_ text: String, into output: inout String) {
    output += "\""
    defer { output += "\"" }
    // Printable ASCII other than the quote and the backslash needs no escape: checked byte by
    // byte and appended whole, which is most text.
    if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) && $0 != 0x22 && $0 != 0x5C }) {
      output += text
      return
    }
    TerminalText.appendReplacing(text, to: &output) { scalar in
      switch scalar.value {
      case 0x22: "\\\""
      case 0x5C: "\\\\"
      case 0x0A: "\\n"
      case 0x0D: "\\r"
      case 0x09: "\\t"
      case _ where TerminalText.isUnsafe(scalar):
        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
          + String(scalar.value, radix: 16)
      default: nil
      }
    }
  }
}
