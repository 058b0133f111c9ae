import AccountCore
import CLinuxKeyring
import Foundation
import TestSupport
import Testing

@testable import Keyfile

#if canImport(Glibc)
  import Glibc
#endif

/// The keyfile-harness executable, built beside the test bundle.
func harnessURL() -> URL {
  URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("keyfile-harness")
}

/// Runs the harness to completion and returns its standard output.
@discardableResult
func runHarness(_ arguments: [String], environment: [String: String]) throws -> String {
  let process = Process()
  process.executableURL = harnessURL()
  process.arguments = arguments
  process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("Keyfile across processes")
struct KeyfileProcessTests {
  /// Kills a process that saves in a loop at `count` random moments; after each kill the keyfile
  /// must decrypt to one complete session. The count is raised under `scripts/test --long`.
  @Test("crash safety: SIGKILL at random moments never leaves a half-written keyfile")
  func crashLoop() throws {
    let kills = Int(ProcessInfo.processInfo.environment["KEYFILE_CRASH_KILLS"] ?? "") ?? 200
    let root = try privateDirectory()
    let path = root + "/k"
    var generator = SystemRandomNumberGenerator()
    var lastSeen = -1
    var completed = 0
    for round in 0..<kills {
      let process = Process()
      process.executableURL = harnessURL()
      process.arguments = ["save-loop", path]
      process.environment = ["COGNITO_ACCOUNT_PASSPHRASE": "pass", "HARNESS_LOGN": "4"]
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      // Wait for the first save, then kill after a random extra 0–15 ms of saving.
      _ = output.fileHandleForReading.availableData
      usleep(UInt32.random(in: 0...15_000, using: &generator))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      #expect(process.terminationReason == .uncaughtSignal, "round \(round) ended on its own")
      let session = try keyfile(path).load()
      #expect(session.userPoolID == "us-east-1_Harness", "round \(round)")
      #expect(session.refreshToken.reveal.hasPrefix("count-"))
      lastSeen = session.accessTokenExpiresAt
      completed += 1
    }
    #expect(completed == kills)
    #expect(lastSeen >= 0)
  }

  /// Two processes each run load → +1 → save under the lock; a lost update shows as a total
  /// below the sum. The number of processes and rounds grows under `scripts/test --long`.
  @Test("concurrency: processes refreshing under the lock never lose an update")
  func concurrentWriters() async throws {
    let writers = Int(ProcessInfo.processInfo.environment["KEYFILE_WRITERS"] ?? "") ?? 2
    let rounds = 100
    let root = try privateDirectory()
    let path = root + "/k"
    let environment = ["COGNITO_ACCOUNT_PASSPHRASE": "pass", "HARNESS_LOGN": "4"]
    try runHarness(["increment", path, "0", "setup"], environment: environment)
    try await withThrowingTaskGroup(of: String.self) { group in
      for writer in 0..<writers {
        group.addTask {
          try runHarness(
            ["increment", path, String(rounds), "w\(writer)"], environment: environment)
        }
      }
      for try await output in group { #expect(output.isEmpty, "a writer failed: \(output)") }
    }
    let final = try keyfile(path).load()
    #expect(final.refreshToken.reveal == "count-\(writers * rounds)")
  }

  @Test("unlock cache: a second process unlocks without the passphrase while it is warm")
  func cacheWarm() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    let withPassphrase = ["COGNITO_ACCOUNT_PASSPHRASE": "pass", "HARNESS_CACHE_SECONDS": "60"]
    let withoutPassphrase = ["HARNESS_CACHE_SECONDS": "60"]
    try runHarness(["increment", path, "1"], environment: withPassphrase)
    #expect(try runHarness(["unlock", path], environment: withoutPassphrase) == "keyring 1")
    // A different keyfile never gets this key.
    let other = root + "/other"
    try runHarness(["increment", other, "1"], environment: ["COGNITO_ACCOUNT_PASSPHRASE": "pass"])
    #expect(try runHarness(["unlock", other], environment: withoutPassphrase).hasPrefix("error:"))
    // Logout drops it.
    try keyfile(path, cache: UnlockCache(timeout: .seconds(60))).remove()
    try runHarness(["increment", path, "1"], environment: ["COGNITO_ACCOUNT_PASSPHRASE": "pass"])
    #expect(try runHarness(["unlock", path], environment: withoutPassphrase).hasPrefix("error:"))
  }

  @Test(
    "unlock cache: holds the key check and AEAD key, never scrypt's master key; an old entry of the master key still unlocks"
  )
  func cachePayload() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try runHarness(
      ["increment", path, "1"],
      environment: ["COGNITO_ACCOUNT_PASSPHRASE": "pass", "HARNESS_CACHE_SECONDS": "60"])
    // The independent reader (Python `cryptography`) derives the same keys from the file.
    let reference = String(
      decoding: try ReferenceScript.run(
        "keyfile_reference.py", arguments: ["--keys", path], input: Data("pass".utf8)),
      as: UTF8.self
    ).split(separator: "\n").map(String.init)
    try #require(reference.count == 2)
    let header = try keyfile(path).header()
    let name = UnlockCache.description(
      path: path, salt: header.salt, parameters: header.parameters)
    let ring = try #require(UnlockCache.targetKeyring())
    func payload() -> [UInt8]? {
      let id = ckr_search(ring.id, "user", name)
      guard id >= 0 else { return nil }
      var buffer = [UInt8](repeating: 0, count: 128)
      let count = ckr_read(Int32(truncatingIfNeeded: id), &buffer, buffer.count)
      return count < 0 ? nil : Array(buffer[0..<count])
    }
    let hex = { (bytes: [UInt8]) in bytes.map { PlainFormat.hex($0, width: 2) }.joined() }
    let stored = try #require(payload())
    #expect(stored.count == 48)
    #expect(hex(stored) == reference[1])
    #expect(!hex(stored).contains(reference[0]))
    // An entry an earlier version stored (the 32-byte master key) unlocks as before.
    let master = stride(from: 0, to: reference[0].count, by: 2).map {
      UInt8(reference[0].dropFirst($0).prefix(2), radix: 16)!
    }
    #expect(ckr_add_key("user", name, master, master.count, ring.id) >= 0)
    #expect(payload()?.count == 32)
    #expect(
      try runHarness(["unlock", path], environment: ["HARNESS_CACHE_SECONDS": "60"])
        == "keyring 1")
    try keyfile(path, cache: UnlockCache(timeout: .seconds(60))).remove()
    #expect(payload() == nil)
  }

  @Test("unlock cache: not after its timeout")
  func cacheExpires() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    try runHarness(
      ["increment", path, "1"],
      environment: ["COGNITO_ACCOUNT_PASSPHRASE": "pass", "HARNESS_CACHE_SECONDS": "1"])
    sleep(2)
    let output = try runHarness(["unlock", path], environment: ["HARNESS_CACHE_SECONDS": "60"])
    #expect(output.hasPrefix("error: no keyfile passphrase"))
  }

  @Test("unlock cache: a wrong cached key (keyfile replaced) falls back to asking, never crashes")
  func wrongCachedKey() throws {
    let root = try privateDirectory()
    let path = root + "/k"
    let cache = UnlockCache(timeout: .seconds(60))
    // Same path, same salt, different passphrase: the cached key no longer fits.
    try runHarness(
      ["increment", path, "1"],
      environment: ["COGNITO_ACCOUNT_PASSPHRASE": "first", "HARNESS_CACHE_SECONDS": "60"])
    let header = try keyfile(path, passphrase: "first").header()
    let replacement = try KeyfileFormat.sealForKnownAnswer(
      sampleSession("replaced"), passphrase: "second", parameters: header.parameters,
      salt: header.salt, nonce: Array(repeating: 7, count: 12))
    _ = FileManager.default.createFile(atPath: path, contents: Data(replacement))
    chmod(path, 0o600)
    let asked = try runHarness(["unlock", path], environment: ["HARNESS_CACHE_SECONDS": "60"])
    #expect(asked.hasPrefix("error: no keyfile passphrase"), "got \(asked)")
    let file = Keyfile(path: path, passphrase: .fixed("second"), parameters: cheap, cache: cache)
    #expect(try file.load() == sampleSession("replaced"))
    #expect(file.lastUnlockMethod == .passphrase)
  }

  @Test("the kernel keyring is reported usable or explains why not")
  func availability() {
    switch UnlockCache(timeout: .seconds(60)).availability {
    case .available: break
    case .unavailable(let reason): #expect(!reason.isEmpty)
    case .disabled: Issue.record("a 60 s cache must not report itself off")
    }
    #expect(UnlockCache(timeout: .zero).availability == .disabled)
  }
}
