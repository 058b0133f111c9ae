import AccountCore
import CognitoClient
import Foundation
import Keyfile
import TestSupport
import Testing

/// The moto server scripts/test started.
func motoFixture() throws -> MotoFixture {
  let endpoint = try #require(
    MotoFixture.configuredEndpoint,
    "COGNITO_TEST_MOTO_URL is not set: run the suite through scripts/test, which starts moto")
  return MotoFixture(endpoint: endpoint)
}

/// What one run of the binary produced.
struct RunResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var all: String { stdout + stderr }
}

/// Runs `executable` to completion with `input` on standard input; standard error goes through
/// a file in `scratch` (so a child that keeps it open cannot hang the read).
func runChild(
  _ executable: URL, _ arguments: [String], input: String, environment: [String: String],
  scratch: String
) throws -> RunResult {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  process.environment = environment
  let stdin = Pipe()
  let stdout = Pipe()
  let errorPath = scratch + "/stderr-" + UUID().uuidString
  _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
  let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
  defer { try? FileManager.default.removeItem(atPath: errorPath) }
  process.standardInput = stdin
  process.standardOutput = stdout
  process.standardError = stderr
  try process.run()
  try stderr.close()
  stdin.fileHandleForWriting.write(Data(input.utf8))
  try stdin.fileHandleForWriting.close()
  let out = stdout.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let err = FileManager.default.contents(atPath: errorPath) ?? Data()
  return RunResult(
    status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
    stderr: String(decoding: err, as: UTF8.self))
}

/// A private home for one test: config, state and a passphrase, aimed at one seeded pool.
final class CLIWorld: @unchecked Sendable {
  static let passphrase = "keyfile-passphrase-Zq9"
  let fixture: MotoFixture
  let pool: MotoFixture.SeededPool
  let root: String
  var environment: [String: String]
  /// Every output seen, for the secret scan.
  private(set) var transcript = ""

  init(
    secretClient: Bool = false, rotating: Bool = false, verifyBeforeUpdate: Bool = false,
    devices: MotoFixture.DeviceTracking? = nil, requireMFA: Bool = false
  ) async throws {
    fixture = try motoFixture()
    pool = try await fixture.seedPool(
      verifyBeforeUpdate: verifyBeforeUpdate, devices: devices, requireMFA: requireMFA)
    root = NSTemporaryDirectory() + "cli-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    chmod(root, 0o700)
    environment = [
      "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_STATE_HOME": root + "/state",
      "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
      "COGNITO_ACCOUNT_PASSPHRASE": Self.passphrase,
      "COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES": "0",
      "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": fixture.endpoint.absoluteString,
      "COGNITO_ACCOUNT_USER_POOL_ID": pool.userPoolID,
      "COGNITO_ACCOUNT_CLIENT_ID":
        rotating ? pool.rotatingClientID : secretClient ? pool.secretClientID : pool.publicClientID,
      "no_proxy": "127.0.0.1,localhost",
    ]
    if secretClient {
      let secretFile = root + "/client.secret"
      _ = FileManager.default.createFile(
        atPath: secretFile, contents: Data((pool.clientSecret + "\n").utf8))
      chmod(secretFile, 0o600)
      environment["SECRET_FILE"] = secretFile
    }
  }

  var keyfilePath: String { root + "/state/cognito-account/default.keyfile" }

  /// The binary under test: the one built beside the tests, or `COGNITO_TEST_BINARY` (to run
  /// the process-level suites against another build, such as an earlier commit's).
  static var binary: URL {
    if let path = ProcessInfo.processInfo.environment["COGNITO_TEST_BINARY"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("cognito-account")
  }

  /// Runs the binary with `arguments`, `input` on standard input, and extra environment.
  @discardableResult
  func run(_ arguments: [String], input: String = "", extra: [String: String] = [:]) throws
    -> RunResult
  {
    try runProcess(
      Self.binary, arguments, input: input, environment: environment.merging(extra) { $1 })
  }

  /// Runs the binary in a new session, without a controlling terminal (as under cron or CI).
  func runWithoutTerminal(_ arguments: [String]) throws -> RunResult {
    try runProcess(
      URL(fileURLWithPath: "/usr/bin/setsid"), ["--wait", Self.binary.path] + arguments,
      input: "", environment: environment)
  }

  func runProcess(
    _ executable: URL, _ arguments: [String], input: String, environment: [String: String]
  ) throws -> RunResult {
    let result = try runChild(
      executable, arguments, input: input, environment: environment, scratch: root)
    transcript += result.all
    return result
  }

  /// A shell command running the binary with exactly this world's environment (plus `extra`,
  /// minus `unset`), for running it in tmux.
  func shellCommand(
    _ arguments: [String], unset: [String] = [], extra: [String: String] = [:]
  ) -> String {
    var variables = environment.merging(extra) { $1 }
    for name in unset { variables.removeValue(forKey: name) }
    let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }
    let quoted = ([Self.binary.path] + arguments).map { "'\($0)'" }
    return "env -i TERM=\"$TERM\" " + (assignments + quoted).joined(separator: " ")
  }

