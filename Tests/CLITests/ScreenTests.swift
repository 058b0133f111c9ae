import AccountCore
import CognitoClient
import Foundation
import Keyfile
import TestSupport
import Testing

/// Opens the screen for a signed-in world in tmux and waits for the list.
func openScreen(_ world: CLIWorld, width: Int = 100, height: Int = 30, extra: [String] = [])
  throws -> TmuxSession
{
  let tmux = try TmuxSession(
    command: world.shellCommand(extra), width: width, height: height)
  try tmux.waitFor("[-] sub")
  return tmux
}

/// The screen line that shows attribute `name`.
func line(_ screen: String, _ name: String) -> String {
  screen.split(separator: "\n").first { $0.contains("] \(name) ") }.map(String.init) ?? ""
}

@Suite("The account screen, driven in tmux against moto")
struct ScreenTests {
  @Test("the list shows every attribute of the seeded user; sub cannot be marked")
  func listAndProtectedRow() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world)
    defer { tmux.stop() }
    let screen = try tmux.capture()
    for (name, value) in MotoFixture.confirmedUserAttributes {
      #expect(line(screen, name).contains(value), "\(name) missing or wrong")
    }
    #expect(screen.contains(world.pool.confirmedUser))
    try tmux.sendKeys("G", "Space")
    try tmux.waitFor("sub is protected")
    #expect(line(try tmux.capture(), "sub").hasPrefix("[-]"))
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }

  @Test("mark two, review, cancel: the server is unchanged")
  func reviewCancel() async throws {
    let world = try await CLIWorld()
    try world.login()
    let before = try world.awsAttributes()
    let tmux = try openScreen(world)
    defer { tmux.stop() }
    try tmux.sendKeys("j", "j", "Space", "Space", "d")
    let review = try tmux.waitFor("Remove 2 attributes?")
    #expect(review.contains("given_name") && review.contains("family_name"))
    #expect(review.contains("cannot be undone"))
    try tmux.sendKeys("Escape")
    try tmux.waitFor("Cancelled: nothing removed")
    #expect(try world.awsAttributes() == before)
    #expect(line(try tmux.capture(), "given_name").hasPrefix("[x]"))
  }

  @Test("mark two, confirm: exactly those two are gone (AWS CLI); undo brings a custom one back")
  func confirmAndUndo() async throws {
    let world = try await CLIWorld()
    try world.login()
    let before = try world.awsAttributes()
    let tmux = try openScreen(world)
    defer { tmux.stop() }
    try tmux.sendKeys("/")
    try tmux.type("depart")
    try tmux.sendKeys("Enter", "Space", "Escape", "j", "j", "Space", "d")
    try tmux.waitFor("Remove 2 attributes?")
    try tmux.sendKeys("y")
    try tmux.waitFor("Removed 2: given_name, custom:department")
    var after = try world.awsAttributes()
    var expected = before
    expected.removeValue(forKey: "given_name")
    expected.removeValue(forKey: "custom:department")
    #expect(after == expected)
    #expect(!(try tmux.capture()).contains("Engineering"))

    try tmux.sendKeys("u")
    try tmux.waitFor("Restore 2 attributes?")
    try tmux.sendKeys("y")
    try tmux.waitFor("Restored 2: given_name, custom:department")
    after = try world.awsAttributes()
    #expect(after["custom:department"] == "Engineering")
    #expect(after["given_name"] == "Alice")
  }

  @Test("the filter narrows by name or value; Esc clears it")
  func filter() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world)
    defer { tmux.stop() }
    try tmux.sendKeys("/")
    try tmux.type("gold")
    let filtered = try tmux.waitFor("1 of 9")
    #expect(line(filtered, "custom:tier").contains("gold"))
    #expect(line(filtered, "email").isEmpty)
    try tmux.sendKeys("Escape")
    try tmux.waitUntil("the full list again") { !line($0, "email").isEmpty }
  }

  @Test("a resize from 100×30 to 50×15 and back keeps the cursor and the marks")
  func resize() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world)
    defer { tmux.stop() }
    try tmux.sendKeys("j", "j", "Space", "j")
    try tmux.waitFor("1 marked")
    func cursorRow() throws -> String {
      try tmux.captureWithAttributes().split(separator: "\n").first { $0.contains("\u{1b}[7m[") }
        .map(String.init) ?? ""
    }
    #expect(try cursorRow().contains("locale"))
    try tmux.resize(width: 50, height: 15)
    // tmux cuts the old lines at once; the program's own redraw is the 50-column hint line.
    try tmux.waitUntil("the narrow layout, mark kept") { screen in
      let lines = screen.split(separator: "\n")
      return lines.allSatisfy { $0.count <= 50 } && lines.contains { $0.hasSuffix("1 marked") }
        && line(screen, "given_name").hasPrefix("[x]")
    }
    #expect(try cursorRow().contains("locale"))
    try tmux.resize(width: 30, height: 8)
    try tmux.waitFor("Terminal too small")
    try tmux.resize(width: 100, height: 30)
    try tmux.waitUntil("the list again") { !line($0, "given_name").isEmpty }
    #expect(line(try tmux.capture(), "given_name").hasPrefix("[x]"))
    #expect(try cursorRow().contains("locale"))
  }

  @Test("a value holding an escape sequence shows escaped, and the pane title is unchanged")
  func hostileValue() async throws {
    let world = try await CLIWorld()
    try await world.fixture.call(
      "AdminUpdateUserAttributes",
      [
        "UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser,
        "UserAttributes": [
          [
            "Name": "custom:department",
            "Value": "A\u{1b}]0;pwned\u{07}B\u{1b}[31mC\u{9b}D\u{202e}E",
          ]
        ],
      ])
    try world.login()
    let tmux = try openScreen(world)
    defer { tmux.stop() }
    let titleBefore = try tmux.display("#{pane_title}")
    let screen = try tmux.capture()
    #expect(line(screen, "custom:department").contains(#"A\e]0;pwned\x07B\e[31mC\x9bD\u{202e}E"#))
    #expect(try tmux.display("#{pane_title}") == titleBefore)
    #expect(!titleBefore.contains("pwned"))
  }

  @Test("TERM=dumb: a one-line error pointing to the subcommands, exit 3")
  func dumbTerminal() async throws {
    let world = try await CLIWorld()
    let tmux = try TmuxSession(
      command: world.shellCommand([]).replacingOccurrences(of: "TERM=\"$TERM\"", with: "TERM=dumb"))
    defer { tmux.stop() }
    #expect(try tmux.waitForExit() == 3)
    #expect(try tmux.capture().contains("use a subcommand"))
  }

  @Test("signing in on the screen: username, masked password, then the list")
  func signInScreen() async throws {
    let world = try await CLIWorld()
    let tmux = try TmuxSession(
      command: world.shellCommand(["--insecure-kdf-log-n", "8"]), width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("Username:")
    try tmux.type(world.pool.confirmedUser)
    try tmux.sendKeys("Enter")
    try tmux.type(MotoFixture.password)
    let masked = try tmux.waitFor("*********")
    #expect(!masked.contains(MotoFixture.password))
    try tmux.sendKeys("Enter")
    try tmux.waitFor("[-] sub")
    #expect(FileManager.default.fileExists(atPath: world.keyfilePath))
  }

  @Test("read-only: the header says so and marking is refused")
  func readOnly() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try openScreen(world, extra: ["--read-only"])
    defer { tmux.stop() }
    #expect(try tmux.capture().contains("READ-ONLY"))
    try tmux.sendKeys("Space")
    try tmux.waitFor("Read-only: marking is disabled")
  }
}

