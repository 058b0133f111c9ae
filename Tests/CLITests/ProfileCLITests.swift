import Foundation
import TestSupport
import Testing

@Suite("Editing the profile from the command line: set, verify, passwd (against moto)")
struct ProfileCLITests {
  @Test("set changes one and adds another in one call; --json reports each name")
  func setAndAdd() async throws {
    let world = try await CLIWorld()
    try world.login()
    let set = try world.run(
      ["set", "given_name=Alicia", "nickname=al=ias", "locale=en-US", "--yes", "--json"])
    #expect(set.status == 0, "\(set.all)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(set.stdout.utf8)) as? [String: Any])
    let outcomes = try #require(object["attributes"] as? [[String: String]])
    #expect(
      outcomes == [
        ["name": "given_name", "outcome": "changed"], ["name": "nickname", "outcome": "changed"],
        ["name": "locale", "outcome": "unchanged"],
      ])
    #expect((object["codeDeliveries"] as? [Any])?.isEmpty == true)
    let after = try world.awsAttributes()
    #expect(after["given_name"] == "Alicia" && after["nickname"] == "al=ias")
  }

  @Test("default pool: set email applies at once, unverified; verify with the code turns it true")
  func emailDefaultPool() async throws {
    let world = try await CLIWorld()
    try world.login()
    let set = try world.run(["set", "email=zed@example.org", "--yes"])
    #expect(set.status == 0, "\(set.all)")
    #expect(set.stdout.contains("changed: email"))
    #expect(set.stdout.contains("A code went to z***@e***; email is unverified until you enter it"))
    #expect(set.stdout.contains("cognito-account verify email"))
    var after = try world.awsAttributes()
    #expect(after["email"] == "zed@example.org" && after["email_verified"] == "false")
    let verify = try world.run(["verify", "email", "--code", try await world.code("email")])
    #expect(verify.status == 0, "\(verify.all)")
    #expect(verify.stdout.contains("email verified: zed@example.org"))
    after = try world.awsAttributes()
    #expect(after["email_verified"] == "true")
  }

  @Test("verification-gated pool: the old email stays until verify")
  func emailGatedPool() async throws {
    let world = try await CLIWorld(verifyBeforeUpdate: true)
    try world.login()
    let set = try world.run(["set", "email=zed@example.org", "--yes"])
    #expect(set.status == 0, "\(set.all)")
    #expect(set.stdout.contains("waiting for verification: email"))
    #expect(set.stdout.contains("email keeps its old value until you enter it"))
    #expect(try world.awsAttributes()["email"] == "alice@example.com")
    let verify = try world.run(["verify", "email", "--code", try await world.code("email")])
    #expect(verify.status == 0, "\(verify.all)")
    #expect(try world.awsAttributes()["email"] == "zed@example.org")
  }

  @Test("verify: wrong, reused and expired codes exit 4 with the next step; --resend sends one")
  func verifyErrors() async throws {
    let world = try await CLIWorld()
    try world.login()
    #expect(try world.run(["set", "email=zed@example.org", "--yes"]).status == 0)
    let wrong = try world.run(["verify", "email", "--code", "000000x"])
    #expect(wrong.status == 4)
    #expect(wrong.stderr.contains("CodeMismatchException: Wrong code; check it and enter it again"))
    let code = try await world.code("email")
    #expect(try world.run(["verify", "email", "--code", code]).status == 0)
    let reused = try world.run(["verify", "email", "--code", code])
    #expect(reused.status == 4 && reused.stderr.contains("CodeMismatchException"), "\(reused.all)")
    let resend = try world.runWithoutTerminal(["verify", "phone_number", "--resend"])
    #expect(resend.stdout.contains("A new code went to +*******0100"), "\(resend.all)")
    #expect(resend.status == 0 && resend.stdout.contains("--code CODE"), "\(resend.all)")
    let noCode = try world.runWithoutTerminal(["verify", "phone_number"])
    #expect(noCode.status == 3 && noCode.stderr.contains("pass --code"), "\(noCode.all)")
    try await world.fixture.expireVerificationCodes(poolID: world.pool.userPoolID)
    let expired = try world.run([
      "verify", "phone_number", "--code", try await world.code("phone_number"),
    ])
    #expect(expired.status == 4)
    #expect(expired.stderr.contains("ExpiredCodeException: The code expired or was already used"))
    let refused = try world.run(["verify", "given_name", "--code", "1"])
    #expect(refused.status == 3 && refused.stderr.contains("only email and phone_number"))
  }

  @Test("passwd: wrong current (session kept), weak new, then success; the new one signs in")
  func passwd() async throws {
    let world = try await CLIWorld()
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    try "[profiles.default]\nauth_flow = \"USER_PASSWORD_AUTH\"\n".write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    try world.login()
    let wrong = try world.run(["passwd", "--password-stdin"], input: "Not-It-1!\nN3w-Passw0rd!\n")
    #expect(wrong.status == 4)
    #expect(
      wrong.stderr.contains("The current password is wrong")
        && wrong.stderr.contains("nothing changed"), "\(wrong.all)")
    #expect(try world.run(["attributes"]).status == 0, "the session is still good")
    let weak = try world.run(
      ["passwd", "--password-stdin"], input: MotoFixture.password + "\nshort\n")
    #expect(weak.status == 4)
    #expect(weak.stderr.contains("InvalidPasswordException: The new password does not meet"))
    let changed = try world.run(
      ["passwd", "--password-stdin"], input: MotoFixture.password + "\nN3w-Passw0rd!\n")
    #expect(changed.status == 0, "\(changed.all)")
    #expect(changed.stdout.contains("Password changed"))
    #expect(try world.login(password: "N3w-Passw0rd!").status == 0)
    #expect(try world.login().status == 4, "the old password no longer works")
    let missing = try world.run(["passwd", "--password-stdin"], input: "only-one\n")
    #expect(missing.status == 3 && missing.stderr.contains("second line"))
  }

  @Test("--read-only refuses set, verify and passwd; nothing is sent")
  func readOnly() async throws {
    let world = try await CLIWorld()
    try world.login()
    let before = try world.awsAttributes()
    for arguments in [
      ["set", "given_name=X", "--yes"], ["verify", "email", "--code", "123456"],
      ["passwd", "--password-stdin"],
    ] {
      let result = try world.run(["--read-only"] + arguments, input: "a\nb\n")
      #expect(result.status == 3, "\(arguments): \(result.all)")
      #expect(result.stderr.contains("Read-only mode"))
    }
    #expect(try world.awsAttributes() == before)
    let dryRun = try world.run(["--read-only", "set", "given_name=X", "--dry-run"])
    #expect(dryRun.status == 0 && dryRun.stdout.contains("given_name: Alice -> X"), "\(dryRun.all)")
  }

  @Test("hostile values: stored exactly as typed, escaped on output; control characters refused")
  func hostileValues() async throws {
    let world = try await CLIWorld()
    try world.login()
    let hostile = "\u{202e}evil プラットフォーム 🚀 <b>&amp;</b>"
    let set = try world.run(["set", "given_name=" + hostile, "--yes"])
    #expect(set.status == 0, "\(set.all)")
    #expect(try world.awsAttributes()["given_name"] == hostile)
    let dry = try world.run(["set", "family_name=" + hostile, "--dry-run"])
    #expect(dry.stdout.contains(#"\u{202e}evil"#) && !dry.stdout.contains("\u{202e}"), "\(dry.all)")
    let control = try world.run(["set", "given_name=a\u{1b}]0;x\u{07}", "--yes"])
    #expect(control.status == 3 && control.stderr.contains("control character U+1B"))
    #expect(!control.stderr.contains("\u{1b}"))
    #expect(try world.awsAttributes()["given_name"] == hostile, "nothing was sent")
  }

  @Test("refusals: Cognito's own names, immutable attributes, no terminal without --yes")
  func refusals() async throws {
    let world = try await CLIWorld()
    try world.login()
    let sub = try world.run(["set", "sub=x", "--yes"])
    #expect(sub.status == 3 && sub.stderr.contains("Refusing to change sub"))
    let verified = try world.run(["set", "email_verified=true", "--yes"])
    #expect(verified.stderr.contains("change email, then verify it"), "\(verified.all)")
    let immutable = try world.run(["set", "custom:tier=platinum", "--yes"])
    #expect(immutable.status == 4)
    #expect(
      immutable.stderr.contains("InvalidParameterException")
        && immutable.stderr.contains("custom:tier"))
    let unconfirmed = try world.run(["set", "given_name=Y"])
    #expect(
      unconfirmed.status == 3
        && unconfirmed.stderr.contains("Refusing to change attributes without confirmation"))
    let usage = try world.run(["set", "given_name"])
    #expect(usage.status == 64 && usage.stderr.contains("is not NAME=VALUE"))
    #expect(try world.awsAttributes()["given_name"] == "Alice")
  }
}
