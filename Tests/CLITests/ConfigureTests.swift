import Foundation
import TestSupport
import Testing

/// A world whose pool and client come from nowhere: no environment variables for them, no
/// config file, as on a machine where nothing is set up.
private func bareWorld() async throws -> CLIWorld {
  let world = try await CLIWorld()
  world.environment.removeValue(forKey: "COGNITO_ACCOUNT_USER_POOL_ID")
  world.environment.removeValue(forKey: "COGNITO_ACCOUNT_CLIENT_ID")
  return world
}

private func configText(_ world: CLIWorld) -> String? {
  FileManager.default.contents(atPath: world.root + "/config/cognito-account/config.toml").map {
    String(decoding: $0, as: UTF8.self)
  }
}

@Suite("configure: a profile without hand-written TOML (against moto)")
struct ConfigureTests {
  @Test("non-interactive: checked against Cognito, written 0600 in 0700; status shows the profile")
  func nonInteractive() async throws {
    let world = try await bareWorld()
    #expect(try world.run(["status"]).status == 3, "nothing configured yet")
    let configure = try world.run([
      "configure", "--user-pool-id", world.pool.userPoolID, "--client-id",
      world.pool.publicClientID,
    ])
    #expect(configure.status == 0, "\(configure.all)")
    #expect(configure.stdout.contains("Cognito answered UserNotFoundException"))
    let path = world.root + "/config/cognito-account/config.toml"
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let directory = try FileManager.default.attributesOfItem(
      atPath: world.root + "/config/cognito-account")
    #expect((directory[.posixPermissions] as? Int) == 0o700)
    let pool = try world.setting("userPoolId")
    #expect(pool.value == world.pool.userPoolID && pool.source == "profile")
    #expect(try world.login().status == 0, "signing in needs nothing else")
  }

  @Test("a pool or client Cognito does not know: a clear line, nothing written")
  func unknownPool() async throws {
    let world = try await bareWorld()
    let wrong = try world.run([
      "configure", "--user-pool-id", "us-east-1_Nope12345", "--client-id", "abc123",
    ])
    #expect(wrong.status == 3)
    #expect(wrong.stderr.contains("has no user pool us-east-1_Nope12345"), "\(wrong.all)")
    #expect(configText(world) == nil)
    // The client exists but the pool id is wrong: a sign-in never sends the pool id, so only
    // the pool's key set can tell.
    let wrongPool = try world.run([
      "configure", "--user-pool-id", "us-east-1_Nope12345", "--client-id",
      world.pool.publicClientID,
    ])
    #expect(wrongPool.status == 3)
    #expect(wrongPool.stderr.contains("answered 404"), "\(wrongPool.all)")
    let wrongClient = try world.run([
      "configure", "--user-pool-id", world.pool.userPoolID, "--client-id", "abc123",
    ])
    #expect(wrongClient.status == 3)
    #expect(wrongClient.stderr.contains("ResourceNotFoundException"), "\(wrongClient.all)")
    #expect(configText(world) == nil)
    let malformed = try world.run(["configure", "--user-pool-id", "nope", "--client-id", "abc"])
    #expect(malformed.status == 3 && malformed.stderr.contains("is not a user pool id"))
  }

  @Test(
    "an existing file keeps its other profiles and comments; a profile is replaced only with --yes")
  func existingFile() async throws {
    let world = try await bareWorld()
    let directory = world.root + "/config/cognito-account"
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let before = """
      # my settings
      default_profile = "work"

      [profiles.work]  # the main one
      user_pool_id = "\(world.pool.userPoolID)"
      client_id = "\(world.pool.publicClientID)"
      read_only = true

      """
    _ = FileManager.default.createFile(
      atPath: directory + "/config.toml", contents: Data(before.utf8),
      attributes: [.posixPermissions: 0o600])
    let added = try world.run([
      "configure", "--profile", "second", "--user-pool-id", world.pool.userPoolID,
      "--client-id", world.pool.secretClientID, "--no-check",
    ])
    #expect(added.status == 0, "\(added.all)")
    let after = try #require(configText(world))
    #expect(after.hasPrefix(before), "the old text is kept byte for byte:\n\(after)")
    #expect(after.contains("[profiles.second]"))
    let again = try world.run([
      "configure", "--profile", "work", "--user-pool-id", world.pool.userPoolID, "--client-id",
      world.pool.publicClientID,
    ])
    #expect(again.status == 3 && again.stderr.contains("already exists"), "\(again.all)")
    #expect(configText(world) == after)
    let replaced = try world.run([
      "configure", "--profile", "work", "--user-pool-id", world.pool.userPoolID, "--client-id",
      world.pool.publicClientID, "--yes",
    ])
    #expect(replaced.status == 0, "\(replaced.all)")
    let text = try #require(configText(world))
    #expect(text.hasPrefix("# my settings\ndefault_profile = \"work\"\n"))
    #expect(!text.contains("read_only = true"), "the work profile was replaced:\n\(text)")
    #expect(text.contains("[profiles.second]"))
    let status = try world.run(["status"])
    #expect(status.stdout.contains("work") && status.stdout.contains(world.pool.userPoolID))
    #expect(!status.stderr.contains("Error"), "the merged file parses: \(status.all)")
  }

  @Test("interactive on a terminal: every question, defaults on Enter, then the file")
  func interactive() async throws {
    let world = try await bareWorld()
    let tmux = try TmuxSession(command: world.shellCommand(["configure"]), width: 140)
    defer { tmux.stop() }
    try tmux.waitFor("User pool id")
    try tmux.type(world.pool.userPoolID)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Region [us-east-1]:")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("App client id:")
    try tmux.type(world.pool.publicClientID)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("secret? [y/N]")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Sign-in flow")
    try tmux.type("2")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Read-only profile? [y/N]")
    try tmux.sendKeys("Enter")
    #expect(try tmux.waitForExit() == 0)
    let text = try #require(configText(world))
    #expect(text.contains("user_pool_id = \"\(world.pool.userPoolID)\""))
    #expect(text.contains("auth_flow = \"USER_PASSWORD_AUTH\""))
    #expect(!text.contains("read_only"))
    #expect(try world.login().status == 0)
  }
}
