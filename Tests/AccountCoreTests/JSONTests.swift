import AccountCore
import Foundation
import TestSupport
import Testing

/// `JSONValue` against Foundation's `JSONSerialization`, an independent reader: the same
/// documents accepted and read alike, the same malformed ones refused.
@Suite struct JSONTests {
  /// Foundation's reading of `bytes` as a `JSONValue`, or `nil` when it refuses them.
  static func foundation(_ bytes: [UInt8]) -> JSONValue? {
    guard
      let object = try? JSONSerialization.jsonObject(
        with: Data(bytes), options: [.fragmentsAllowed])
    else { return nil }
    return value(object)
  }

  static func value(_ object: Any) -> JSONValue {
    switch object {
    case is NSNull: return .null
    case let number as NSNumber where String(cString: number.objCType) == "c":
      return .bool(number.boolValue)
    case let number as NSNumber: return .number("\(number.doubleValue)")
    case let text as String: return .string(text)
    case let items as [Any]: return .array(items.map(value))
    case let members as [String: Any]:
      return .object(members.sorted { $0.key < $1.key }.map { JSONMember($0.key, value($0.value)) })
    default: return .null
    }
  }

  /// `value` with numbers as Doubles and members sorted, to compare with Foundation's reading.
  static func normalized(_ value: JSONValue) -> JSONValue {
    switch value {
    case .number(let text): return .number("\(Double(text)! + 0)")  // -0 as 0, as Foundation
    case .array(let items): return .array(items.map(normalized))
    case .object(let members):
      return .object(
        members.sorted { $0.name < $1.name }.map { JSONMember($0.name, normalized($0.value)) })
    default: return value
    }
  }

