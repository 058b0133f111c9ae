import AccountCore
import Foundation
import Keyfile
import TestSupport
import Testing

/// Remembered devices and the MFA_SETUP challenge, through the CLI against moto with the
/// harness's device tracking (real device SRP on the server side, checked by the harness).
/// A secret as the dialogs show it, in groups of four (the form a leak would take).
func grouped(_ secret: String) -> String {
  stride(from: 0, to: secret.count, by: 4).map { String(secret.dropFirst($0).prefix(4)) }
    .joined(separator: " ")
}

@Suite("Devices and MFA set-up at sign-in, through the CLI against moto")
struct DevicesCLITests {
  /// Signs in once through the fixture (boto-free: the harness's own calls) and enrols an
  /// authenticator app for the confirmed user; returns its secret.
  func enrolledSecret(_ world: CLIWorld) async throws -> String {
    let answer = try await world.fixture.call(
      "AdminInitiateAuth",
      [
        "UserPoolId": world.pool.userPoolID, "ClientId": world.pool.publicClientID,
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": ["USERNAME": world.pool.confirmedUser, "PASSWORD": MotoFixture.password],
      ])
    let result = try #require(answer["AuthenticationResult"] as? [String: Any])
    let token = try #require(result["AccessToken"] as? String)
    let secret = try await world.fixture.enrolSoftwareToken(accessToken: token)
    try await world.fixture.call(
      "SetUserMFAPreference",
      [
        "AccessToken": token,
        "SoftwareTokenMfaSettings": ["Enabled": true, "PreferredMfa": true],
      ])
    return secret
  }

