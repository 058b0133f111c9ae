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
    // Written as bytes and made a string once: appending to a `String` piece by piece cost
    // about 300 instructions an append, most of printing a GetUser document.
    var output: [UInt8] = []
    output.reserveCapacity(4096)
    write(to: &output, indent: indent)
    return String(decoding: output, as: UTF8.self)
  }

  /// Appends the pretty-printed text to `output`.
  private func write(to output: inout [UInt8], indent: Int) {
    switch self {
    case .string(let value): Self.quote(value, into: &output)
    case .number(let value): output.append(contentsOf: String(value).utf8)
    case .decimal(let value): output.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
    case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
    case .null: output.append(contentsOf: "null".utf8)
    case .array(let items):
      output.append(UInt8(ascii: "["))
      // Index loops, not `enumerated()`: its generic sequence type costs a conformance scan
      // of the whole binary the first time it is used in a process.
      for index in items.indices {
        Self.newLine(after: index, indent: indent + 4, into: &output)
        items[index].write(to: &output, indent: indent + 4)
      }
      Self.close(UInt8(ascii: "]"), empty: items.isEmpty, indent: indent, into: &output)
    case .object(let members):
      output.append(UInt8(ascii: "{"))
      for index in members.indices {
        let (name, value) = members[index]
        Self.newLine(after: index, indent: indent + 4, into: &output)
        Self.quote(name, into: &output)
        output.append(UInt8(ascii: ":"))
        output.append(UInt8(ascii: " "))
        value.write(to: &output, indent: indent + 4)
      }
      Self.close(UInt8(ascii: "}"), empty: members.isEmpty, indent: indent, into: &output)
    }
  }

  /// The separator before item `index` (a comma after the first) and the item's indentation.
  private static func newLine(after index: Int, indent: Int, into output: inout [UInt8]) {
    if index > 0 { output.append(UInt8(ascii: ",")) }
    output.append(UInt8(ascii: "\n"))
    for _ in 0..<indent { output.append(UInt8(ascii: " ")) }
  }

  /// The closing bracket: right after the opening one when empty, else on its own line.
  private static func close(_ bracket: UInt8, empty: Bool, indent: Int, into output: inout [UInt8])
  {
    if !empty {
      output.append(UInt8(ascii: "\n"))
      for _ in 0..<indent { output.append(UInt8(ascii: " ")) }
    }
    output.append(bracket)
  }

  /// Appends `text` as a JSON string literal to `output`.
  static func quote(_ text: String, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    defer { output.append(UInt8(ascii: "\"")) }
    // Printable ASCII other than the quote and the backslash needs no escape: checked byte by
    // byte and appended whole, which is most text.
    if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) && $0 != 0x22 && $0 != 0x5C }) {
      output.append(contentsOf: text.utf8)
      return
    }
    var escaped = ""
    TerminalText.appendReplacing(text, to: &escaped) { scalar in
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
    output.append(contentsOf: escaped.utf8)
  }
}
