import AccountCore
import AccountView
import Foundation
import TestSupport
import Testing

@Suite("Escaping untrusted text for the terminal")
struct TerminalTextTests {
  @Test(
    "controls and bidi overrides become visible escapes",
    arguments: [
      ("plain", "plain"),
      ("a\u{1b}]0;pwned\u{07}b", "a\\e]0;pwned\\x07b"),
      ("line\nbreak\r", "line\\nbreak\\r"),
      ("tab\there", "tab\\there"),
      ("del\u{7f}", "del\\x7f"),
      ("c1\u{9b}31m", "c1\\x9b31m"),
      ("rtl\u{202e}txt", "rtl\\u{202e}txt"),
      ("iso\u{2066}x\u{2069}", "iso\\u{2066}x\\u{2069}"),
      ("back\\slash", "back\\\\slash"),
      ("Zoë 🚀 用户", "Zoë 🚀 用户"),
    ])
  func escapes(input: String, expected: String) {
    #expect(TerminalText.escape(input) == expected)
  }

  @Test("the output never contains a raw control character")
  func noRawControls() {
    let hostile = (0..<0xA0).compactMap(Unicode.Scalar.init).map(String.init).joined()
    let escaped = TerminalText.escape(hostile)
    #expect(
      !escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
  }
}

@Suite("Replacing scalars in text, against a walk scalar by scalar")
struct AppendReplacingTests {
  /// What `appendReplacing` must produce: every scalar offered to `replacement`.
  static func reference(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
    var output = ""
    for scalar in text.unicodeScalars { output += replacement(scalar) ?? String(scalar) }
    return output
  }

  static let pieces: [String] = [
    "a", "Z", " ", "~", "\"", "\\", "\n", "\r", "\t", "\u{1b}", "\u{7f}", "\u{85}", "\u{9b}",
    "é", "ë", "Å", "😀", "🚀", "用", "\u{202e}", "\u{2066}", "\u{200e}", "\u{61c}", "e\u{301}",
    "\u{ffff}", "\u{10ffff}", "abc", "0123456789",
  ]

  @Test("the same text as the reference, for 2,000 seeded strings and both callers' rules")
  func matchesReference() {
    var generator = SeededGenerator(state: 0x7e57_7e87)
    let rules: [(Unicode.Scalar) -> String?] = [
      { TerminalText.isUnsafe($0) ? "<\($0.value)>" : nil },
      { $0 == "\"" || $0 == "\\" || TerminalText.isUnsafe($0) ? "[\($0.value)]" : nil },
      { _ in nil },
    ]
    for _ in 0..<2_000 {
      var text = ""
      for _ in 0..<Int.random(in: 0...24, using: &generator) {
        text += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &generator)]
      }
      for rule in rules {
        var output = "prefix:"
        TerminalText.appendReplacing(text, to: &output, rule)
        // Compared as bytes: `==` on strings would accept a canonically equivalent rewrite.
        #expect(
          Array(output.utf8) == Array(("prefix:" + Self.reference(text, rule)).utf8),
          "\(text.debugDescription)")
      }
    }
  }
}

@Suite struct ProcessEnvironmentTests {
  @Test func readsWhatFoundationReads() {
    // The byte-wise reader against FoundationEssentials' own, on this process's environment.
    #expect(ProcessEnvironment.current == ProcessInfo.processInfo.environment)
    #expect(ProcessEnvironment.current["PATH"] != nil)
  }
}
