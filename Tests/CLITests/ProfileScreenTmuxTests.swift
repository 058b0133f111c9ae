import AccountCore
import Foundation
import TestSupport
import Testing

@Suite("Editing the profile on the screen, driven in tmux against moto")
struct ProfileScreenTmuxTests {
  @Test("edit one, add one, review, save: the AWS CLI sees both; undo puts them back")
  func editAddSaveUndo() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world)
    defer { tmux.stop() }
    try tmux.sendKeys("j", "j", "e", "C-u")
    try tmux.type("Alicia")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("1 edit pending")
    try tmux.sendKeys("a")
    try tmux.waitFor("Add an attribute")
    try tmux.type("nickname")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Add nickname")
    try tmux.type("ali")
    try tmux.sendKeys("Enter")
    let list = try tmux.waitFor("2 edits pending")
    #expect(
      line(list, "given_name").hasPrefix("[~]") && line(list, "given_name").contains("Alicia"))
    #expect(line(list, "nickname").hasPrefix("[+]"))
    try tmux.sendKeys("s")
    let review = try tmux.waitFor("Save 2 changes?")
    #expect(review.contains("Alice → Alicia") && review.contains("(new) ali"), "\(review)")
    try tmux.sendKeys("y")
    try tmux.waitFor("Saved 2: given_name, nickname")
    var after = try world.awsAttributes()
    #expect(after["given_name"] == "Alicia" && after["nickname"] == "ali")
    try tmux.sendKeys("u")
    let undo = try tmux.waitFor("Undo 2 changes?")
    #expect(undo.contains("Alicia → Alice") && undo.contains("ali → (removed)"), "\(undo)")
    try tmux.sendKeys("y")
    try tmux.waitFor("Undone 2: given_name, nickname")
    after = try world.awsAttributes()
    #expect(after["given_name"] == "Alice" && after["nickname"] == nil)
  }

  @Test("email, default pool: typed 'change', unverified mark, a wrong code, then the right one")
  func emailDefaultPool() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world, width: 120)
    defer { tmux.stop() }
    try tmux.sendKeys("g", "e", "C-u")
    try tmux.type("zed@example.org")
    try tmux.sendKeys("Enter", "s")
    let review = try tmux.waitFor("Type change and press Enter to save")
    #expect(review.contains("alice@example.com → zed@example.org"))
    try tmux.type("change")
    try tmux.sendKeys("Enter")
    let saved = try tmux.waitFor("A code went to z***@e***")
    #expect(line(saved, "email").contains("(unverified)"), "\(saved)")
    try tmux.sendKeys("v")
    try tmux.waitFor("Verify email")
    try tmux.type("000000x")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("CodeMismatchException")
    try tmux.type(try await world.code("email"))
    try tmux.sendKeys("Enter")
    let verified = try tmux.waitFor("email verified")
    #expect(!line(verified, "email").contains("unverified"), "\(verified)")
    #expect(try world.awsAttributes()["email_verified"] == "true")
  }

  @Test("email, gated pool: the old value stays; Tab resends; expired and reused codes refused")
  func emailGatedPool() async throws {
    let world = try await CLIWorld(verifyBeforeUpdate: true)
    try world.login()
    let tmux = try openScreen(world, width: 120)
    defer { tmux.stop() }
    try tmux.sendKeys("g", "e", "C-u")
    try tmux.type("zed@example.org")
    try tmux.sendKeys("Enter", "s")
    try tmux.waitFor("Type change")
    try tmux.type("change")
    try tmux.sendKeys("Enter")
    let kept = try tmux.waitFor("email keeps its old value until you enter it")
    #expect(line(kept, "email").contains("alice@example.com"))
    try tmux.sendKeys("v")
    try tmux.waitFor("Verify email")
    try await world.fixture.expireVerificationCodes(poolID: world.pool.userPoolID)
    try tmux.type(try await world.code("email"))
    try tmux.sendKeys("Enter")
    try tmux.waitFor("ExpiredCodeException")
    try tmux.sendKeys("Tab")
    try tmux.waitFor("A new code went to z***@e***")
    let code = try await world.code("email")
    try tmux.type(code)
    try tmux.sendKeys("Enter")
    let verified = try tmux.waitFor("email verified")
    #expect(line(verified, "email").contains("zed@example.org"))
    #expect(try world.awsAttributes()["email"] == "zed@example.org")
    try tmux.sendKeys("v")
    try tmux.waitFor("Verify email")
    try tmux.type(code)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("CodeMismatchException")
  }

  @Test("p: a wrong current password, a weak new one, then success; the new one signs in")
  func changePassword() async throws {
    let world = try await CLIWorld()
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    try "[profiles.default]\nauth_flow = \"USER_PASSWORD_AUTH\"\n".write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    try world.login()
    let tmux = try openScreen(world, width: 120)
    defer { tmux.stop() }
    func enter(_ text: String) throws {
      try tmux.type(text)
      try tmux.sendKeys("Enter")
    }
    try tmux.sendKeys("p")
    try tmux.waitFor("Current password:")
    try enter("Not-It-1!")
    try enter("N3w-Passw0rd!")
    try enter("N3w-Passw0rd!")
    try tmux.waitFor("The current password is wrong")
    try enter(MotoFixture.password)
    try enter("short")
    try enter("short")
    try tmux.waitFor("InvalidPasswordException")
    try enter("N3w-Passw0rd!")
    try enter("N3w-Passw0rd!")
    let done = try tmux.waitFor("Password changed")
    #expect(!done.contains("N3w-Passw0rd!") && !done.contains(MotoFixture.password))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(try world.login(password: "N3w-Passw0rd!").status == 0)
  }

  @Test("read-only refuses editing; a hostile value typed in is escaped in review, stored as typed")
  func readOnlyAndHostile() async throws {
    let world = try await CLIWorld()
    try world.login()
    let readOnly = try openScreen(world, extra: ["--read-only"])
    defer { readOnly.stop() }
    for key in ["e", "a", "p"] {
      try readOnly.sendKeys(key)
      try readOnly.waitFor("Read-only: editing is disabled")
      try readOnly.sendKeys("r")
      try readOnly.waitFor("Read again")
    }
    readOnly.stop()

    let hostile = "\u{202e}evil 界 <b>"
    let tmux = try openScreen(world, width: 120)
    defer { tmux.stop() }
    try tmux.sendKeys("j", "j", "e", "C-u")
    try tmux.type(hostile)
    try tmux.sendKeys("Enter", "s")
    let review = try tmux.waitFor("Save 1 change?")
    #expect(review.contains(#"\u{202e}evil 界 <b>"#) && !review.contains("\u{202e}"), "\(review)")
    try tmux.sendKeys("y")
    try tmux.waitFor("Saved 1: given_name")
    #expect(try world.awsAttributes()["given_name"] == hostile)
  }
}