  /// One setting as `status --json` reports it: its value and where it came from.
  func setting(_ key: String, _ arguments: [String] = [], extra: [String: String] = [:]) throws
    -> (value: String?, source: String?)
  {
    let result = try run(["status", "--json"] + arguments, extra: extra)
    let document =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let entry = document?[key] as? [String: Any]
    return (entry?["value"] as? String, entry?["source"] as? String)
  }

  /// Signs in with the password flow or SRP through `login --password-stdin`.
  @discardableResult
  func login(
    _ username: String? = nil, password: String = MotoFixture.password, extraLines: [String] = [],
    flags: [String] = []
  ) throws -> RunResult {
    try run(
      [
        "login", "--username", username ?? pool.confirmedUser, "--password-stdin",
        "--insecure-kdf-log-n", "8",
      ] + flags,
      input: ([password] + extraLines).joined(separator: "\n") + "\n")
  }

  /// The otpauth URI of the QR code on `tmux`'s screen: the screen rendered to an image
  /// (scripts/qr_from_capture.py) and read by a real decoder (zbarimg).
  func scannedURI(_ tmux: TmuxSession) throws -> String {
    let capture = root + "/capture-\(UUID().uuidString).txt"
    try tmux.capture().write(toFile: capture, atomically: true, encoding: .utf8)
    return String(
      decoding: try ReferenceScript.run(
        "qr_from_capture.py", arguments: [capture, capture + ".png"], input: Data()),
      as: UTF8.self)
  }

  /// A passkey for the confirmed user, as a browser registration would leave it; its id.
  @discardableResult
  func addPasskey(_ name: String) async throws -> String {
    let answer = try await fixture.call(
      "HarnessAddWebAuthnCredential",
      [
        "UserPoolId": pool.userPoolID, "Username": pool.confirmedUser,
        "FriendlyCredentialName": name,
      ])
    return answer["CredentialId"] as! String
  }

  /// `login` for the confirmed user in tmux, its password typed.
  func interactiveLogin(width: Int = 120, height: Int = 60, redirect: String = "") throws
    -> TmuxSession
  {
    let tmux = try TmuxSession(
      command: shellCommand(
        ["login", "--username", pool.confirmedUser, "--insecure-kdf-log-n", "8"]) + redirect,
      width: width, height: height)
    try tmux.waitFor("Password:")
    try tmux.type(MotoFixture.password)
    try tmux.sendKeys("Enter")
    return tmux
  }

  /// The session in the keyfile, read with the passphrase (to learn the tokens).
  func storedSession() throws -> StoredSession {
    try Keyfile(
      path: keyfilePath, passphrase: .fixed(Sensitive(Self.passphrase)),
      cache: UnlockCache(timeout: .zero)
    ).load()
  }

  /// Writes a modified session back under the same passphrase.
  func replaceSession(_ session: StoredSession) throws {
    try Keyfile(
      path: keyfilePath, passphrase: .fixed(Sensitive(Self.passphrase)),
      cache: UnlockCache(timeout: .zero)
    ).save(session)
  }

  /// Rebinds the stored session to `endpoint` (a proxy in front of moto), as if it had been made
  /// there: a session is only ever sent to the endpoint it was made at.
  func rebindSession(to endpoint: URL, keyfile: String? = nil) throws {
    let store = Keyfile(
      path: keyfile ?? keyfilePath, passphrase: .fixed(Sensitive(Self.passphrase)),
      cache: UnlockCache(timeout: .zero))
    var session = try store.load()
    session.endpoint = endpoint.absoluteString
    try store.save(session)
  }

  /// The verification code the harness last sent for `attribute` of the confirmed user.
  func code(_ attribute: String) async throws -> String {
    try await fixture.verificationCode(
      poolID: pool.userPoolID, username: pool.confirmedUser, attribute: attribute)
  }

  /// The user's attributes as the AWS CLI (an independent client) sees them.
  func awsAttributes(_ username: String? = nil) throws -> [String: String] {
    let result = try runProcess(
      URL(fileURLWithPath: "/usr/bin/env"),
      [
        "aws", "cognito-idp", "admin-get-user", "--user-pool-id", pool.userPoolID, "--username",
        username ?? pool.confirmedUser, "--endpoint-url", fixture.endpoint.absoluteString,
        "--region", "us-east-1", "--output", "json",
      ],
      input: "", environment: awsEnvironment)
    guard result.status == 0,
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        as? [String: Any]
    else { throw FixtureError("aws admin-get-user failed: \(result.stderr)") }
    var attributes: [String: String] = [:]
    for entry in object["UserAttributes"] as? [[String: Any]] ?? [] {
      if let name = entry["Name"] as? String { attributes[name] = entry["Value"] as? String ?? "" }
    }
    return attributes
  }

  var awsEnvironment: [String: String] {
    [
      "PATH": "/root/.pyenv/shims:/usr/local/bin:/usr/bin:/bin", "HOME": root,
      "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
      "AWS_DEFAULT_REGION": "us-east-1", "no_proxy": "127.0.0.1,localhost",
    ].merging(
      ProcessInfo.processInfo.environment.filter {
        ["PATH", "PYENV_ROOT", "PYENV_VERSION"].contains($0.key)
      }
    ) { $1 }
  }
}