  /// A random value: every kind, strings with escapes, controls, quotes and non-ASCII text.
  static func random(_ generator: inout SeededGenerator, depth: Int = 0) -> JSONValue {
    let pieces = ["a", "é", "🔑", "\"", "\\", "\n", "\u{01}", "/", "\u{7F}", " ", "名", "\u{2028}"]
    func text() -> String {
      (0..<Int.random(in: 0...6, using: &generator)).map { _ in generator.pick(pieces) }.joined()
    }
    switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &generator))
    case 2:
      let numbers = ["0", "-0", "7", "-12", "3.25", "1e3", "2.5E-3", "1700000000", "-1.5e+10"]
      return .number(generator.pick(numbers))
    case 3: return .string(text())
    case 4:
      return .array(
        (0..<Int.random(in: 0...3, using: &generator)).map { _ in
          random(&generator, depth: depth + 1)
        })
    default:
      var names: Set<String> = []
      var members: [JSONMember] = []
      for _ in 0..<Int.random(in: 0...3, using: &generator) {
        let name = text()
        if names.insert(name).inserted {
          members.append(JSONMember(name, random(&generator, depth: depth + 1)))
        }
      }
      return .object(members)
    }
  }

  @Test func randomDocumentsReadAsFoundationReadsThemAndRoundTrip() throws {
    var generator = SeededGenerator(state: 0x4A53_4F4E)
    for _ in 0..<2_000 {
      let value = Self.random(&generator)
      let bytes = value.serialized
      let read = try JSONValue.parse(bytes)
      #expect(read == value, "round trip of \(String(decoding: bytes, as: UTF8.self))")
      let theirs = try #require(
        Self.foundation(bytes), "Foundation refuses \(String(decoding: bytes, as: UTF8.self))")
      #expect(Self.normalized(read) == Self.normalized(theirs))
    }
  }

  @Test func whitespaceEscapesAndNumbersAsWritten() throws {
    let text =
      #" { "a" : [ 1 , -0.5e+2 , true , false , null ] , "b" : "x\"\\\/\b\f\n\r\t\u00e9\ud83d\udd11" } "#
    let value = try JSONValue.parse(Array(text.utf8))
    #expect(
      value
        == .object([
          JSONMember(
            "a", .array([.number("1"), .number("-0.5e+2"), .bool(true), .bool(false), .null])),
          JSONMember("b", .string("x\"\\/\u{08}\u{0C}\n\r\té🔑")),
        ]))
    #expect(Self.normalized(value) == Self.normalized(Self.foundation(Array(text.utf8))!))
    #expect(try JSONValue.parse(Array(#"{"k":1,"k":2}"#.utf8))["k"] == .number("2"))
  }

  @Test func malformedDocumentsAreRefusedAsFoundationRefusesThem() {
    let malformed = [
      "", " ", "{", "}", "[", "[,1]", #"{"a" 1}"#, "{1:2}", #"{"a"}"#,
      "01", "1.", ".5", "-", "1e", "1e+", "+1", "0x10", "tru", "nul", "falsey", "[1 2]", "1 2",
      #""abc"#, #""\x""#, #""\u12""#, #""\u12G4""#, "NaN", "Infinity", "[1]]", "{}{}",
    ]
    for text in malformed {
      #expect(throws: JSONError.self, "accepted \(text)") {
        try JSONValue.parse(Array(text.utf8))
      }
      #expect(Self.foundation(Array(text.utf8)) == nil, "Foundation accepts \(text)")
    }
  }

  @Test func whatFoundationMayLetThroughIsRefusedToo() {
    // Trailing commas (Foundation on Linux takes them), raw control characters, invalid UTF-8,
    // lone surrogates and deep nesting: refused here
    // whatever another reader does with them.
    let refused: [[UInt8]] = [
      Array("[1,]".utf8), Array(#"{"a":1,}"#.utf8),
      Array("\"a\u{01}b\"".utf8), Array("\"a\nb\"".utf8), [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22],
      [0x22, 0xED, 0xA0, 0x80, 0x22], Array(#""\ud800""#.utf8), Array(#""\udc00x""#.utf8),
      Array(#""\ud800\u0041""#.utf8),
      Array(String(repeating: "[", count: JSONValue.maxDepth + 1).utf8)
        + Array(String(repeating: "]", count: JSONValue.maxDepth + 1).utf8),
    ]
    for bytes in refused {
      #expect(throws: JSONError.self, "accepted \(bytes)") { try JSONValue.parse(bytes) }
    }
    let deepest =
      String(repeating: "[", count: JSONValue.maxDepth)
      + String(repeating: "]", count: JSONValue.maxDepth)
    #expect(throws: Never.self) { try JSONValue.parse(Array(deepest.utf8)) }
  }

  @Test func valuesReadWithTheirTypesAndErrorsNameTheMember() throws {
    let document = try JSONValue.parse(
      Array(#"{"s":"x","i":42,"f":2.0,"d":1.5,"b":true,"n":null,"l":["a"],"m":{"k":"v"}}"#.utf8))
    #expect(try document.required("s", in: "T") as String == "x")
    #expect(try document.required("i", in: "T") as Int == 42)
    #expect(try document.required("f", in: "T") as Int == 2)
    #expect(try document.required("d", in: "T") as Double == 1.5)
    #expect(try document.required("b", in: "T") as Bool)
    #expect(try document.optional("n", in: "T") as String? == nil)
    #expect(try document.optional("absent", in: "T") as String? == nil)
    #expect(try document.required("l", in: "T") as [String] == ["a"])
    #expect(try document.required("m", in: "T") as [String: String] == ["k": "v"])
    #expect(throws: JSONError("T.n is missing")) { try document.required("n", in: "T") as String }
    #expect(throws: JSONError("T.s is not a number")) { try document.required("s", in: "T") as Int }
    #expect(throws: JSONError("T.d is not an integer")) {
      try document.required("d", in: "T") as Int
    }
    #expect(throws: JSONError("T.l[] is not a number")) {
      try document.required("l", in: "T") as [Int]
    }
  }
}

@Suite struct JSONIntegerTests {
  @Test func integersAsWrittenOrWhole() throws {
    func int(_ text: String) throws(JSONError) -> Int {
      try Int(json: .number(text), at: "n")
    }
    #expect(try int("42") == 42)
    #expect(try int("-7") == -7)
    #expect(try int("2.0") == 2)
    #expect(try int("1e3") == 1000)
    #expect(try int("9007199254740992") == 9_007_199_254_740_992)
    for text in ["2.5", "1e-1", "9007199254740993.5", "1e300", "1e400", "99999999999999999999"] {
      #expect(throws: JSONError.self, "\(text) read as an integer") { try int(text) }
    }
  }
}
