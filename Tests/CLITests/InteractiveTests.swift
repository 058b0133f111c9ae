import AccountCore
import Foundation
import TestSupport
import Testing

@Suite("cognito-account on a terminal (in tmux)")
struct InteractiveTests {
  @Test("login asks for username, password and a new keyfile passphrase, echoing no secret")
  func interactiveLogin() async throws {
    let world = try await CLIWorld()
    let command = world.shellCommand(
      ["login", "--insecure-kdf-log-n", "8"], unset: ["COGNITO_ACCOUNT_PASSPHRASE"])
    let tmux = try TmuxSession(command: command)
    defer { tmux.stop() }
    try tmux.waitFor("Username:")
    try tmux.type(world.pool.confirmedUser)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Password:")
    try tmux.type(MotoFixture.password)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("New passphrase for")
    try tmux.type("terminal-passphrase-1")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Repeat the passphrase:")
    try tmux.type("terminal-passphrase-1")
    try tmux.sendKeys("Enter")
    let screen = try tmux.waitFor("Signed in as \(world.pool.confirmedUser)")
    #expect(try tmux.waitForExit() == 0)
    #expect(screen.contains(world.pool.confirmedUser))
    #expect(!screen.contains(MotoFixture.password))
    #expect(!screen.contains("terminal-passphrase-1"))
    let attributes = try world.run(
      ["attributes"], extra: ["COGNITO_ACCOUNT_PASSPHRASE": "terminal-passphrase-1"])
    #expect(attributes.status == 0, "\(attributes.all)")
  }

  @Test("delete of phone_number on a terminal asks for the typed word, as the screen does")
  func typedConfirmation() async throws {
    let world = try await CLIWorld()
    try world.login()
    let command = world.shellCommand(["delete", "phone_number", "given_name"])
    let refused = try TmuxSession(command: command)
    defer { refused.stop() }
    let prompt = try refused.waitFor("Type delete to remove 2:")
    #expect(prompt.contains("Without phone_number you lose SMS MFA"))
    try refused.type("y")
    try refused.sendKeys("Enter")
    #expect(try refused.waitForExit() == 3)
    #expect(try refused.capture().contains("Nothing removed: not confirmed"))
    #expect(try world.awsAttributes()["phone_number"] != nil)

    let accepted = try TmuxSession(command: command)
    defer { accepted.stop() }
    try accepted.waitFor("Type delete to remove 2:")
    try accepted.type("delete")
    try accepted.sendKeys("Enter")
    #expect(try accepted.waitForExit() == 0)
    let after = try world.awsAttributes()
    #expect(after["phone_number"] == nil && after["given_name"] == nil)
  }

  @Test("delete on a terminal shows each value and defaults to No")
  func confirmDefaultsToNo() async throws {
    let world = try await CLIWorld()
    try world.login()
    let before = try world.awsAttributes()
    let command = world.shellCommand(["delete", "given_name", "custom:department"])
    let tmux = try TmuxSession(command: command)
    defer { tmux.stop() }
    let prompt = try tmux.waitFor("Remove 2? [y/N]")
    #expect(prompt.contains("given_name = Alice"))
    #expect(prompt.contains("custom:department = Engineering"))
    #expect(prompt.contains("cannot be undone"))
    try tmux.sendKeys("Enter")
    #expect(try tmux.waitForExit() == 3)
    #expect(try tmux.capture().contains("Nothing removed: not confirmed"))
    #expect(try world.awsAttributes() == before)

    let again = world.shellCommand(["delete", "given_name"])
    let yes = try TmuxSession(command: again)
    defer { yes.stop() }
    try yes.waitFor("Remove 1? [y/N]")
    try yes.type("y")
    try yes.sendKeys("Enter")
    #expect(try yes.waitForExit() == 0)
    #expect(try world.awsAttributes()["given_name"] == nil)
  }
}
