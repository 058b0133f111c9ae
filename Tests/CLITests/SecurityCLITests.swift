import AccountCore
import Foundation
import TestSupport
import Testing

@Suite("MFA, passkeys and closing the account, through the CLI against moto")
struct SecurityCLITests {
  @Test("mfa shows the state; prefer sms enables and prefers it; disable turns it off")
  func mfaPreferences() async throws {
    let world = try await CLIWorld()
    try world.login()
    let before = try world.run(["mfa", "--json"])
    #expect(before.status == 0, "\(before.stderr)")
    let state = try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as! [String: Any]
    #expect(state["UserMFASettingList"] as? [String] == [])
    #expect(state["ConfiguredUserAuthFactors"] as? [String] == ["PASSWORD"])
    let preferred = try world.run(["mfa", "prefer", "sms"])
    #expect(preferred.status == 0, "\(preferred.stderr)")
    #expect(preferred.stdout.contains("sms:   enabled (preferred)"))
    let shown = try world.run(["mfa"])
    #expect(shown.stdout.contains("sms:   enabled (preferred)"))
    #expect(shown.stdout.contains("totp:  off"))
    // An independent client sees it too.
    let user = try await world.fixture.call(
      "AdminGetUser", ["UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser])
    #expect(user["PreferredMfaSetting"] as? String == "SMS_MFA")
    let disabled = try world.run(["mfa", "disable", "sms"])
    #expect(disabled.status == 0)
    #expect(disabled.stdout.contains("sms:   off"))
  }

  @Test("mfa: totp before enrolment, email on a pool without it, a bad method, read-only")
  func mfaRefusals() async throws {
    let world = try await CLIWorld()
    try world.login()
    let totp = try world.run(["mfa", "enable", "totp"])
    #expect(totp.status == 4)
    #expect(totp.stderr.contains("InvalidParameterException"))
    let email = try world.run(["mfa", "enable", "email"])
    #expect(email.status == 4)
    #expect(email.stderr.contains("feature plan"))
    let bad = try world.run(["mfa", "enable", "pigeon"])
    #expect(bad.status == 64)
    let readOnly = try world.run(["mfa", "prefer", "sms", "--read-only"])
    #expect(readOnly.status == 3)
    #expect(
      try world.run(["mfa", "--json"]).stdout.contains(#""UserMFASettingList" : []"#) == false)
  }

  @Test("passkeys: listed, one deleted after y, an unknown id refused; WEB_AUTHN as a factor")
  func passkeys() async throws {
    let world = try await CLIWorld()
    try world.login()
    #expect(try world.run(["passkeys"]).stdout.contains("No passkeys"))
    var ids: [String] = []
    for name in ["Laptop", "Phone"] { ids.append(try await world.addPasskey(name)) }
    let listed = try world.run(["passkeys", "--json"])
    let document =
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any]
    let credentials = document["Credentials"] as! [[String: Any]]
    #expect(credentials.map { $0["FriendlyCredentialName"] as? String } == ["Laptop", "Phone"])
    #expect(try world.run(["mfa"]).stdout.contains("WEB_AUTHN"))
    let unknown = try world.run(["passkeys", "delete", "nope", "--yes"])
    #expect(unknown.status == 3)
    // Ids are base64url and can start with '-': after '--' they are read as the id.
    #expect(try world.run(["passkeys", "delete", "--yes", "--", "-nope"]).status == 3)
    let noTerminal = try world.run(["passkeys", "delete", "--", ids[0]])
    #expect(noTerminal.status == 3)
    let deleted = try world.run(["passkeys", "delete", "--yes", "--", ids[0]])
    #expect(deleted.status == 0, "\(deleted.stderr)")
    #expect(deleted.stdout.contains("deleted: Laptop"))
    let after = try world.run(["passkeys"])
    #expect(!after.stdout.contains("Laptop") && after.stdout.contains("Phone"))
  }

  @Test("close-account: refused read-only and without a terminal; with --yes-i-mean-it gone")
  func closeAccount() async throws {
    let world = try await CLIWorld()
    try world.login()
    #expect(try world.run(["close-account", "--yes-i-mean-it", "--read-only"]).status == 3)
    let unasked = try world.run(["close-account"])
    #expect(unasked.status == 3)
    #expect(unasked.stderr.contains("without confirmation"))
    #expect(FileManager.default.fileExists(atPath: world.keyfilePath))
    let closed = try world.run(["close-account", "--yes-i-mean-it"])
    #expect(closed.status == 0, "\(closed.stderr)")
    #expect(closed.stdout.contains("closed") && closed.stdout.contains("Goodbye"))
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
    await #expect(throws: (any Error).self) {
      _ = try await world.fixture.call(
        "AdminGetUser", ["UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser])
    }
    #expect(try world.run(["attributes"]).status == 2)
  }

  @Test("close-account on a terminal asks for the user name typed; a wrong one closes nothing")
  func closeAccountTyped() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try TmuxSession(
      command: world.shellCommand(["close-account"]), width: 100, height: 20)
    defer { tmux.stop() }
    try tmux.waitFor("Type your user name")
    try tmux.type("someone-else")
    try tmux.sendKeys("Enter")
    #expect(try tmux.waitForExit() == 3)
    #expect(FileManager.default.fileExists(atPath: world.keyfilePath))
    let again = try TmuxSession(
      command: world.shellCommand(["close-account"]), width: 100, height: 20)
    defer { again.stop() }
    try again.waitFor("Type your user name")
    try again.type(world.pool.confirmedUser)
    try again.sendKeys("Enter")
    try again.waitFor("Goodbye")
    #expect(try again.waitForExit() == 0)
  }

  /// Runs `mfa setup-totp` in tmux, reads the QR code off the screen with a real decoder, and
  /// types the code pyotp computes for the secret it holds.
  func enrol(_ world: CLIWorld, arguments: [String], term: String? = nil) throws -> (
    String, TmuxSession
  ) {
    var command = world.shellCommand(["mfa", "setup-totp"] + arguments)
    if let term {
      command = command.replacingOccurrences(of: "TERM=\"$TERM\"", with: "TERM=\(term)")
    }
    let tmux = try TmuxSession(command: command, width: 120, height: 60)
    try tmux.waitFor("Code from the app:")
    return (try world.scannedURI(tmux), tmux)
  }

  @Test(
    "setup-totp: the QR code scans (zbar), a pyotp code enrols, nothing stays in the scrollback")
  func setupTOTP() async throws {
    let world = try await CLIWorld()
    try world.login()
    let (uri, tmux) = try enrol(world, arguments: [])
    defer { tmux.stop() }
    let components = try #require(URLComponents(string: uri))
    #expect(components.scheme == "otpauth" && components.host == "totp")
    #expect(components.path == "/\(world.pool.userPoolID):\(world.pool.confirmedUser)")
    let secret = try #require(components.queryItems?.first { $0.name == "secret" }?.value)
    #expect(components.queryItems?.first { $0.name == "issuer" }?.value == world.pool.userPoolID)
    let grouped = stride(from: 0, to: secret.count, by: 4).map {
      String(secret.dropFirst($0).prefix(4))
    }.joined(separator: " ")
    #expect(try tmux.capture().contains(grouped))
    let code = String(
      decoding: try ReferenceScript.run("totp_code.py", arguments: [secret], input: Data()),
      as: UTF8.self
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    try tmux.type(code)
    try tmux.sendKeys("Enter")
    try tmux.type("laptop")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("enrolled and preferred")
    #expect(try tmux.waitForExit() == 0)
    let history = try tmux.capture()
    #expect(!history.contains(secret) && !history.contains(grouped))
    #expect(history.contains("totp:  enabled (preferred)"))
    let user = try await world.fixture.call(
      "AdminGetUser", ["UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser])
    #expect(user["PreferredMfaSetting"] as? String == "SOFTWARE_TOKEN_MFA")
  }

  @Test(
    "setup-totp: ## on the Linux console scans too, with totp_issuer; a wrong code enrols nothing")
  func setupTOTPAsciiAndWrongCode() async throws {
    let world = try await CLIWorld()
    try world.login()
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    try "[profiles.default]\ntotp_issuer = \"Example Corp\"\n".write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    let (uri, tmux) = try enrol(world, arguments: [], term: "linux")
    defer { tmux.stop() }
    #expect(uri.hasPrefix("otpauth://totp/Example%20Corp:\(world.pool.confirmedUser)?secret="))
    #expect(uri.hasSuffix("&issuer=Example%20Corp"))
    #expect(try tmux.capture().contains("####"))
    try tmux.type("000000")
    try tmux.sendKeys("Enter", "Enter")
    let screen = try tmux.waitFor("[exit=")
    #expect(screen.contains("[exit=4]"))
    #expect(screen.contains("Wrong code"))
    let state = try world.run(["mfa", "--json"])
    #expect(state.stdout.contains(#""PreferredMfaSetting": """#))
  }

  @Test("setup-totp: too small a terminal gets a message and the secret as text; no terminal, none")
  func setupTOTPSmall() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try TmuxSession(
      command: world.shellCommand(["mfa", "setup-totp"]), width: 40, height: 20)
    defer { tmux.stop() }
    let screen = try tmux.waitFor("Code from the app:")
    #expect(screen.contains("too small for the QR code"))
    #expect(screen.contains("Or type this secret into the app:"))
    #expect(!screen.contains("▀"))
    let scripted = try world.run(["mfa", "setup-totp"])
    #expect(scripted.status == 3)
    #expect(scripted.stderr.contains("run it on a terminal"))
  }
}
