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
    let pad = String(repeating: " ", count: indent)
    let inner = String(repeating: " ", count: indent + 4)
    switch self {
    case .string(let value): return Self.quote(value)
    case .number(let value): return String(value)
    case .decimal(let value): return value.isFinite ? "\(value)" : "null"
    case .bool(let value): return value ? "true" : "false"
    case .null: return "null"
    case .array(let items):
      guard !items.isEmpty else { return "[]" }
      return "[\n" + items.map { inner + $0.rendered(indent: indent + 4) }.joined(separator: ",\n")
        + "\n" + pad + "]"
    case .object(let members):
      guard !members.isEmpty else { return "{}" }
      return "{\n"
        + members.map { inner + Self.quote($0.0) + ": " + $0.1.rendered(indent: indent + 4) }
        .joined(separator: ",\n") + "\n" + pad + "}"
    }
  }

  static func quote(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22: output += "\\\""
      case 0x5C: output += "\\\\"
      case 0x0A: output += "\\n"
      case 0x0D: output += "\\r"
      case 0x09: output += "\\t"
      case _ where TerminalText.isUnsafe(scalar):
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }
}
