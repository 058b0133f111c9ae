import AccountCore
import Foundation
import TestSupport
import Testing

@testable import AccountApp

/// The parsed document with every leaf tagged by type, as scripts/toml_reference.py tags
/// tomllib's.
private func tagged(_ table: TOMLReader.Table) -> [String: Any] {
  var result: [String: Any] = [:]
  for entry in table.entries {
    switch entry.value {
    case .string(let text): result[entry.key] = ["s", text]
    case .integer(let number): result[entry.key] = ["i", String(number)]
    case .bool(let flag): result[entry.key] = ["b", flag]
    case .table(let child): result[entry.key] = tagged(child)
    }
  }
  return result
}

/// What tomllib says of each document.
private func reference(_ documents: [String]) throws -> [[String: Any]] {
  let output = try ReferenceScript.run(
    "toml_reference.py", input: try JSONSerialization.data(withJSONObject: documents))
  return try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
}

/// Refusals of valid TOML this reader makes on purpose (constructs no profile uses).
private let refusedByDesign = [
  "are not used in this file", "floats, dates and times", "outside the 64-bit integer range",
]

private let valid = [
  "",
  "# only a comment\n",
  "default_profile = \"work\"\n\n[profiles.work]\nuser_pool_id = \"eu-west-1_AbC\"\nread_only = true\n",
  "[profiles.default]\r\nclient_id = 'abc'\r\nunlock_cache_minutes = 15 # minutes\r\n",
  "[ profiles . \"we ird\" ]\nregion=\"x\"",
  "profiles.work.region = \"eu-west-1\"\nprofiles.work.read_only = false\n",
  "[profiles]\nwork.region = \"a\"\nhome.region = \"b\"\n",
  "[profiles.a]\nx = 1\n[profiles.b]\nx = -2\n[profiles]\n",
  "k = \"tab\\there \\u00e9 \\U0001F600 \\\\ \\\" \\b\\f\\n\\r\"\n",
  "k = 'C:\\path\\no escapes'\n",
  "n1 = +0\nn2 = -0\nn3 = 1_000\nn4 = 0xDEAD_beef\nn5 = 0o755\nn6 = 0b1010\n",
  "\"\" = 1\n'quoted key' = 2\n",
  "k = \"\"\n",
  "a.b.c = 1\na.b.d = 2\n",
  "\"\\u00e9\" = 1\n\"e\\u0301\" = 2\n",
  "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n",
]

private let invalid = [
  "k = \n", "k\n", "= 1\n", "[a\n", "[a]]\n", "k = \"open\n", "k = 'open\n", "k = 1 2\n",
  "k = 1\nk = 2\n", "[a]\n[a]\n", "a = 1\n[a]\n", "a.b = 1\n[a]\n", "[a.b]\nx=1\n[a]\nb.y = 2\n",
  "k = 01\n", "k = 1__0\n", "k = _1\n", "k = 0x\n", "k = +0x1\n", "k = True\n",
  "k = \"\\x41\"\n", "k = \"\\uD800\"\n", "k = \"a\u{01}b\"\n", "# bell \u{07}\n", "k = 1\r2\n",
  "a = 1\na.b = 2\n", "[a.b.c]\n[a]\nb.d.e = 1\n[a.b]\n", "k = \"\\u12\"\n", "[]\n", "k = 0b102\n",
  "k = 99999999999999999999\n",
]

private let byDesign = [
  "k = [1, 2]\n", "k = {a = 1}\n", "[[a]]\nk = 1\n", "k = \"\"\"a\"\"\"\n", "k = '''a'''\n",
  "k = 1.5\n", "k = 1e3\n", "k = inf\n", "k = 1979-05-27\n", "k = 07:32:00\n",
  "k = 1979-05-27T07:32:00Z\n",
  String(repeating: "a.", count: 20_000) + "a = 1\n",
]

@Suite("The config file's TOML reader, checked against Python's tomllib")
struct TOMLReaderTests {
  /// Checks one document against tomllib's answer.
  private func check(_ document: String, _ answer: [String: Any]) {
    let ours = Result { () throws(TOMLReader.Failure) in try TOMLReader.parse(Array(document.utf8))
    }
    switch (ours, answer["value"]) {
    case (.success(let table), let theirs?):
      #expect(
        NSDictionary(dictionary: tagged(table)).isEqual(theirs),
        "\(document.debugDescription): ours \(tagged(table)), tomllib \(theirs)")
    case (.success(let table), nil):
      Issue.record(
        "\(document.debugDescription): accepted as \(tagged(table)); tomllib: \(answer["error"] ?? "")"
      )
    case (.failure(let failure), .some):
      #expect(
        refusedByDesign.contains { failure.reason.contains($0) },
        "\(document.debugDescription): refused (\(failure)) though tomllib accepts it")
    case (.failure, nil):
      break
    }
  }

  @Test("a corpus of valid, invalid and deliberately refused documents")
  func corpus() throws {
    let documents = valid + invalid + byDesign
    let answers = try reference(documents)
    for (document, answer) in zip(documents, answers) { check(document, answer) }
    for document in valid {
      #expect(
        (try? TOMLReader.parse(Array(document.utf8))) != nil, "\(document.debugDescription)")
    }
    for document in byDesign {
      #expect(throws: TOMLReader.Failure.self) { try TOMLReader.parse(Array(document.utf8)) }
    }
  }

  @Test("2,000 mutations of real config files: never accepted differently from tomllib")
  func mutations() throws {
    // A fixed linear congruential generator: a failure names a document that reproduces.
    var state: UInt64 = 0x5EED
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let seeds = Array(valid.prefix(11))
    let pieces = [
      "\"", "'", "=", "[", "]", ".", "#", "\n", " ", "\\", "\\u", "_", "0x", "-", "+", "1", "a",
      "\t", "\r\n", "é", "\"\"\"", "{", "}", ",", "true", "0",
    ]
    var documents: [String] = []
    while documents.count < 2000 {
      var characters = Array(seeds[next(seeds.count)])
      for _ in 0...next(3) {
        let position = characters.isEmpty ? 0 : next(characters.count + 1)
        switch next(3) {
        case 0: characters.insert(contentsOf: pieces[next(pieces.count)], at: position)
        case 1 where !characters.isEmpty: characters.remove(at: min(position, characters.count - 1))
        default:
          if !characters.isEmpty {
            characters[min(position, characters.count - 1)] = Array(pieces[next(pieces.count)])[0]
          }
        }
      }
      documents.append(String(characters))
    }
    let answers = try reference(documents)
    for (document, answer) in zip(documents, answers) { check(document, answer) }
  }

  @Test("a byte-order mark is skipped (tomllib refuses one; editors on Windows write it)")
  func byteOrderMark() throws {
    let table = try TOMLReader.parse(Array("\u{FEFF}k = 1\n".utf8))
    #expect(table.entries.map(\.key) == ["k"])
  }

  @Test("bytes that are not UTF-8 are refused, also when read from the file")
  func notUTF8() throws {
    let path = NSTemporaryDirectory() + "toml-" + UUID().uuidString + ".toml"
    try Data([UInt8]("[profiles.a]\nregion = \"".utf8) + [0xFF] + [UInt8]("\"\n".utf8))
      .write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: AccountError.self) { try ConfigFile.load(path: path) }
    #expect(throws: TOMLReader.Failure.self) {
      try TOMLReader.parse([0x6B, 0x3D, 0x22, 0xFF, 0x22])
    }
  }
}