  /// The user's devices as Cognito lists them to an independent caller (the fixture, with a
  /// fresh token from an admin sign-in).
  func listedDevices(_ world: CLIWorld) throws -> [[String: Any]] {
    let listed = try world.run(["devices", "--json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let document =
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any]
    return document["Devices"] as! [[String: Any]]
  }

  func attribute(_ device: [String: Any], _ name: String) -> String? {
    (device["DeviceAttributes"] as? [[String: Any]])?.first { $0["Name"] as? String == name }?[
      "Value"] as? String
  }

  @Test("a remembered device skips MFA; not remembered asks again; forgotten is new again")
  func rememberedDevice() async throws {
    let world = try await CLIWorld(devices: .always, requireMFA: true)
    let secret = try await enrolledSecret(world)
    let first = try world.login(extraLines: [try MotoFixture.totpCode(secret)])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("this device is remembered"))
    let device = try #require(try world.storedSession().device)
    let devices = try listedDevices(world)
    #expect(devices.count == 1)
    #expect(devices.first?["DeviceKey"] as? String == device.key)
    #expect(attribute(devices[0], "dev:device_remembered_status") == "remembered")
    let shown = try world.run(["devices"])
    #expect(shown.stdout.contains("(this device)  remembered"))
    // No code this time: the device proves itself (the harness checks its SRP claim).
    let second = try world.login()
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout.contains("signed in as this remembered device"))
    #expect(try world.storedSession().device == device)
    // Not remembered: the device still proves itself, and the code is asked again.
    #expect(try world.run(["devices", "forget-remembered", device.key]).status == 0)
    let noCode = try world.login()
    #expect(noCode.status != 0)
    #expect(noCode.stderr.contains("standard input ended"))
    let withCode = try world.login(extraLines: [try MotoFixture.totpCode(secret)])
    #expect(withCode.status == 0, "\(withCode.stderr)")
    #expect(try world.run(["devices", "remember", device.key]).status == 0)
    #expect(try world.login().status == 0)
    // Forgotten: dropped from the keyfile; the next sign-in asks for the code and registers a
    // new device.
    #expect(try world.run(["devices", "forget", device.key]).status == 3)
    let forgotten = try world.run(["devices", "forget", device.key, "--yes"])
    #expect(forgotten.status == 0, "\(forgotten.stderr)")
    #expect(try world.storedSession().device == nil)
    #expect(try world.login().status != 0)
    let again = try world.login(extraLines: [try MotoFixture.totpCode(secret)])
    #expect(again.status == 0, "\(again.stderr)")
    let renewed = try #require(try world.storedSession().device)
    #expect(renewed.key != device.key)
    #expect(try listedDevices(world).map { $0["DeviceKey"] as? String } == [renewed.key])
    // The device password never reaches the output.
    #expect(!world.transcript.contains(renewed.password.reveal))
  }

  @Test("refused device credentials: signed in without them, a new device; logout forgets it")
  func wrongDeviceAndLogout() async throws {
    let world = try await CLIWorld(devices: .always, requireMFA: true)
    let secret = try await enrolledSecret(world)
    #expect(try world.login(extraLines: [try MotoFixture.totpCode(secret)]).status == 0)
    var session = try world.storedSession()
    let device = try #require(session.device)
    session.device?.password = Sensitive("not-the-device-password")
    try world.replaceSession(session)
    // Refused (the harness checks the SRP claim): the sign-in goes on without it, so the code
    // is asked, and a new device is registered in its place.
    #expect(try world.login().stderr.contains("standard input ended before the SOFTWARE_TOKEN"))
    let refused = try world.login(extraLines: [try MotoFixture.totpCode(secret)])
    #expect(refused.status == 0, "\(refused.stderr)")
    #expect(refused.stdout.contains("Cognito refused this device"))
    let replacement = try #require(try world.storedSession().device)
    #expect(replacement.key != device.key && replacement.isRegistered)
    #expect(try world.login().status == 0, "the new device skips MFA")
    let loggedOut = try world.run(["logout"])
    #expect(loggedOut.status == 0, "\(loggedOut.stderr)")
    // Signed in again (a code: a new device), the ones logged out of are no longer listed.
    #expect(try world.login(extraLines: [try MotoFixture.totpCode(secret)]).status == 0)
    let keys = try listedDevices(world).compactMap { $0["DeviceKey"] as? String }
    #expect(keys == [try world.storedSession().device!.key], "the refused one forgotten too")
  }

  @Test("a pool that leaves it to the user: not remembered unless asked; --remember-device")
  func userPromptPool() async throws {
    let world = try await CLIWorld(devices: .userPrompt)
    let plain = try world.login()
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(plain.stdout.contains("registered but not remembered"))
    let first = try #require(try world.storedSession().device)
    #expect(
      attribute(try listedDevices(world)[0], "dev:device_remembered_status") == "not_remembered")
    #expect(try world.run(["devices"]).stdout.contains("not remembered"))
    // The registered device proves itself at the next sign-in and gets no new key.
    #expect(try world.login().status == 0)
    #expect(try world.storedSession().device == first)
    #expect(try world.run(["devices", "remember", first.key, "--read-only"]).status == 3)
    #expect(try world.run(["devices", "remember", "nope"]).status == 3)
    let remembered = try world.run(["devices", "remember", first.key])
    #expect(remembered.status == 0, "\(remembered.stderr)")
    #expect(attribute(try listedDevices(world)[0], "dev:device_remembered_status") == "remembered")
    // --remember-device on a fresh sign-in elsewhere (no keyfile): asked and answered yes.
    try FileManager.default.removeItem(atPath: world.keyfilePath)
    let asked = try world.login(flags: ["--remember-device"])
    #expect(asked.status == 0, "\(asked.stderr)")
    #expect(asked.stdout.contains("this device is remembered"))
    #expect(try listedDevices(world).count == 2)
  }

  @Test("a pool without device tracking: no device, an empty list, nothing said")
  func noTracking() async throws {
    let world = try await CLIWorld()
    let login = try world.login()
    #expect(login.status == 0)
    #expect(!login.stdout.contains("device"))
    #expect(try world.storedSession().device == nil)
    #expect(try world.run(["devices"]).stdout.contains("No devices"))
    #expect(try listedDevices(world).isEmpty)
  }

  @Test("MFA_SETUP at login: the QR code scans, a pyotp code enrols and signs in; scripts refused")
  func mfaSetupAtLogin() async throws {
    let world = try await CLIWorld(requireMFA: true)
    let scripted = try world.login()
    #expect(scripted.status == 3)
    #expect(scripted.stderr.contains("on a terminal"))
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
    let tmux = try world.interactiveLogin()
    defer { tmux.stop() }
    try tmux.waitFor("Code from the app:")
    let components = try #require(URLComponents(string: try world.scannedURI(tmux)))
    #expect(components.path == "/\(world.pool.userPoolID):\(world.pool.confirmedUser)")
    let secret = try #require(components.queryItems?.first { $0.name == "secret" }?.value)
    try tmux.type(try MotoFixture.totpCode(secret))
    try tmux.sendKeys("Enter")
    try tmux.type("phone")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Signed in as")
    #expect(try tmux.waitForExit() == 0)
    #expect(!(try tmux.capture().contains(grouped(secret))))
    let state = try world.run(["mfa", "--json"])
    #expect(
      state.stdout.contains(#""PreferredMfaSetting": "SOFTWARE_TOKEN_MFA""#), "\(state.stdout)")
    // From now on the pool asks for the app's code, which the enrolled secret gives.
    #expect(try world.login().status != 0)
    let withCode = try world.login(extraLines: [try MotoFixture.totpCode(secret)])
    #expect(withCode.status == 0, "\(withCode.stderr)")
  }

  @Test("MFA_SETUP at login: a wrong code asks again (same secret), three wrong end it")
  func mfaSetupWrongCode() async throws {
    let world = try await CLIWorld(requireMFA: true)
    let tmux = try world.interactiveLogin()
    defer { tmux.stop() }
    try tmux.waitFor("Code from the app:")
    let secret = try secret(world, tmux)
    try tmux.type("000000")
    try tmux.sendKeys("Enter", "Enter")
    try tmux.waitFor("That code was refused")
    #expect(try self.secret(world, tmux) == secret)
    try tmux.type(try MotoFixture.totpCode(secret))
    try tmux.sendKeys("Enter", "Enter")
    try tmux.waitFor("Signed in as")
    #expect(try tmux.waitForExit() == 0)
    // Three wrong codes: refused as wrong codes, nothing stored.
    let other = try await CLIWorld(requireMFA: true)
    let again = try other.interactiveLogin()
    defer { again.stop() }
    for _ in 0..<3 {
      try again.waitFor("Code from the app:")
      try again.type("000000")
      try again.sendKeys("Enter", "Enter")
      try await Task.sleep(for: .milliseconds(400))
    }
    let screen = try again.waitFor("[exit=")
    #expect(screen.contains("[exit=4]"))
    #expect(screen.contains("Wrong code"))
    #expect(!FileManager.default.fileExists(atPath: other.keyfilePath))
  }

  /// The secret of the QR code on the tmux screen.
  func secret(_ world: CLIWorld, _ tmux: TmuxSession) throws -> String {
    let components = try #require(URLComponents(string: try world.scannedURI(tmux)))
    return try #require(components.queryItems?.first { $0.name == "secret" }?.value)
  }

  @Test("MFA_SETUP at login with standard output redirected: refused, nothing written there")
  func mfaSetupRedirected() async throws {
    let world = try await CLIWorld(requireMFA: true)
    let output = world.root + "/out.txt"
    let tmux = try world.interactiveLogin(height: 40, redirect: " > '\(output)'")
    defer { tmux.stop() }
    let screen = try tmux.waitFor("[exit=")
    #expect(screen.contains("[exit=3]") && screen.contains("not redirected"))
    let written = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    #expect(!written.contains("secret") && !written.contains("\u{1B}[?1049h"))
  }

  @Test("a device forgotten elsewhere: the next login goes on without it and registers anew")
  func forgottenElsewhere() async throws {
    let world = try await CLIWorld(devices: .always, requireMFA: true)
    let secret = try await enrolledSecret(world)
    #expect(try world.login(extraLines: [try MotoFixture.totpCode(secret)]).status == 0)
    let old = try #require(try world.storedSession().device)
    // Another client (the console, another machine) forgets it.
    try await world.fixture.call(
      "ForgetDevice",
      ["AccessToken": try world.storedSession().accessToken.reveal, "DeviceKey": old.key])
    let login = try world.login(extraLines: [try MotoFixture.totpCode(secret)])
    #expect(login.status == 0, "\(login.stderr)")
    #expect(login.stdout.contains("Cognito refused this device"))
    #expect(login.stdout.contains("this device is remembered"))
    let renewed = try #require(try world.storedSession().device)
    #expect(renewed.key != old.key && renewed.isRegistered)
  }

  @Test("refreshes send the device key (both flows); read-only registers no device but refreshes")
  func refreshWithDevice() async throws {
    for rotating in [false, true] {
      let world = try await CLIWorld(rotating: rotating, devices: .always)
      #expect(try world.login().status == 0)
      var session = try world.storedSession()
      #expect(session.device?.isRegistered == true)
      session.accessTokenExpiresAt = Int(Date().timeIntervalSince1970) - 600
      try world.replaceSession(session)
      let refreshed = try world.run(["attributes"])
      #expect(refreshed.status == 0, "rotating \(rotating): \(refreshed.stderr)")
      #expect(try world.storedSession().accessTokenExpiresAt > session.accessTokenExpiresAt)
    }
    let world = try await CLIWorld(devices: .always)
    let readOnly = try world.login(flags: ["--read-only"])
    #expect(readOnly.status == 0, "\(readOnly.stderr)")
    #expect(readOnly.stdout.contains("not registered: read-only"))
    var session = try world.storedSession()
    let device = try #require(session.device)
    #expect(!device.isRegistered)
    #expect(try world.run(["devices"]).stdout.contains("No devices"))
    session.accessTokenExpiresAt = Int(Date().timeIntervalSince1970) - 600
    try world.replaceSession(session)
    #expect(try world.run(["attributes"]).status == 0)
  }
}