@Suite("The account screen against a scripted server")
struct ScreenFaultTests {
  @Test("an injected server error shows in the status bar, and the app keeps working")
  func injectedError() async throws {
    let user =
      #"{"Username":"zoe","UserAttributes":[{"Name":"email","Value":"z@example.com"},{"Name":"sub","Value":"s-1"}]}"#
    let throttle = ScriptedHTTPServer.Action.awsError(
      type: "TooManyRequestsException", message: "Rate exceeded")
    let home = try ScriptedHome([.json(user), throttle, throttle, throttle, .json(user)])
    let server = home.server
    let command = home.shellCommand([])
    let tmux = try TmuxSession(command: command, width: 100, height: 20)
    defer { tmux.stop() }
    try tmux.waitFor("[-] sub")
    try tmux.sendKeys("r")
    let failed = try tmux.waitFor("TooManyRequestsException")
    #expect(failed.contains("Error: TooManyRequestsException: Cognito is limiting requests"))
    #expect(failed.contains("z@example.com"))
    try tmux.sendKeys("r")
    try tmux.waitFor("Read again: 2 attributes")
    #expect(server.count(of: "GetUser") == 5)
    try tmux.sendKeys("q")
    #expect(try tmux.waitForExit() == 0)
  }
}

/// Reads a keyfile with the test passphrase (nil when it cannot).
enum KeyfileTestAccess {
  static func load(_ path: String) throws -> StoredSession? {
    try? Keyfile(
      path: path, passphrase: .fixed(Sensitive(CLIWorld.passphrase)),
      cache: UnlockCache(timeout: .zero)
    ).load()
  }
}

