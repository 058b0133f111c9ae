import AccountApp
import Foundation
import Testing

@Suite("The log file")
struct EventLogTests {
  @Test("a field holding a line feed or a control sequence stays on its own escaped line")
  func oneLinePerRecord() throws {
    let path = NSTemporaryDirectory() + "event-log-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let log = try EventLog(path: path)
    log.record("op=GetUser result=\"Bad\n2026-01-01T00:00:00Z pid=1 forged\u{1b}]0;x\u{07}\"")
    log.record("op=GetUser result=\"HTTP 200\"")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == 2, "\(text)")
    #expect(lines.first?.contains(#"Bad\n2026-01-01T00:00:00Z pid=1 forged\e]0;x\x07"#) == true)
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
  }
}
