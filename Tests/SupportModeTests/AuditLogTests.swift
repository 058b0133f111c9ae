import AuditLog
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The audit-harness executable, built beside the test bundle.
func auditHarness() -> URL {
  URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("audit-harness")
}

func temporaryLogPath() throws -> String {
  let directory = NSTemporaryDirectory() + "audit-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  return directory + "/state/cognito-account/audit.jsonl"
}

/// Every line of the file (newline-terminated; a partial tail is left out), and whether each
/// parses as an entry; and whether there is a partial tail.
func lines(of path: String) throws -> (lines: [(text: Substring, entry: AuditEntry?)], tail: Bool) {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  let whole =
    text.hasSuffix("\n")
    ? Substring(text)
    : text[..<(text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex)]
  let parsed = whole.split(separator: "\n").map {
    ($0, try? JSONDecoder().decode(AuditEntry.self, from: Data($0.utf8)))
  }
  return (parsed, whole.count != text.count)
}

@Suite("The audit log")
struct AuditLogTests {
  @Test("a line per entry, 0600 in a 0700 directory, values never written")
  func layout() throws {
    let path = try temporaryLogPath()
    let log = AuditLog(path: path)
    let entry = AuditEntry(
      phase: "intent", id: AuditLog.newID(), time: AuditLog.timestamp(),
      caller: "arn:aws:iam::1:user/a", sourceIdentity: "alice", profile: "p",
      userPool: "us-east-1_X", username: "zoe", sub: "s-1", operation: "AdminUpdateUserAttributes",
      attributes: ["email"], reason: "TICKET-1 \"quoted\"\nsecond line")
    try log.append(entry)
    var outcome = entry
    outcome.phase = "outcome"
    outcome.result = "ok"
    try log.append(outcome)
    let read = try log.read()
    #expect(read.entries == [entry, outcome])
    #expect(read.unreadableLines == 0)
    #expect(try lines(of: path).lines.count == 2)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let directory = try FileManager.default.attributesOfItem(
      atPath: (path as NSString).deletingLastPathComponent)
    #expect((directory[.posixPermissions] as? Int) == 0o700)
    #expect(AuditLog.timestamp(Date(timeIntervalSince1970: 1.5)) == "1970-01-01T00:00:01.500Z")
  }

  @Test("SIGKILL while appending never leaves a broken line: a dead writer's tail is cut off")
  func killedWriters() throws {
    let path = try temporaryLogPath()
    var generator = SystemRandomNumberGenerator()
    let rounds = Int(ProcessInfo.processInfo.environment["AUDIT_KILL_ROUNDS"] ?? "") ?? 40
    for round in 0..<rounds {
      let process = Process()
      process.executableURL = auditHarness()
      process.arguments = [path, "k\(round)", "0"]
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      _ = output.fileHandleForReading.availableData
      usleep(UInt32.random(in: 0...5_000, using: &generator))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      #expect(process.terminationReason == .uncaughtSignal, "round \(round) ended on its own")
    }
    // Every whole line is an entry; at most the last kill left a partial tail, which the next
    // writer cuts off and a reader never counts as an entry.
    let afterKills = try lines(of: path)
    #expect(afterKills.lines.count >= rounds)
    #expect(afterKills.lines.allSatisfy { $0.entry != nil }, "a broken line after SIGKILL")
    let log = AuditLog(path: path)
    #expect(try log.read().entries.count == afterKills.lines.count)
    // A partial tail, whether a kill left one or not:
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(#"{"phase":"intent","id":"torn"#.utf8))
    try handle.close()
    #expect(try log.read().unreadableLines == 1)
    let next = AuditEntry(
      phase: "intent", id: "after", time: AuditLog.timestamp(), caller: "c", sourceIdentity: nil,
      profile: "p", userPool: "u", username: "n", sub: nil, operation: "AdminDisableUser",
      attributes: nil, reason: "r")
    try log.append(next)
    let final = try lines(of: path)
    #expect(!final.tail)
    #expect(final.lines.allSatisfy { $0.entry != nil })
    #expect(final.lines.count == afterKills.lines.count + 1)
    let read = try log.read()
    #expect(read.unreadableLines == 0)
    #expect(read.entries.last == next)
  }

  @Test("two processes appending at once never interleave their lines")
  func concurrentWriters() throws {
    let path = try temporaryLogPath()
    let count = 300
    let writers = ["a", "b"].map { tag -> Process in
      let process = Process()
      process.executableURL = auditHarness()
      process.arguments = [path, tag, String(count)]
      process.standardOutput = FileHandle.nullDevice
      return process
    }
    for writer in writers { try writer.run() }
    for writer in writers {
      writer.waitUntilExit()
      #expect(writer.terminationStatus == 0)
    }
    let all = try lines(of: path).lines
    #expect(all.count == 2 * count)
    #expect(all.allSatisfy { $0.entry != nil })
    for tag in ["a", "b"] {
      let mine = all.compactMap(\.entry).filter { $0.username == "user-\(tag)" }
      #expect(mine.map(\.reason) == (0..<count).map { "\(tag) entry \($0)" })
    }
  }
}
