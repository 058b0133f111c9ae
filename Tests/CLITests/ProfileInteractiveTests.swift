import AccountCore
import Foundation
import TestSupport
import Testing

@Suite("set, verify and passwd on a terminal (in tmux)")
struct ProfileInteractiveTests {
  @Test("set email asks for the typed word with the review; y is not enough, change is")
  func typedChange() async throws {
    let world = try await CLIWorld()
    try world.login()
    let command = world.shellCommand(["set", "email=zed@example.org", "given_name=Zed"])
    let refused = try TmuxSession(command: command, width: 120)
    defer { refused.stop() }
    let prompt = try refused.waitFor("Type change to send 2:")
    #expect(prompt.contains("email: alice@example.com -> zed@example.org"))
    #expect(prompt.contains("given_name: Alice -> Zed"))
    #expect(prompt.contains("Cognito sends an email with a code"))
    try refused.type("y")
    try refused.sendKeys("Enter")
    #expect(try refused.waitForExit() == 3)
    #expect(try refused.capture().contains("Nothing changed: not confirmed"))
    #expect(try world.awsAttributes()["email"] == "alice@example.com")

    let accepted = try TmuxSession(command: command, width: 120)
    defer { accepted.stop() }
    try accepted.waitFor("Type change to send 2:")
    try accepted.type("change")
    try accepted.sendKeys("Enter")
    #expect(try accepted.waitForExit() == 0)
    #expect(try world.awsAttributes()["email"] == "zed@example.org")

    let verify = try TmuxSession(command: world.shellCommand(["verify", "email"]), width: 120)
    defer { verify.stop() }
    try verify.waitFor("Code for email:")
    try verify.type(try await world.code("email"))
    try verify.sendKeys("Enter")
    #expect(try verify.waitForExit() == 0)
    #expect(try world.awsAttributes()["email_verified"] == "true")
  }

  @Test("passwd asks again when the new entries differ, echoing nothing")
  func passwdMismatch() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try TmuxSession(command: world.shellCommand(["passwd"]), width: 120)
    defer { tmux.stop() }
    try tmux.waitFor("Current password:")
    try tmux.type(MotoFixture.password)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("New password:")
    try tmux.type("N3w-Passw0rd!")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Repeat the new password:")
    try tmux.type("N3w-Passw0rd?")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("The two entries differ; type it again.")
    try tmux.waitUntil("the second 'New password:'") {
      Self.after("differ", in: $0).contains("New password:")
    }
    try tmux.type("N3w-Passw0rd!")
    try tmux.sendKeys("Enter")
    try tmux.waitUntil("the second repeat") {
      Self.after("differ", in: $0).contains("Repeat the new password:")
    }
    try tmux.type("N3w-Passw0rd!")
    try tmux.sendKeys("Enter")
    #expect(try tmux.waitForExit() == 0)
    let screen = try tmux.capture()
    #expect(screen.contains("Password changed"))
    #expect(!screen.contains("N3w-Passw0rd") && !screen.contains(MotoFixture.password))
  }

  /// The part of `screen` after the first `marker`.
  private static func after(_ marker: String, in screen: String) -> Substring {
    guard let range = screen.range(of: marker) else { return "" }
    return screen[range.upperBound...]
  }
}
