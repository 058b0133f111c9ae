import Foundation
import TestSupport
import Testing

@Suite("The screen's first sign-in: signing in first, the passphrase after (in tmux)")
struct FirstRunTests {
  /// The screen with no keyfile and nothing to supply a passphrase: it must ask itself.
  private func firstRun(_ world: CLIWorld) throws -> TmuxSession {
    let tmux = try TmuxSession(
      command: world.shellCommand(
        ["--insecure-kdf-log-n", "8"], unset: ["COGNITO_ACCOUNT_PASSPHRASE"]),
      width: 100, height: 30)
    let form = try tmux.waitFor("Username:")
    #expect(!form.contains("passphrase"), "no passphrase before signing in:\n\(form)")
    try tmux.type(world.pool.confirmedUser)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Password:")
    try tmux.type(MotoFixture.password)
    try tmux.sendKeys("Enter")
    let step = try tmux.waitFor("Choose a passphrase")
    #expect(step.contains("Your session is kept in"), "\(step)")
    #expect(step.contains("You type it each time"), "the unlock cache is off here: \(step)")
    return tmux
  }

  @Test("sign in, then the passphrase twice (a mismatch asks again), then the list; it is stored")
  func passphraseAfterSignIn() async throws {
    let world = try await CLIWorld()
    let tmux = try firstRun(world)
    defer { tmux.stop() }
    try tmux.type("first-passphrase")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Passphrase again:")
    try tmux.type("other-passphrase")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("The two passphrases differ")
    try tmux.type("first-passphrase")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Passphrase again:")
    try tmux.type("first-passphrase")
    try tmux.sendKeys("Enter")
    let list = try tmux.waitFor("[-] sub")
    #expect(!list.contains("first-passphrase"))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(FileManager.default.fileExists(atPath: world.keyfilePath))
    let attributes = try world.run(
      ["attributes"], extra: ["COGNITO_ACCOUNT_PASSPHRASE": "first-passphrase"])
    #expect(attributes.status == 0, "\(attributes.all)")
  }

  @Test("Esc at the passphrase, then y: the list for this run, nothing written")
  func keepInMemory() async throws {
    let world = try await CLIWorld()
    let tmux = try firstRun(world)
    defer { tmux.stop() }
    try tmux.sendKeys("Escape")
    try tmux.waitFor("Keep the session for this run only?")
    try tmux.sendKeys("y")
    try tmux.waitFor("[-] sub")
    try tmux.waitFor("session not stored: this run only")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
  }

  /// The screen on a machine where nothing names a pool or a client.
  private func nothingConfigured(_ world: CLIWorld) throws -> TmuxSession {
    let tmux = try TmuxSession(
      command: world.shellCommand(
        ["--insecure-kdf-log-n", "8"],
        unset: [
          "COGNITO_ACCOUNT_PASSPHRASE", "COGNITO_ACCOUNT_USER_POOL_ID", "COGNITO_ACCOUNT_CLIENT_ID",
        ]),
      width: 100, height: 30)
    try tmux.waitFor("Set up profile 'default'")
    return tmux
  }

  @Test(
    "nothing configured: the set-up form (a wrong pool id says so, keeping the rest), then sign-in, passphrase, list"
  )
  func setupFormThenSignIn() async throws {
    let world = try await CLIWorld()
    let tmux = try nothingConfigured(world)
    defer { tmux.stop() }
    try tmux.type("us-east-1_Wrong123")
    try tmux.sendKeys("Enter", "Enter")
    try tmux.type(world.pool.publicClientID)
    try tmux.sendKeys("Enter", "Enter", "Enter", "Enter")
    let refused = try tmux.waitFor("check the user pool id")
    #expect(refused.contains("Cognito has no user pool us-east-1_Wrong123"), "\(refused)")
    #expect(refused.contains("its key set answered"), "\(refused)")
    #expect(refused.contains(world.pool.publicClientID), "the client id is kept:\n\(refused)")
    #expect(
      !FileManager.default.fileExists(atPath: world.root + "/config/cognito-account/config.toml"))
    // The cursor is back on the pool id: erase it, type the right one, go to the last line.
    try tmux.sendKeys("C-u")
    try tmux.type(world.pool.userPoolID)
    try tmux.sendKeys("Tab", "Tab", "Tab", "Tab", "Tab", "Enter")
    let form = try tmux.waitFor("Username:")
    #expect(form.contains("Profile 'default' saved"), "\(form)")
    try tmux.type(world.pool.confirmedUser)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Password:")
    try tmux.type(MotoFixture.password)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Choose a passphrase")
    try tmux.type("setup-passphrase")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Passphrase again:")
    try tmux.type("setup-passphrase")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("[-] sub")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)

    world.environment.removeValue(forKey: "COGNITO_ACCOUNT_USER_POOL_ID")
    world.environment.removeValue(forKey: "COGNITO_ACCOUNT_CLIENT_ID")
    let pool = try world.setting("userPoolId")
    #expect(pool.value == world.pool.userPoolID && pool.source == "profile")
    let attributes = try world.run(
      ["attributes"], extra: ["COGNITO_ACCOUNT_PASSPHRASE": "setup-passphrase"])
    #expect(attributes.status == 0, "the stored session works: \(attributes.all)")
  }

  @Test("Esc on the set-up form: nothing written, a pointer to configure")
  func setupFormEscape() async throws {
    let world = try await CLIWorld()
    let tmux = try nothingConfigured(world)
    defer { tmux.stop() }
    try tmux.type("eu-west-1_Abc")
    try tmux.sendKeys("Escape")
    #expect(try tmux.waitForExit() == 0)
    #expect(try tmux.capture().contains("Nothing was written"))
    #expect(!FileManager.default.fileExists(atPath: world.root + "/config"))
  }

  @Test("a pool that tracks devices: registered once the session is stored, never in memory only")
  func deviceRegisteredWhenStored() async throws {
    let world = try await CLIWorld(devices: .always)
    let tmux = try firstRun(world)
    defer { tmux.stop() }
    for _ in 0..<2 {
      try tmux.type("device-passphrase")
      try tmux.sendKeys("Enter")
    }
    try tmux.waitFor("[-] sub")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    let listed = try world.run(
      ["devices", "--json"], extra: ["COGNITO_ACCOUNT_PASSPHRASE": "device-passphrase"])
    #expect(listed.status == 0, "\(listed.all)")
    #expect(listed.stdout.contains("dev:device_remembered_status"))
    let memory = try await CLIWorld(devices: .always)
    let again = try firstRun(memory)
    defer { again.stop() }
    try again.sendKeys("Escape")
    try again.waitFor("Keep the session for this run only?")
    try again.sendKeys("y")
    try again.waitFor("[-] sub")
    try again.sendKeys("S")
    let view = try again.waitFor("passkey(s)")
    #expect(view.contains("Devices (0)"), "nothing registered for a session kept in memory")
  }
}
