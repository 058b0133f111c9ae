import AccountCore
import Foundation
import Keyfile
import TestSupport
import Testing

/// The Security view and the MFA_SETUP step of the sign-in form, driven in tmux against moto.
@Suite("The Security view, driven in tmux against moto")
struct SecurityScreenTests {
  /// Decodes the QR code on the tmux screen (rendered to an image, read by zbarimg).
  func scannedURI(_ world: CLIWorld, _ tmux: TmuxSession) throws -> URLComponents {
    try #require(URLComponents(string: try world.scannedURI(tmux)))
  }

  func secret(_ components: URLComponents) throws -> String {
    try #require(components.queryItems?.first { $0.name == "secret" }?.value)
  }

  @Test("S opens it: MFA, devices and passkeys listed; t enrols an app by its QR code")
  func enrolFromTheView() async throws {
    let world = try await CLIWorld(devices: .always)
    try world.login()
    try await world.addPasskey("Laptop passkey")
    let tmux = try openScreen(world, width: 120, height: 60)
    defer { tmux.stop() }
    try tmux.sendKeys("S")
    let view = try tmux.waitFor("passkey(s)")
    #expect(view.contains("Authenticator app (TOTP)"))
    #expect(view.contains("(this device)") && view.contains("remembered"))
    #expect(view.contains("Laptop passkey"))
    try tmux.sendKeys("t")
    try tmux.waitFor("Code from the app:")
    let components = try scannedURI(world, tmux)
    #expect(components.path == "/\(world.pool.userPoolID):\(world.pool.confirmedUser)")
    let secret = try secret(components)
    try tmux.type(try MotoFixture.totpCode(secret))
    try tmux.sendKeys("Enter")
    try tmux.type("phone")
    try tmux.sendKeys("Enter")
    let after = try tmux.waitFor("enrolled and preferred")
    #expect(after.contains("enabled, preferred"))
    #expect(!after.contains(grouped(secret)))
    let user = try await world.fixture.call(
      "AdminGetUser", ["UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser])
    #expect(user["PreferredMfaSetting"] as? String == "SOFTWARE_TOKEN_MFA")
    // A wrong code keeps the dialog (same secret), Esc clears it.
    try tmux.sendKeys("t")
    try tmux.waitFor("Code from the app:")
    try tmux.type("000000")
    try tmux.sendKeys("Enter", "Enter")
    let wrong = try tmux.waitFor("Wrong code")
    #expect(wrong.contains("Code from the app:"))
    try tmux.sendKeys("Escape")
    let cleared = try tmux.waitFor("the secret is cleared")
    #expect(!cleared.contains("Or type this secret"))
    try tmux.sendKeys("Escape")
    try tmux.waitFor("[-] sub")
  }

  @Test("devices: m toggles remembered, d forgets after y; passkeys: d deletes; e/x/p and errors")
  func devicesPasskeysAndMFA() async throws {
    let world = try await CLIWorld(devices: .userPrompt)
    try world.login()
    try await world.addPasskey("Old key")
    let tmux = try openScreen(world, width: 120, height: 40)
    defer { tmux.stop() }
    try tmux.sendKeys("S")
    try tmux.waitFor("passkey(s)")
    // Rows: totp, sms, email, set up, the device, the passkey, sign out, close.
    try tmux.sendKeys("j", "j", "j", "j", "m")
    try tmux.waitFor("Device remembered")
    #expect(try tmux.capture().contains("(this device)  remembered"))
    let device = try #require(try world.storedSession().device)
    let listed = try world.run(["devices", "--json"]).stdout
    #expect(listed.contains(#""Value": "remembered""#) || listed.contains(#""Value":"remembered""#))
    try tmux.sendKeys("d")
    try tmux.waitFor("Forget this device?")
    try tmux.sendKeys("n")
    try tmux.waitFor("Cancelled: nothing changed")
    try tmux.sendKeys("d", "y")
    try tmux.waitFor("Device forgotten")
    #expect(try world.storedSession().device == nil)
    #expect(!(try world.run(["devices"]).stdout.contains(device.key)))
    // The passkey is now the row under the cursor.
    try tmux.sendKeys("d")
    try tmux.waitFor("Delete this passkey?")
    try tmux.sendKeys("y")
    try tmux.waitFor("Passkey deleted")
    #expect(try world.run(["passkeys"]).stdout.contains("No passkeys"))
    // SMS preferred, then a refusal from Cognito shown as one line: totp before enrolment.
    try tmux.sendKeys("g")
    for _ in 0..<8 { try tmux.sendKeys("k") }
    try tmux.sendKeys("j", "p")
    try tmux.waitFor("sms enabled (preferred)")
    try tmux.sendKeys("k", "e")
    try tmux.waitFor("InvalidParameterException")
    try tmux.sendKeys("Escape")
    try tmux.waitFor("[-] sub")
  }

  @Test("read-only refuses every change; ? lists the view's keys")
  func readOnlyAndHelp() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world, width: 120, height: 40, extra: ["--read-only"])
    defer { tmux.stop() }
    try tmux.sendKeys("S")
    try tmux.waitFor("passkey(s)")
    for key in ["t", "p", "O", "C", "d", "m"] {
      try tmux.sendKeys(key)
      try tmux.waitFor("Read-only: security changes are disabled")
      try tmux.sendKeys("j")
    }
    try tmux.sendKeys("?")
    // The help view's own entries (lower case; the view's rows say "Close the account…"),
    // waited for whole: a capture taken as the title appears may hold half a paint.
    let help = try tmux.waitFor("close the account")
    #expect(help.contains("Keys: Security") && help.contains("sign out everywhere"))
    try tmux.sendKeys("Escape")
    let back = try tmux.waitFor("Sign out everywhere…")
    #expect(!back.contains("Keys: Security"))
  }

