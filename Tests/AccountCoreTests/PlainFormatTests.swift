import AccountCore
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The C library's own formatting of `epoch` in UTC (`gmtime_r` + `strftime`): the oracle.
private func libc(_ epoch: Int, _ format: String) -> String {
  var time = time_t(epoch)
  var parts = tm()
  gmtime_r(&time, &parts)
  var buffer = [CChar](repeating: 0, count: 64)
  let count = strftime(&buffer, buffer.count, format, &parts)
  return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

@Suite("Locale-free formatting (checked against the C library and Foundation)")
struct PlainFormatTests {
  @Test("ISO 8601 and Cognito's SRP timestamp match gmtime + strftime for 20,000 instants")
  func times() {
    var generator = SystemRandomNumberGenerator()
    let fixed = [0, 1, 59, 86_399, 86_400, 951_782_400, 1_709_164_800, 4_102_444_799, -1, -86_401]
    let random = (0..<20_000).map { _ in
      Int.random(in: -2_000_000_000...8_000_000_000, using: &generator)
    }
    for epoch in fixed + random {
      #expect(PlainFormat.iso8601(epochSeconds: epoch) == libc(epoch, "%Y-%m-%dT%H:%M:%SZ"))
      let day = libc(epoch, "%d")
      let expected =
        libc(epoch, "%a %b ") + String(Int(day) ?? 0) + libc(epoch, " %H:%M:%S UTC %Y")
      #expect(PlainFormat.cognitoTimestamp(epochSeconds: epoch) == expected)
    }
  }

  @Test("hex and one-decimal numbers match String(format:)")
  func numbers() {
    for value in [0, 1, 10, 255, 4095, 65_535] {
      #expect(PlainFormat.hex(value, width: 2) == String(format: "%02x", value))
      #expect(PlainFormat.hex(value, width: 4, uppercase: true) == String(format: "%04X", value))
    }
    for value in [0.0, 0.04, 0.06, 1.24, 9.96, 12.34, 1234.5678, 99.99, 0.25] {
      #expect(PlainFormat.oneDecimal(value) == String(format: "%.1f", value), "\(value)")
    }
  }

  @Test("paths: parent, last component and standardized as NSString does them")
  func paths() {
    for path in [
      "/a/b/c", "/a/b/", "/a", "/", "name", "dir/name", "/home/zoe/.local/state/x.keyfile",
      "/a//b", "/a/./b/../c", "/a/b/..", "/../a",
    ] {
      let foundation = path as NSString
      #expect(PathText.parent(path) == foundation.deletingLastPathComponent, "\(path)")
      #expect(PathText.lastComponent(path) == foundation.lastPathComponent, "\(path)")
      #expect(PathText.standardized(path) == foundation.standardizingPath, "\(path)")
    }
  }
}

@Suite("Trimming without Foundation")
struct TrimmingTests {
  @Test(
    "trimmedWhitespace removes what trimmingCharacters(in: .whitespaces) removes, and only that")
  func whitespace() {
    for text in [
      "", " ", "\t a b \t", "\u{00A0}x\u{2003}", "x\n", "\n x \n", " é ", "ab",
      "\u{3000}全角\u{3000}",
    ] {
      #expect(
        text.trimmedWhitespace() == text.trimmingCharacters(in: .whitespaces),
        "\(text.debugDescription)")
    }
    #expect("[::1]".trimmed { $0 == "[" || $0 == "]" } == "::1")
  }
}

@Suite("ISO 8601 times as AWS writes them")
struct ISO8601ParsingTests {
  @Test("round trip with iso8601(epochSeconds:) over four centuries")
  func roundTrip() {
    var value = -2_208_988_800  // 1900
    while value < 10_000_000_000 {
      #expect(PlainFormat.epochSeconds(iso8601: PlainFormat.iso8601(epochSeconds: value)) == value)
      value += 7_919_999
    }
  }

  @Test(
    "fractions, offsets and UTC suffixes",
    arguments: [
      ("2026-12-03T08:00:00Z", 1_796_284_800),
      ("2026-12-03T08:00:00.123456Z", 1_796_284_800),
      ("2026-12-03T09:00:00+01:00", 1_796_284_800),
      ("2026-12-03T07:30:00-0030", 1_796_284_800),
      ("2026-12-03T08:00:00UTC", 1_796_284_800),
      ("2026-12-03 08:00:00", 1_796_284_800),
    ])
  func accepted(_ text: String, _ expected: Int) {
    #expect(PlainFormat.epochSeconds(iso8601: text) == expected)
  }

  @Test(
    "anything else is nil",
    arguments: [
      "", "2026-12-03", "2026-13-03T08:00:00Z", "2026-12-03T24:00:00Z", "2026-12-03T08:00:00+1",
      "2026-12-03T08:00:00.Z", "2026-12-03T08:00:00 GMT", "２０２６-12-03T08:00:00Z",
      "2026-12-03T08:00:00+01:00:00",
    ])
  func refused(_ text: String) {
    #expect(PlainFormat.epochSeconds(iso8601: text) == nil)
  }
}
