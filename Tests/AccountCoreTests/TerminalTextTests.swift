import AccountCore
import AccountView
import Foundation
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

@Suite struct ProcessEnvironmentTests {
  @Test func readsWhatFoundationReads() {
    // The byte-wise reader against FoundationEssentials' own, on this process's environment.
    #expect(ProcessEnvironment.current == ProcessInfo.processInfo.environment)
    #expect(ProcessEnvironment.current["PATH"] != nil)
  }
}
