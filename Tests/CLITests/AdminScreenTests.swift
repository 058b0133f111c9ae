import Foundation
import TestSupport
import Testing

extension SupportWorld {
  /// A shell command running `cognito-account admin` with this world's environment.
  func screenCommand(_ arguments: [String] = []) -> String {
    let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }
    let quoted = ([CLIWorld.binary.path, "admin"] + arguments).map { "'\($0)'" }
    return "env -i TERM=\"$TERM\" " + (assignments + quoted).joined(separator: " ")
  }
}

@Suite("The support screen, in tmux against moto with IAM enforced", .serialized)
struct AdminScreenTests {
  @Test("header, first page streamed, search by prefix, n for more, Enter opens a user")
  func searchAndOpen() throws {
    let world = try SupportWorld()
    let tmux = try TmuxSession(command: world.screenCommand(), width: 100, height: 24)
    defer { tmux.stop() }
    let first = try tmux.waitFor("so far: n for more")
    #expect(first.contains(world.seed.reader.arn))
    #expect(first.contains("READ-ONLY"))
    #expect(first.contains("user0001"))
    try tmux.sendKeys("n")
    try tmux.waitFor("120 users so far")
    try tmux.type("zoe")
    try tmux.sendKeys("Enter")
    let results = try tmux.waitFor("zoey.evans")
    #expect(results.contains(#"username ^= "zoe""#))
    #expect(!results.contains("user0001"))
    try tmux.sendKeys("Enter")
    let user = try tmux.waitFor("User: zoe.adams")
    #expect(user.contains("[-] sub"))
    #expect(user.contains("zoe.adams@example.com"))
    try tmux.sendKeys("Space", "d")
    try tmux.waitFor("Read-only support mode: AdminDeleteUserAttributes is disabled")
    try tmux.sendKeys("Escape")
    try tmux.waitFor("Search: username")
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(try world.auditEntries().isEmpty)
  }

  @Test("mark, d, a reason, the review, y: removed (AWS CLI), audited with the reason")
  func removeWithReason() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[6]
    let tmux = try TmuxSession(
      command: world.screenCommand(["--allow-writes"]), width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("so far")
    try tmux.sendKeys("/")
    try tmux.type("username = \"\(target)\"")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("1 user")
    try tmux.sendKeys("Enter")
    let opened = try tmux.waitFor("User: \(target)")
    let rows = opened.split(separator: "\n")
    let givenRow = try #require(rows.firstIndex { $0.contains("] given_name ") })
    let firstRow = try #require(rows.firstIndex { $0.hasPrefix("[") })
    for _ in 0..<(givenRow - firstRow) { try tmux.sendKeys("j") }
    try tmux.sendKeys("Space", "d")
    try tmux.waitFor("Reason for AdminDeleteUserAttributes")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("needs a reason")
    try tmux.type("TICKET-88 asked by phone")
    try tmux.sendKeys("Enter")
    let review = try tmux.waitFor("Review: AdminDeleteUserAttributes")
    #expect(review.contains("Reason: TICKET-88 asked by phone"))
    #expect(review.contains("given_name"))
    try tmux.sendKeys("y")
    try tmux.waitFor("Removed 1 attribute")
    #expect(try world.attributes(target)["given_name"] == nil)
    let entries = try world.auditEntries()
    #expect(entries.map { $0["phase"] as? String } == ["intent", "outcome"])
    #expect(entries.first?["reason"] as? String == "TICKET-88 asked by phone")
    try tmux.sendKeys("Escape", "q")
    #expect(try tmux.waitForExit() == 0)
  }

  @Test("disable asks for the user name typed; a wrong word sends nothing, the right one does")
  func disableTyped() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[7]
    let tmux = try TmuxSession(
      command: world.screenCommand(["--allow-writes"]), width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("so far")
    try tmux.type(target)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("1 user")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("User: \(target)")
    try tmux.sendKeys("x")
    try tmux.waitFor("Reason for AdminDisableUser")
    try tmux.type("T-5 compromised")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Type \(target) to send it")
    try tmux.type("y")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("exactly to confirm")
    #expect(try world.aws(["admin-get-user", "--username", target])["Enabled"] as? Bool == true)
    try tmux.sendKeys("BSpace")
    try tmux.type(target)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("AdminDisableUser: done")
    #expect(try world.aws(["admin-get-user", "--username", target])["Enabled"] as? Bool == false)
    #expect(try tmux.capture().contains("DISABLED"))
  }

