import AccountCore
import Foundation
import Keyfile
import TestSupport

/// A private home aimed at a scripted server: environment, keyfile path and, unless told
/// otherwise, a session for that server already in the keyfile (passphrase `pass`).
final class ScriptedHome: @unchecked Sendable {
  static let userPoolID = "us-east-1_Scripted"
  static let clientID = "scripted-client"
  let root: String
  let server: ScriptedHTTPServer
  var environment: [String: String]

  var keyfile: String { root + "/k.keyfile" }

  init(_ script: [ScriptedHTTPServer.Action], storedUser: String? = "zoe") throws {
    server = try ScriptedHTTPServer(script: script)
    root = NSTemporaryDirectory() + "scripted-home-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    chmod(root, 0o700)
    environment = [
      "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_STATE_HOME": root + "/state",
      "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COGNITO_ACCOUNT_PASSPHRASE": "pass",
      "COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES": "0", "no_proxy": "127.0.0.1",
      "COGNITO_ACCOUNT_KEYFILE": root + "/k.keyfile",
      "COGNITO_ACCOUNT_USER_POOL_ID": Self.userPoolID,
      "COGNITO_ACCOUNT_CLIENT_ID": Self.clientID,
      "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": server.url.absoluteString,
    ]
    if let storedUser { try store(session(for: storedUser)) }
  }

  deinit { server.stop() }

  /// A session for `username` made at this home's server, valid for an hour.
  func session(for username: String) -> StoredSession {
    let far = Int(Date().timeIntervalSince1970) + 3600
    return StoredSession(
      endpoint: server.url.absoluteString, region: "us-east-1", userPoolID: Self.userPoolID,
      clientID: Self.clientID, username: username,
      accessToken: Sensitive("access.token.\(username)"), idToken: nil,
      refreshToken: Sensitive("refresh.\(username)"), accessTokenExpiresAt: far,
      idTokenExpiresAt: nil, refreshTokenExpiresAt: nil, clockDrift: 0, issuedAt: far - 3600)
  }

  /// Writes `session` into the keyfile (a cheap key: tests only).
  func store(_ session: StoredSession) throws {
    try Keyfile(
      path: keyfile, passphrase: .fixed("pass"), parameters: .insecureForTestsOnly(logN: 8),
      cache: UnlockCache(timeout: .zero)
    ).save(session)
  }

  /// Writes a profile into the config file.
  func writeProfile(_ lines: String) throws {
    let directory = root + "/config/cognito-account"
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let path = directory + "/config.toml"
    _ = FileManager.default.createFile(
      atPath: path, contents: Data(("[profiles.default]\n" + lines + "\n").utf8),
      attributes: [.posixPermissions: 0o600])
  }

  /// Runs the binary with this home's environment (plus `extra`).
  @discardableResult
  func run(_ arguments: [String], input: String = "", extra: [String: String] = [:]) throws
    -> RunResult
  {
    try runChild(
      CLIWorld.binary, arguments, input: input, environment: environment.merging(extra) { $1 },
      scratch: root)
  }

  /// Runs the binary in a new session, without a controlling terminal (as under cron or CI).
  func runWithoutTerminal(_ arguments: [String]) throws -> RunResult {
    try runChild(
      URL(fileURLWithPath: "/usr/bin/setsid"), ["--wait", CLIWorld.binary.path] + arguments,
      input: "", environment: environment, scratch: root)
  }

  /// A shell command running the binary with exactly this home's environment, for tmux.
  func shellCommand(_ arguments: [String], unset: [String] = []) -> String {
    var variables = environment
    for name in unset { variables.removeValue(forKey: name) }
    let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }
    let quoted = ([CLIWorld.binary.path] + arguments).map { "'\($0)'" }
    return "env -i TERM=\"$TERM\" " + (assignments + quoted).joined(separator: " ")
  }
}

/// What of `output` could drive a terminal: invalid UTF-8 (a lone C1 byte such as 0x9b), or a
/// C0 control other than tab and line feed, DEL, a C1 control, or a bidi override or isolate.
func terminalUnsafe(_ output: Data) -> [String] {
  guard let text = String(validating: output, as: UTF8.self) else {
    return ["invalid UTF-8"]
  }
  var found: [String] = []
  for scalar in text.unicodeScalars {
    let value = scalar.value
    let unsafe =
      (value <= 0x08) || (0x0B...0x1F).contains(value) || (0x7F...0x9F).contains(value)
      || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    if unsafe { found.append(String(format: "U+%04X", value)) }
  }
  return found
}
