/// Reads the part of TOML 1.0 a config file is written in, and refuses the rest by name.
///
/// A byte-order mark at the start is skipped (editors on Windows write one; Python's tomllib
/// refuses it). Read: comments, table headers (`[profiles.work]`, quoted and dotted keys), `key = value`
/// lines (dotted keys too), one-line basic strings with every escape, one-line literal strings,
/// integers (decimal, `0x`, `0o`, `0b`, underscores), booleans. Refused with a message naming
/// the construct: arrays, inline tables, arrays of tables, multi-line strings, floats, dates
/// and times — TOML, but never a value a profile takes. Refused as TOML refuses them: duplicate
/// keys, a table defined twice, control characters, invalid UTF-8, anything malformed.
///
/// Why not a TOML library: the only one on hand (TOMLKit) imports Foundation's calendar types,
/// which link Foundation's internationalisation layer and ICU's 34 MB of data into the binary
/// (README, Performance). This reader is checked against Python's `tomllib` on a corpus of
/// documents, valid and not (`ConfigFileTests`), and fuzzed (`scripts/fuzz`).
enum TOMLReader {
  /// A value a key can hold here.
  enum Value {
    case string(String)
    case integer(Int)
    case bool(Bool)
    indirect case table(Table)
  }

  /// A table: its keys in file order, and whether a header or a dotted key made it.
  struct Table {
    /// One key and its value.
    struct Entry {
      var key: String
      var value: Value
    }
    var entries: [Entry] = []
    /// Made by a `[header]` of its own (a second header for it is an error).
    var hasHeader = false
    /// Made implicitly by a dotted key in a `key = value` line (no header may name it later).
    var fromDottedKey = false
  }