  @Test("e edits a value: a reason, then 'change' typed for an email, sent (AWS CLI), audited")
  func editEmail() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[8]
    let tmux = try TmuxSession(
      command: world.screenCommand(["--allow-writes"]), width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("so far")
    try tmux.type(target)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("1 user")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("User: \(target)")
    try tmux.sendKeys("e")
    try tmux.waitFor("New value of email")
    try tmux.sendKeys("C-u")
    try tmux.type("moved@example.org")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Reason for AdminUpdateUserAttributes")
    try tmux.type("T-12 new address")
    try tmux.sendKeys("Enter")
    let review = try tmux.waitFor("Type change to send it")
    #expect(review.contains("-> moved@example.org"))
    try tmux.type("change")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Changed email of \(target)")
    #expect(try world.attributes(target)["email"] == "moved@example.org")
    let entries = try world.auditEntries()
    #expect(entries.first?["attributes"] as? [String] == ["email"])
    #expect(entries.last?["result"] as? String == "ok")
  }

  @Test("o signs out, x enables again, p resets (user name typed), each audited")
  func otherActions() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[9]
    _ = try world.awsText(["admin-disable-user", "--username", target])
    let tmux = try TmuxSession(
      command: world.screenCommand(["--allow-writes"]), width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("so far")
    try tmux.type(target)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("1 user")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("DISABLED")
    for (key, operation) in [("o", "AdminUserGlobalSignOut"), ("x", "AdminEnableUser")] {
      try tmux.sendKeys(key)
      try tmux.waitFor("Reason for \(operation)")
      try tmux.type("T-20 \(key)")
      try tmux.sendKeys("Enter")
      try tmux.waitFor("y sends it")
      try tmux.sendKeys("y")
      try tmux.waitFor("\(operation): done")
    }
    #expect(try world.aws(["admin-get-user", "--username", target])["Enabled"] as? Bool == true)
    try tmux.sendKeys("p")
    try tmux.waitFor("Reason for AdminResetUserPassword")
    try tmux.type("T-20 p")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Type \(target) to send it")
    try tmux.type(target)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("AdminResetUserPassword: done")
    #expect(
      try world.aws(["admin-get-user", "--username", target])["UserStatus"] as? String
        == "RESET_REQUIRED")
    let outcomes = try world.auditEntries().filter { $0["phase"] as? String == "outcome" }
    #expect(
      outcomes.map { $0["operation"] as? String } == [
        "AdminUserGlobalSignOut", "AdminEnableUser", "AdminResetUserPassword",
      ])
    #expect(outcomes.allSatisfy { $0["result"] as? String == "ok" })
  }

  @Test("AccessDenied on the screen names the missing action; the user stays as they were")
  func accessDeniedOnScreen() throws {
    let world = try SupportWorld(key: \.reader)
    let target = world.seed.targets[10]
    let tmux = try TmuxSession(
      command: world.screenCommand(["--allow-writes"]), width: 120, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("so far")
    try tmux.type(target)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("1 user")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("User: \(target)")
    try tmux.sendKeys("x")
    try tmux.type("T-21")
    try tmux.sendKeys("Enter")
    try tmux.waitFor("Type \(target) to send it")
    try tmux.type(target)
    try tmux.sendKeys("Enter")
    try tmux.waitFor("lacks cognito-idp:AdminDisableUser")
    #expect(try world.aws(["admin-get-user", "--username", target])["Enabled"] as? Bool == true)
  }

  @Test("expired credentials at start-up: the status line says so and how to refresh")
  func expiredOnScreen() throws {
    let world = try SupportWorld(key: \.reader)
    let expired = try ScriptedHTTPServer(script: [
      .respond(
        status: 403, headers: [("Content-Type", "text/xml")],
        body: Data(
          "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>"
            .utf8))
    ])
    defer { expired.stop() }
    world.environment["AWS_ENDPOINT_URL"] = expired.url.absoluteString
    let tmux = try TmuxSession(command: world.screenCommand(), width: 120, height: 24)
    defer { tmux.stop() }
    let screen = try tmux.waitFor("have expired")
    #expect(screen.contains("environment variables"))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }
}