@Suite("The account screen across terminals")
struct ScreenTerminalTests {
  @Test(
    "works with common TERM values",
    arguments: ["xterm-256color", "xterm", "screen", "tmux-256color", "vt100", "linux"])
  func terminalTypes(term: String) async throws {
    let world = try await CLIWorld()
    try world.login()
    let command = world.shellCommand([]).replacingOccurrences(
      of: "TERM=\"$TERM\"", with: "TERM=\(term)")
    let tmux = try TmuxSession(command: command, width: 100, height: 30)
    defer { tmux.stop() }
    let screen = try tmux.waitFor("[-] sub")
    #expect(line(screen, "custom:department").contains("Engineering"))
    try tmux.sendKeys("j", "j", "Space")
    try tmux.waitFor("1 marked")
    try tmux.sendKeys("c", "q")
    #expect(try tmux.waitForExit() == 0)
  }

  @Test("colour by default; none with NO_COLOR or --no-color, and every state still reads")
  func monochrome() async throws {
    let world = try await CLIWorld()
    try world.login()
    func colourCodes(_ extra: [String: String], _ flags: [String]) throws -> (Bool, String) {
      let tmux = try TmuxSession(
        command: world.shellCommand(flags, extra: extra).replacingOccurrences(
          of: "TERM=\"$TERM\"", with: "TERM=xterm-256color"), width: 100, height: 30)
      defer { tmux.stop() }
      try tmux.waitFor("[-] sub")
      try tmux.sendKeys("j", "j", "Space")
      try tmux.waitFor("1 marked")
      let styled = try tmux.captureWithAttributes()
      let colour =
        styled.range(
          of: #"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[;m]"#, options: .regularExpression) != nil
      return (colour, styled)
    }
    #expect(try colourCodes([:], []).0)
    for (extra, flags) in [(["NO_COLOR": "1"], [String]()), ([:], ["--no-color"])] {
      let (colour, styled) = try colourCodes(extra, flags)
      #expect(!colour, "colour codes with \(extra) \(flags)")
      #expect(styled.contains("\u{1b}[7m"), "no reverse video for the cursor")
      #expect(styled.contains("[x]"))
    }
  }

  @Test("Ctrl-Z suspends to the shell and fg redraws the screen")
  func suspendAndResume() async throws {
    let world = try await CLIWorld()
    try world.login()
    let tmux = try TmuxSession(command: "exec bash --norc --noprofile -i", width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.type("PS1='prompt> '; clear\n")
    try tmux.waitFor("prompt>")
    try tmux.type(world.shellCommand([]) + "\n")
    try tmux.waitFor("[-] sub")
    try tmux.sendKeys("C-z")
    try tmux.waitFor("Stopped")
    try tmux.type("fg\n")
    let redrawn = try tmux.waitUntil("the screen redrawn") {
      line($0, "custom:department").contains("Engineering") && !$0.contains("Stopped")
    }
    #expect(redrawn.contains("[-] sub"))
    try tmux.sendKeys("q")
    try tmux.waitUntil("the prompt after quitting") {
      $0.contains("prompt> ") && !$0.contains("[-] sub")
    }
  }
}
