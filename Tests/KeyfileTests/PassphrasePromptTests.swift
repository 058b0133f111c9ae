import Foundation
import Keyfile
import TestSupport
import Testing

@Suite("Passphrase prompt on the terminal (in tmux)")
struct PassphrasePromptTests {
  @Test(
    "a new passphrase is asked twice, without echo; backspace erases a character; unlocking asks once"
  )
  func promptWithoutEcho() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    let harness = harnessURL().path
    let create = try TmuxSession(
      command: "\(harness) increment \(path) 1", environment: ["HARNESS_PROMPT": "1"])
    defer { create.stop() }
    try create.waitFor("New passphrase for \(path):")
    // A backspace erases a whole character: with only its last byte gone, the entries would differ.
    try create.type("hunter2-secretä")
    try create.sendKeys("BSpace")
    try create.sendKeys("Enter")
    try create.waitFor("Repeat the passphrase:")
    try create.type("hunter2-secret")
    try create.sendKeys("Enter")
    #expect(try create.waitForExit() == 0)
    #expect(try !create.capture().contains("hunter2"))

    let unlock = try TmuxSession(
      command: "\(harness) unlock \(path)", environment: ["HARNESS_PROMPT": "1"])
    defer { unlock.stop() }
    try unlock.waitFor("Passphrase for \(path):")
    try unlock.type("hunter2-secret")
    try unlock.sendKeys("Enter")
    let screen = try unlock.waitFor("passphrase 1")
    #expect(!screen.contains("hunter2"))
    #expect(try unlock.waitForExit() == 0)
  }

  @Test("entries that differ are asked again, three times at most; Ctrl-C cancels, echo restored")
  func mismatchAndCancel() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    let harness = harnessURL().path
    let mismatch = try TmuxSession(
      command: "\(harness) increment \(path) 1", environment: ["HARNESS_PROMPT": "1"])
    defer { mismatch.stop() }
    for attempt in 1...3 {
      try mismatch.waitUntil("prompt \(attempt)") {
        $0.components(separatedBy: "New passphrase").count == attempt + 1
      }
      try mismatch.type("one-passphrase")
      try mismatch.sendKeys("Enter")
      try mismatch.waitUntil("repeat \(attempt)") {
        $0.components(separatedBy: "Repeat").count == attempt + 1
      }
      try mismatch.type("another-one")
      try mismatch.sendKeys("Enter")
    }
    let refused = try mismatch.waitFor("[exit=")
    #expect(refused.components(separatedBy: "type it again").count == 3, "two retries: \(refused)")
    #expect(refused.contains("the two entries differ"))
    #expect(!FileManager.default.fileExists(atPath: path))

    let retriedPath = root + "/retried"
    let retried = try TmuxSession(
      command: "\(harness) increment \(retriedPath) 1", environment: ["HARNESS_PROMPT": "1"])
    defer { retried.stop() }
    try retried.waitFor("New passphrase")
    try retried.type("one-passphrase")
    try retried.sendKeys("Enter")
    try retried.waitFor("Repeat")
    try retried.type("typo-passphrase")
    try retried.sendKeys("Enter")
    try retried.waitFor("type it again")
    try retried.waitUntil("the second prompt") {
      $0.components(separatedBy: "New passphrase").count == 3
    }
    try retried.type("one-passphrase")
    try retried.sendKeys("Enter")
    try retried.waitUntil("the second repeat") { $0.components(separatedBy: "Repeat").count == 3 }
    try retried.type("one-passphrase")
    try retried.sendKeys("Enter")
    #expect(try retried.waitForExit() == 0)
    #expect(FileManager.default.fileExists(atPath: retriedPath))

    let cancel = try TmuxSession(
      command: "\(harness) increment \(path) 1; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo",
      environment: ["HARNESS_PROMPT": "1"])
    defer { cancel.stop() }
    try cancel.waitFor("New passphrase")
    try cancel.type("abc")
    try cancel.sendKeys("C-c")
    let screen = try cancel.waitFor("[exit=")
    #expect(screen.contains("cancelled"))
    #expect(screen.split(separator: "\n").contains("echo"), "echo was not restored:\n\(screen)")
  }
}
