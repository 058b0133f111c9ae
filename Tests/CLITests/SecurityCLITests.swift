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
    for name in ["Laptop", "Phone"] {
      let answer = try await world.fixture.call(
        "HarnessAddWebAuthnCredential",
        [
          "UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser,
          "FriendlyCredentialName": name,
        ])
      ids.append(answer["CredentialId"] as! String)
    }
    let listed = try world.run(["passkeys", "--json"])
    let document =
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any]
    let credentials = document["Credentials"] as! [[String: Any]]
    #expect(credentials.map { $0["FriendlyCredentialName"] as? String } == ["Laptop", "Phone"])
    #expect(try world.run(["mfa"]).stdout.contains("WEB_AUTHN"))
    let unknown = try world.run(["passkeys", "delete", "nope", "--yes"])
    #expect(unknown.status == 3)
    let noTerminal = try world.run(["passkeys", "delete", ids[0]])
    #expect(noTerminal.status == 3)
    let deleted = try world.run(["passkeys", "delete", ids[0], "--yes"])
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
}
