// A helper the keyfile tests run as separate processes: a save loop to kill at random moments,
// a locked read–modify–write loop for two processes at once, and an unlock that reports how the
// key was obtained. Not installed; not part of the product.
//
//   keyfile-harness save-loop PATH          save forever (prints "ready" after the first save)
//   keyfile-harness increment PATH N NAME   N times, under the lock: load, count + 1, save
//   keyfile-harness unlock PATH             load; print memory|keyring|passphrase, or the error
//
// Environment: COGNITO_ACCOUNT_PASSPHRASE (absent = no passphrase available),
// HARNESS_LOGN (scrypt log2 N for new files, default 10), HARNESS_CACHE_SECONDS (default 0),
// HARNESS_PROMPT=1 (ask on the terminal instead).

import AccountCore
import Foundation
import Keyfile

let environment = ProcessInfo.processInfo.environment
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  FileHandle.standardError.write(
    Data("usage: keyfile-harness save-loop|increment|unlock PATH …\n".utf8))
  exit(64)
}
let source: PassphraseSource =
  environment["HARNESS_PROMPT"] == "1"
  ? .terminalPrompt()
  : environment["COGNITO_ACCOUNT_PASSPHRASE"].map { .fixed(Sensitive($0)) }
    ?? .unavailable("no passphrase in the harness environment")
let keyfile = Keyfile(
  path: arguments[2], passphrase: source,
  parameters: .insecureForTestsOnly(logN: UInt8(environment["HARNESS_LOGN"] ?? "10") ?? 10),
  cache: UnlockCache(timeout: .seconds(Int(environment["HARNESS_CACHE_SECONDS"] ?? "0") ?? 0)),
  lockTimeout: .seconds(30))

func session(count: Int, writer: String) -> StoredSession {
  // Sizes vary so a torn write would show as a length or tag mismatch.
  let padding = String(repeating: "p", count: (count * 37) % 500)
  return StoredSession(
    endpoint: "http://127.0.0.1:1/", region: "us-east-1", userPoolID: "us-east-1_Harness",
    clientID: "harness-client", username: "harness",
    accessToken: Sensitive("access-\(writer)-\(count)-\(padding)"), idToken: nil,
    refreshToken: Sensitive("count-\(count)"), accessTokenExpiresAt: count,
    idTokenExpiresAt: nil, refreshTokenExpiresAt: nil, clockDrift: 0, issuedAt: count)
}

func count(of stored: StoredSession) -> Int {
  Int(stored.refreshToken.reveal.dropFirst("count-".count)) ?? -1
}

do {
  switch arguments[1] {
  case "save-loop":
    try keyfile.save(session(count: 0, writer: "loop"))
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    var counter = 1
    while true {
      try keyfile.save(session(count: counter, writer: "loop"))
      counter += 1
    }
  case "increment":
    let times = Int(arguments[3]) ?? 0
    let writer = arguments.count > 4 ? arguments[4] : "w"
    for _ in 0..<times {
      try keyfile.withLockSync {
        let current = keyfile.exists ? count(of: try keyfile.load()) : 0
        try keyfile.save(session(count: current + 1, writer: writer))
      }
    }
  case "unlock":
    let stored = try keyfile.load()
    let method = keyfile.lastUnlockMethod.map { "\($0)" } ?? "none"
    FileHandle.standardOutput.write(Data("\(method) \(count(of: stored))\n".utf8))
  default:
    FileHandle.standardError.write(Data("unknown command \(arguments[1])\n".utf8))
    exit(64)
  }
} catch {
  FileHandle.standardOutput.write(Data("error: \(error)\n".utf8))
  exit(2)
}