  @Test("sign out everywhere: asked, then every session ends, the keyfile goes, a farewell line")
  func signOutEverywhere() async throws {
    let world = try await CLIWorld()
    try world.login()
    let other = try world.storedSession()
    let tmux = try openScreen(world, width: 120, height: 40)
    defer { tmux.stop() }
    try tmux.sendKeys("S")
    try tmux.waitFor("passkey(s)")
    try tmux.sendKeys("O")
    try tmux.waitFor("Sign out everywhere?")
    try tmux.sendKeys("y")
    let end = try tmux.waitFor("[exit=")
    #expect(end.contains("Signed out everywhere"))
    #expect(end.contains("[exit=0]"))
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
    // The tokens of the session signed in before are no longer accepted.
    await #expect(throws: (any Error).self) {
      _ = try await world.fixture.call("GetUser", ["AccessToken": other.accessToken.reveal])
    }
  }

  @Test("close the account: a wrong name keeps it; the right one closes it, goodbye, exit 0")
  func closeAccount() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world, width: 120, height: 40)
    defer { tmux.stop() }
    try tmux.sendKeys("S")
    try tmux.waitFor("passkey(s)")
    try tmux.sendKeys("C")
    try tmux.waitFor("cannot be undone")
    try tmux.type("someone-else")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("the account stays")
    try tmux.sendKeys("C")
    try tmux.waitFor("cannot be undone")
    try tmux.type(world.pool.confirmedUser)
    try tmux.sendKeys("Enter")
    let end = try tmux.waitFor("[exit=")
    #expect(end.contains("closed.") && end.contains("Goodbye."))
    #expect(end.contains("[exit=0]"))
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
    await #expect(throws: (any Error).self) {
      _ = try await world.fixture.call(
        "AdminGetUser", ["UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser])
    }
  }

  @Test("MFA_SETUP on the sign-in form: the QR code scans, a pyotp code signs in")
  func mfaSetupOnTheSignInForm() async throws {
    let world = try await CLIWorld(requireMFA: true)
    let tmux = try TmuxSession(
      command: world.shellCommand([]), width: 120, height: 60)
    defer { tmux.stop() }
    try tmux.waitFor("Username:")
    try tmux.type(world.pool.confirmedUser)
    try tmux.sendKeys("Enter")
    try tmux.type(MotoFixture.password)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Code from the app:")
    let secret = try secret(try scannedURI(world, tmux))
    try tmux.type(try MotoFixture.totpCode(secret))
    try tmux.sendKeys("Enter")
    try tmux.sendKeys("Enter")
    let signedIn = try tmux.waitFor("[-] sub")
    #expect(!signedIn.contains(grouped(secret)))
    let state = try world.run(["mfa", "--json"])
    #expect(state.stdout.contains(#""PreferredMfaSetting": "SOFTWARE_TOKEN_MFA""#))
  }
}