  /// TOML keys are equal when their Unicode scalars are (Swift's `==` would also equate
  /// canonically equivalent spellings, such as `é` and `e` + U+0301).
  static func sameKey(_ lhs: String, _ rhs: String) -> Bool {
    lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars)
  }

  /// The most parts a dotted key may have here (profiles need three; the limit keeps the
  /// recursive table walk shallow on hostile input).
  static let maximumKeyParts = 16

  /// Why a document was refused, with the line (1-based).
  struct Failure: Error, CustomStringConvertible {
    var line: Int
    var reason: String
    var description: String { "line \(line): \(reason)" }
  }

  /// Parses `bytes` (UTF-8) into its root table.
  static func parse(_ bytes: [UInt8]) throws(Failure) -> Table {
    var reader = Reader(bytes: bytes)
    return try reader.document()
  }

  private struct Reader {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var root = Table()
    /// The path of the table the last header opened.
    var current: [String] = []

    init(bytes: [UInt8]) {
      var bytes = bytes
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
      self.bytes = bytes
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func fail(_ reason: String) -> Failure { Failure(line: line, reason: reason) }

    mutating func document() throws(Failure) -> Table {
      guard String(validating: bytes, as: UTF8.self) != nil else {
        throw Failure(line: 1, reason: "the file is not valid UTF-8")
      }
      while peek != nil {
        skipSpaces()
        switch peek {
        case nil: break
        case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
        case UInt8(ascii: "["): try header()
        default: try keyValue()
        }
        try endOfLine()
      }
      return root
    }

    mutating func skipSpaces() {
      while peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t") { index += 1 }
    }

    /// Spaces, an optional comment, then a newline or the end.
    mutating func endOfLine() throws(Failure) {
      skipSpaces()
      if peek == UInt8(ascii: "#") {
        index += 1
        while let byte = peek, byte != UInt8(ascii: "\n") {
          if byte == UInt8(ascii: "\r") && index + 1 < bytes.count
            && bytes[index + 1] == UInt8(ascii: "\n")
          {
            break
          }
          if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
            throw fail("a control character in a comment")
          }
          index += 1
        }
      }
      switch peek {
      case nil: return
      case UInt8(ascii: "\n"):
        index += 1
      case UInt8(ascii: "\r")
      where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
        index += 2
      default:
        throw fail("unexpected text after the value or header")
      }
      line += 1
    }

    mutating func header() throws(Failure) {
      index += 1
      if peek == UInt8(ascii: "[") {
        throw fail("arrays of tables ([[…]]) are not used in this file")
      }
      skipSpaces()
      let path = try key()
      skipSpaces()
      guard peek == UInt8(ascii: "]") else { throw fail("a table header must end with ]") }
      index += 1
      try define(path)
      current = path
    }

    mutating func keyValue() throws(Failure) {
      let path = try key()
      skipSpaces()
      guard peek == UInt8(ascii: "=") else { throw fail("expected = after the key") }
      index += 1
      skipSpaces()
      let value = try self.value()
      try insert(value, at: current, dotted: path)
    }

    /// A dotted key: simple keys separated by `.`.
    mutating func key() throws(Failure) -> [String] {
      var parts = [try simpleKey()]
      while true {
        skipSpaces()
        guard peek == UInt8(ascii: ".") else { return parts }
        index += 1
        skipSpaces()
        parts.append(try simpleKey())
        if parts.count > TOMLReader.maximumKeyParts {
          throw fail(
            "keys of more than \(TOMLReader.maximumKeyParts) parts are not used in this file")
        }
      }
    }

    mutating func simpleKey() throws(Failure) -> String {
      switch peek {
      case UInt8(ascii: "\""): return try basicString()
      case UInt8(ascii: "'"): return try literalString()
      default:
        let start = index
        while let byte = peek, Self.isBareKeyByte(byte) { index += 1 }
        guard index > start else { throw fail("expected a key") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
      }
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    mutating func value() throws(Failure) -> Value {
      switch peek {
      case nil, UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
        throw fail("a key needs a value")
      case UInt8(ascii: "\""):
        if bytes[index...].starts(with: Array("\"\"\"".utf8)) {
          throw fail("multi-line strings are not used in this file: write the value on one line")
        }
        return .string(try basicString())
      case UInt8(ascii: "'"):
        if bytes[index...].starts(with: Array("'''".utf8)) {
          throw fail("multi-line strings are not used in this file: write the value on one line")
        }
        return .string(try literalString())
      case UInt8(ascii: "["):
        throw fail("arrays are not used in this file (a string, number or boolean is)")
      case UInt8(ascii: "{"):
        throw fail("inline tables are not used in this file: write a [table] header")
      default:
        let start = index
        while let byte = peek,
          !(byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "#"))
        {
          index += 1
        }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        if let number = Self.integer(word) { return .integer(number) }
        if Self.integer(String(word.prefix(2)) + "0") != nil || word.first?.isNumber == true,
          word.allSatisfy({ $0.isNumber || $0 == "_" || $0 == "+" || $0 == "-" }),
          word.filter({ $0 == "-" }).count < 2
        {
          throw fail("'\(word)' is outside the 64-bit integer range (as TOML allows)")
        }
        if word.contains(where: { $0 == ":" || $0 == "." || $0 == "e" || $0 == "E" })
          || ["inf", "nan", "+inf", "-inf", "+nan", "-nan"].contains(word)
          || word.filter({ $0 == "-" }).count == 2
        {
          throw fail("'\(word)': floats, dates and times are not used in this file")
        }
        throw fail("'\(word)' is not a value (strings are quoted)")
      }
    }

    /// A TOML integer: decimal (no leading zeros), or 0x/0o/0b; underscores between digits.
    static func integer(_ word: String) -> Int? {
      var text = Substring(word)
      var radix = 10
      var sign = ""
      if text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix("0b") {
        radix = text.hasPrefix("0x") ? 16 : text.hasPrefix("0o") ? 8 : 2
        text = text.dropFirst(2)
      } else if let first = text.first, first == "+" || first == "-" {
        sign = first == "-" ? "-" : ""
        text = text.dropFirst()
      }
      guard let first = text.first, let last = text.last, first != "_", last != "_",
        !text.contains("__")
      else { return nil }
      if radix == 10 && first == "0" && text.count > 1 { return nil }
      let digits = text.filter { $0 != "_" }
      guard digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
      return Int(sign + digits, radix: radix)
    }

    mutating func basicString() throws(Failure) -> String {
      index += 1
      var scalars = String.UnicodeScalarView()
      var start = index
      func flush(_ reader: Reader, upTo end: Int) {
        scalars.append(
          contentsOf: String(decoding: reader.bytes[start..<end], as: UTF8.self).unicodeScalars)
      }
      while true {
        guard let byte = peek, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
          throw fail("a string is not closed on its line")
        }
        if byte == UInt8(ascii: "\"") {
          flush(self, upTo: index)
          index += 1
          return String(scalars)
        }
        if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
          throw fail("a control character in a string (write it as an escape)")
        }
        guard byte == UInt8(ascii: "\\") else {
          index += 1
          continue
        }
        flush(self, upTo: index)
        index += 1
        guard let escape = peek else { throw fail("a string is not closed on its line") }
        index += 1
        switch escape {
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
          let count = escape == UInt8(ascii: "u") ? 4 : 8
          guard index + count <= bytes.count,
            bytes[index..<index + count].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
            let code = UInt32(
              String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(code)
          else { throw fail("an invalid \\u or \\U escape") }
          scalars.append(scalar)
          index += count
        default:
          throw fail("an unknown escape in a string")
        }
        start = index
      }
    }

    mutating func literalString() throws(Failure) -> String {
      index += 1
      let start = index
      while true {
        guard let byte = peek, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
          throw fail("a string is not closed on its line")
        }
        if byte == UInt8(ascii: "'") {
          let text = String(decoding: bytes[start..<index], as: UTF8.self)
          index += 1
          return text
        }
        if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
          throw fail("a control character in a string")
        }
        index += 1
      }
    }

    // MARK: The tree

    /// Makes the table at `path` by a header: each level made if missing; the last must not
    /// have had a header, nor been made by a dotted key, nor be a value.
    mutating func define(_ path: [String]) throws(Failure) {
      let failure = fail("the table [\(Self.dotted(path))] is defined twice")
      let notTable = fail("[\(Self.dotted(path))] names a key that holds a value")
      try Self.define(path[...], in: &root, failure: failure, notTable: notTable)
    }

    /// `a.b.c`, joined by hand: `joined(separator:)` is generic code the runtime first looks up
    /// (a scan of the binary's conformance records) on every start that reads a config file.
    static func dotted(_ keys: [String]) -> String {
      var name = ""
      var first = true
      for key in keys {
        if !first { name += "." }
        name += key
        first = false
      }
      return name
    }

    private static func define(
      _ path: ArraySlice<String>, in table: inout Table, failure: Failure, notTable: Failure
    ) throws(Failure) {
      let key = path.first!
      let position = table.entries.firstIndex { sameKey($0.key, key) }
      var child = Table()
      if let position {
        guard case .table(let existing) = table.entries[position].value else { throw notTable }
        child = existing
      }
      if path.count == 1 {
        if child.hasHeader || child.fromDottedKey { throw failure }
        if position != nil
          && child.entries.contains(where: { if case .table = $0.value { false } else { true } })
        {
          throw failure
        }
        child.hasHeader = true
      } else {
        try define(path.dropFirst(), in: &child, failure: failure, notTable: notTable)
      }
      if let position {
        table.entries[position].value = .table(child)
      } else {
        table.entries.append(Table.Entry(key: key, value: .table(child)))
      }
    }

    /// Puts `value` at `dotted` under the table at `base`.
    mutating func insert(_ value: Value, at base: [String], dotted: [String]) throws(Failure) {
      let name = Self.dotted(base + dotted)
      try Self.insert(
        value, base: base[...], dotted: dotted[...], in: &root,
        duplicate: fail("the key \(name) is defined twice"))
    }

    private static func insert(
      _ value: Value, base: ArraySlice<String>, dotted: ArraySlice<String>, in table: inout Table,
      duplicate: Failure
    ) throws(Failure) {
      let inBase = !base.isEmpty
      let key = inBase ? base.first! : dotted.first!
      let isLast = !inBase && dotted.count == 1
      let position = table.entries.firstIndex { sameKey($0.key, key) }
      if isLast {
        guard position == nil else { throw duplicate }
        table.entries.append(Table.Entry(key: key, value: value))
        return
      }
      var child = Table()
      if let position {
        guard case .table(let existing) = table.entries[position].value else { throw duplicate }
        // A dotted key may not add to a table a header made, unless it is the header's own.
        if !inBase && existing.hasHeader { throw duplicate }
        child = existing
      }
      // A table a dotted key walks through may not get a header of its own later.
      if !inBase { child.fromDottedKey = true }
      if inBase {
        try insert(value, base: base.dropFirst(), dotted: dotted, in: &child, duplicate: duplicate)
      } else {
        try insert(value, base: [], dotted: dotted.dropFirst(), in: &child, duplicate: duplicate)
      }
      if let position {
        table.entries[position].value = .table(child)
      } else {
        table.entries.append(Table.Entry(key: key, value: .table(child)))
      }
    }
  }
}
