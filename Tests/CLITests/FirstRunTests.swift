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
}
