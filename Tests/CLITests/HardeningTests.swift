import AccountCore
import Foundation
import Keyfile
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Server text that tries to drive a terminal: OSC title, CSI, a C1 CSI, bidi, a new line.
let hostileText = "t\u{1b}]0;PWNED\u{07} \u{1b}[2J c1\u{9b}31m \u{202e}desrever\u{2066} x\ny"

/// One finding of the security review (issue "Hardening") per test, each failing on the code
/// before its fix.
@Suite("Hardening")
struct HardeningTests {
  // MARK: 1. Untrusted text

  @Test("1. server text in errors never reaches stdout, stderr or the log raw")
  func escapedErrors() async throws {
    let user = #"{"Username":"zoe","UserAttributes":[{"Name":"given_name","Value":"Zoe"}]}"#
    let home = try ScriptedHome([
      .awsError(type: "Evil\u{1b}]0;PWNED\u{07}Exception", message: hostileText),
      .json(user),
      .awsError(type: "InvalidParameterException", message: hostileText),
      .awsError(type: "aws.protocoljson#UserLambdaValidationException", message: hostileText),
    ])
    let log = home.root + "/run.log"
    let listing = try home.run(["attributes", "--log-file", log])
    #expect(listing.status == 4)
    #expect(listing.stderr.contains("unknown error"), "\(listing.stderr)")
    #expect(!listing.stderr.contains("Evil"), "an implausible code is dropped whole")
    let delete = try home.run(["delete", "given_name", "--yes", "--log-file", log])
    #expect(delete.status == 4)
    #expect(delete.stderr.contains(#"t\e]0;PWNED\x07"#), "\(delete.stderr)")
    let json = try home.run(["attributes", "--json", "--log-file", log])
    #expect(json.status == 4)
    #expect(json.stderr.contains("UserLambdaValidationException"))
    for result in [listing, delete, json] {
      let found =
        terminalUnsafe(Data(result.stdout.utf8)) + terminalUnsafe(Data(result.stderr.utf8))
      #expect(found.isEmpty, "\(found) in \(result.all)")
    }
    let logText = try String(contentsOfFile: log, encoding: .utf8)
    let lines = logText.split(separator: "\n")
    #expect(lines.filter { $0.contains(" op=") }.count == 4, "one per attempt:\n\(logText)")
    #expect(
      lines.filter { $0.contains(" command=") }.map { $0.split(separator: " ").suffix(2) }
        == [
          ["command=attributes", "exit=4"], ["command=delete", "exit=4"],
          ["command=attributes", "exit=4"],
        ],
      "one per command, with its exit code:\n\(logText)")
    #expect(lines.allSatisfy { $0.hasPrefix("20") }, "a log line was split:\n\(logText)")
    #expect(terminalUnsafe(Data(logText.utf8)).isEmpty)
  }

  @Test("1. a username from a token claim is escaped after sign-in (and hostile times don't trap)")
  func escapedUsername() async throws {
    let access = unsignedJWT(
      #"{"username":"eve\u001b]0;PWNED\u0007\u202eevil","iat":-9223372036854775808,"#
        + #""exp":9223372036854775807,"auth_time":9223372036854775807,"token_use":"access"}"#)
    let user = #"{"Username":"eve","UserAttributes":[]}"#
    let home = try ScriptedHome(
      [
        .json(
          #"{"AuthenticationResult":{"AccessToken":"\#(access)","RefreshToken":"r","ExpiresIn":9223372036854775807}}"#
        ),
        .json(user),
      ], storedUser: nil)
    try home.writeProfile(#"auth_flow = "USER_PASSWORD_AUTH""#)
    let login = try home.run(
      ["login", "--username", "eve", "--password-stdin", "--insecure-kdf-log-n", "8"],
      input: "pw\n")
    #expect(login.status == 0, "\(login.all)")
    #expect(login.stdout.contains(#"Signed in as eve\e]0;PWNED\x07\u{202e}evil"#))
    let status = try home.run(["status"])
    #expect(status.status == 0, "\(status.all)")
    let attributes = try home.run(["attributes"])
    #expect(attributes.status == 0, "\(attributes.all)")
    for result in [login, status, attributes] {
      #expect(terminalUnsafe(Data(result.all.utf8)).isEmpty, "\(result.all)")
    }
  }

  @Test("1. MFA choices and code destinations on the prompts and the screen are escaped")
  func escapedPrompts() async throws {
    let choose =
      #"{"ChallengeName":"SELECT_MFA_TYPE","Session":"s1","ChallengeParameters":{"#
      + #""USERNAME":"zoe","MFAS_CAN_CHOOSE":"[\"SMS_MFA\",\"EVIL\\u001b]0;PWNED\\u0007\\u202e\\u2066\"]"}}"#
    let sms =
      #"{"ChallengeName":"SMS_MFA","Session":"s2","ChallengeParameters":{"#
      + #""USERNAME":"zoe","CODE_DELIVERY_DESTINATION":"+1\u001b]0;PWNED\u0007\u202e555"}}"#
    let home = try ScriptedHome([.json(choose), .json(sms)], storedUser: nil)
    try home.writeProfile(#"auth_flow = "USER_PASSWORD_AUTH""#)
    // The screen gets its own server: the prompt's process may still answer after it is stopped.
    let screenHome = try ScriptedHome([.json(choose)], storedUser: nil)
    try screenHome.writeProfile(#"auth_flow = "USER_PASSWORD_AUTH""#)
    let raw = home.root + "/prompts"
    let cli = try TmuxSession(command: home.shellCommand(["login", "--no-store"]))
    defer { cli.stop() }
    try cli.recordOutput(to: raw)
    try cli.waitFor("Username:")
    try cli.type("zoe")
    try cli.sendKeys("Enter")
    try cli.waitFor("Password:")
    try cli.type("pw")
    try cli.sendKeys("Enter")
    let menu = try cli.waitFor("Choice:")
    #expect(menu.contains(#"EVIL\e]0;PWNED\x07\u{202e}\u{2066}"#), "\(menu)")
    try cli.type("1")
    try cli.sendKeys("Enter")
    let prompt = try cli.waitFor("Code sent by SMS")
    #expect(prompt.contains(#"+1\e]0;PWNED\x07\u{202e}555"#), "\(prompt)")
    cli.stop()
    let screenRaw = screenHome.root + "/screen"
    let screen = try TmuxSession(
      command: screenHome.shellCommand(["--no-store"]), width: 100, height: 30)
    defer { screen.stop() }
    try screen.recordOutput(to: screenRaw)
    try screen.waitFor("Username")
    try screen.type("zoe")
    try screen.sendKeys("Enter")
    try screen.type("pw")
    try screen.sendKeys("Enter")
    let list = try screen.waitFor("Method number")
    #expect(list.contains(#"EVIL\e]0;PWNED\x07\u{202e}\u{2066}"#), "\(list)")
    screen.stop()
    for path in [raw, screenRaw] {
      let output = try #require(FileManager.default.contents(atPath: path))
      #expect(leaks(in: output).isEmpty, "\(path): \(leaks(in: output))")
      #expect(output.range(of: Data("\u{2066}".utf8)) == nil)
    }
  }

  @Test("without a terminal, each question says what it could not ask and the way round")
  func noTerminalForQuestions() async throws {
    let home = try ScriptedHome([], storedUser: nil)
    let username = try home.runWithoutTerminal(["login", "--no-store"])
    #expect(username.status == 3)
    #expect(
      username.stderr.contains(
        "no terminal to ask for the username on: pass --username (and --password-stdin)"),
      "\(username.stderr)")
    let password = try home.runWithoutTerminal(["login", "--no-store", "--username", "zoe"])
    #expect(password.stderr.contains("no terminal to ask for the password on"))
    #expect(!(username.all + password.all).contains("passphrase"))
    #expect(home.server.requests.isEmpty)
  }

  // MARK: 2. A session is bound to where it was made

  @Test("2. a stored session is never sent to another endpoint, pool or client")
  func sessionBoundToEndpoint() async throws {
    let world = try await CLIWorld()
    try world.login()
    let other = try ScriptedHTTPServer(script: [])
    defer { other.stop() }
    let elsewhere = other.url.absoluteString
    let cases: [(String, [String], [String: String])] = [
      ("flag", ["attributes", "--endpoint-url", elsewhere], [:]),
      (
        "service variable", ["attributes"],
        ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": elsewhere]
      ),
      ("delete", ["delete", "given_name", "--yes", "--endpoint-url", elsewhere], [:]),
      ("logout", ["logout", "--everywhere", "--endpoint-url", elsewhere], [:]),
      ("another client", ["attributes", "--client-id", world.pool.secretClientID], [:]),
      ("another pool", ["attributes", "--user-pool-id", "us-east-1_Other"], [:]),
    ]
    for (label, arguments, extra) in cases {
      let result = try world.run(arguments, extra: extra)
      #expect(result.status == 2, "\(label): \(result.all)")
      #expect(
        result.stderr.contains("This session was made for \(world.pool.userPoolID)"),
        "\(label): \(result.stderr)")
      #expect(result.stderr.contains("sign in again"), "\(label)")
    }
    let flagged = try world.run(["attributes", "--endpoint-url", elsewhere])
    #expect(
      flagged.stderr.contains(
        "made for \(world.pool.userPoolID) at \(world.fixture.endpoint.absoluteString); "
          + "sign in again for \(world.pool.userPoolID) at \(elsewhere)"), "\(flagged.stderr)")
    let status = try world.run(["status", "--endpoint-url", elsewhere])
    #expect(status.stdout.contains("Session not usable here"), "\(status.all)")
    // The screen opens on its sign-in form with the reason, instead of exiting.
    let tmux = try TmuxSession(
      command: world.shellCommand(["--endpoint-url", elsewhere]), width: 200, height: 24)
    defer { tmux.stop() }
    let form = try tmux.waitFor("This session was made for")
    #expect(form.contains("Username:"), "\(form)")
    tmux.stop()
    #expect(other.requests.isEmpty, "a request reached the other endpoint")
    #expect(FileManager.default.fileExists(atPath: world.keyfilePath), "logout removed it")
    #expect(try world.run(["attributes"]).status == 0, "the session still works where it was made")
  }

  @Test("2. a keyfile replaced by another user's sign-in ends the screen's session")
  func userChangeEndsScreenSession() async throws {
    let user = #"{"Username":"zoe","UserAttributes":[{"Name":"email","Value":"z@example.com"}]}"#
    let home = try ScriptedHome([
      .json(user), .awsError(type: "NotAuthorizedException", message: "Access Token has expired"),
    ])
    let tmux = try TmuxSession(command: home.shellCommand([]), width: 100, height: 24)
    defer { tmux.stop() }
    try tmux.waitFor("z@example.com")
    try home.store(home.session(for: "mallory"))
    try tmux.sendKeys("r")
    let screen = try tmux.waitFor("not zoe")
    #expect(screen.contains("The keyfile now holds a session for mallory"), "\(screen)")
    #expect(screen.contains("Password"), "not back on the sign-in form:\n\(screen)")
    #expect(home.server.count(of: "GetUser") == 2)
    #expect(home.server.requests.count == 2, "a token was sent after the change")
  }

  @Test(
    "2. a keyfile of the earlier format is refused clearly, replaced at login, removed at logout")
  func outdatedKeyfile() async throws {
    let access = unsignedJWT(#"{"username":"zoe","iat":1700000000,"exp":4000000000}"#)
    let home = try ScriptedHome([
      .json(#"{"AuthenticationResult":{"AccessToken":"\#(access)","RefreshToken":"r"}}"#),
      .json(#"{}"#),
    ])
    try home.writeProfile(#"auth_flow = "USER_PASSWORD_AUTH""#)
    var bytes = try #require(FileManager.default.contents(atPath: home.keyfile))
    // The format version alone decides, before the checksum or any passphrase is read.
    bytes[8] = 1
    try bytes.write(to: URL(fileURLWithPath: home.keyfile))
    let refused = try home.run(["attributes"])
    #expect(refused.status == 2, "\(refused.all)")
    #expect(refused.stderr.contains("format version 1"), "\(refused.stderr)")
    #expect(refused.stderr.contains("sign in again"))
    #expect(home.server.requests.isEmpty)
    let login = try home.run(
      ["login", "--username", "zoe", "--password-stdin", "--insecure-kdf-log-n", "8"],
      input: "pw\n", extra: ["COGNITO_ACCOUNT_PASSPHRASE": "a new passphrase"])
    #expect(login.status == 0, "\(login.all)")
    #expect(FileManager.default.contents(atPath: home.keyfile)?[8] == 2)
    // An outdated file left behind is removed by logout, which revokes nothing.
    try bytes.write(to: URL(fileURLWithPath: home.keyfile))
    let logout = try home.run(["logout"])
    #expect(logout.status == 0, "\(logout.all)")
    #expect(logout.stderr.contains("earlier format"))
    #expect(!FileManager.default.fileExists(atPath: home.keyfile))
    #expect(home.server.count(of: "RevokeToken") == 0)
  }

  // MARK: 3. Plain http only to a loopback address

  @Test(
    "3. plain http to a name that merely looks like loopback is refused before connecting",
    arguments: ["127.0.0.09", "127.000.000.010", "0177.0.0.1", "127.1", "2130706433"])
  func loopbackByAddress(host: String) async throws {
    let home = try ScriptedHome([])
    let result = try home.run([
      "attributes", "--endpoint-url", "http://\(host):\(home.server.port)/",
    ])
    #expect(result.status == 3, "\(result.all)")
    #expect(result.stderr.contains("refusing plain http to \(host)"), "\(result.stderr)")
    #expect(home.server.connections == 0)
  }

  // MARK: 4. Traps and core files

  @Test(
    "4. numeric settings out of range are refused with the range, not trapped on",
    arguments: [
      ("COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES", "153722867280912931", "0 to 1440"),
      ("COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES", "-1", "0 to 1440"),
      ("COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES", "1441", "0 to 1440"),
      ("COGNITO_ACCOUNT_TIMEOUT_SECONDS", "0.5", "1 to 600"),
      ("COGNITO_ACCOUNT_TIMEOUT_SECONDS", "nan", "1 to 600"),
      ("--timeout", "0.1", "1 to 600"),
      ("--timeout", "1e308", "1 to 600"),
    ])
  func boundedSettings(name: String, value: String, range: String) async throws {
    let home = try ScriptedHome([])
    let result =
      name.hasPrefix("--")
      ? try home.run(["status", name, value]) : try home.run(["status"], extra: [name: value])
    #expect(result.status == 3, "\(name)=\(value): \(result.all)")
    #expect(result.stderr.contains(range), "\(result.stderr)")
  }

  @Test(
    "4. no core file and no same-user inspection of a running process",
    .enabled(if: getuid() == 0, "runs the program as nobody with setpriv, which needs root"))
  func noCoreDumps() async throws {
    let directory = NSTemporaryDirectory() + "undumpable-" + UUID().uuidString
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o777])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let binary = directory + "/cognito-account"
    // Copied by cp, not by this process: a write descriptor of ours, inherited for a moment by
    // another test's fork, would make the exec below fail with "Text file busy".
    let copy = try runChild(
      URL(fileURLWithPath: "/bin/cp"), [CLIWorld.binary.path, binary], input: "",
      environment: [:], scratch: directory)
    #expect(copy.status == 0, "\(copy.stderr)")
    chmod(binary, 0o755)
    // The program runs as an ordinary user (nobody) and waits for its password on stdin.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    process.arguments = [
      "--reuid=65534", "--regid=65534", "--clear-groups", binary, "login", "--no-store",
      "--username", "u", "--password-stdin", "--user-pool-id", "us-east-1_X", "--client-id", "c",
      "--endpoint-url", "http://127.0.0.1:9/",
    ]
    process.environment = ["HOME": directory, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    let errors = directory + "/stderr"
    _ = FileManager.default.createFile(atPath: errors, contents: nil)
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
    try process.run()
    defer {
      try? input.fileHandleForWriting.close()
      process.waitUntilExit()
    }
    let pid = process.processIdentifier
    // Wait until the program (not setpriv before its exec) blocks reading its standard input:
    // one of its threads is in read(0, …), which /proc shows as "0 0x0 …".
    let deadline = ContinuousClock.now + .seconds(30)
    func readingStandardInput() -> Bool {
      guard
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"))
          == binary,
        let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
      else { return false }
      return threads.contains { thread in
        let call = try? String(
          contentsOfFile: "/proc/\(pid)/task/\(thread)/syscall", encoding: .utf8)
        return call?.hasPrefix("0 0x0 ") ?? false
      }
    }
    while !readingStandardInput() && ContinuousClock.now < deadline { usleep(10_000) }
    #expect(
      readingStandardInput(),
      "the program never waited for its password: \((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")"
    )
    let limits = (try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)) ?? ""
    let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
    #expect(
      core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2)
        == ["0", "0"], "\(core)")
    // Same user, yet its environment (and memory) cannot be read: the process is not dumpable.
    let reader = try runChild(
      URL(fileURLWithPath: "/usr/bin/setpriv"),
      ["--reuid=65534", "--regid=65534", "--clear-groups", "cat", "/proc/\(pid)/environ"],
      input: "", environment: ["PATH": "/usr/bin:/bin"], scratch: directory)
    #expect(reader.status != 0, "the process's environment was readable: \(reader.stdout)")
    #expect(reader.stderr.contains("Permission denied"), "\(reader.stderr)")
  }

  // MARK: 5. Smaller findings

  @Test("5. logout holds the keyfile lock and leaves the lock file in place")
  func logoutTakesTheLock() async throws {
    let world = try await CLIWorld()
    try world.login()
    let lockPath = world.keyfilePath + ".lock"
    let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    #expect(lock >= 0)
    #expect(flock(lock, LOCK_EX) == 0)
    // Started and waited for without the test's task pool: a loaded run must not delay the
    // release of the lock past the keyfile's 10 s wait.
    let logout = Process()
    logout.executableURL = CLIWorld.binary
    logout.arguments = ["logout"]
    logout.environment = world.environment
    logout.standardOutput = FileHandle.nullDevice
    logout.standardError = FileHandle.nullDevice
    try logout.run()
    // While another process holds the lock (a refresh in flight), logout waits for it.
    usleep(1_500_000)
    #expect(logout.isRunning, "logout did not wait for the lock")
    #expect(FileManager.default.fileExists(atPath: world.keyfilePath), "logout did not wait")
    close(lock)
    logout.waitUntilExit()
    #expect(logout.terminationStatus == 0)
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
    #expect(FileManager.default.fileExists(atPath: lockPath), "the lock file was unlinked")
  }

  @Test(
    "5. SIGTERM or SIGHUP at a passphrase prompt leaves the terminal echoing",
    .enabled(if: getuid() == 0, "finds the undumpable process through /proc, which needs root"),
    arguments: [SIGTERM, SIGHUP])
  func signalAtPassphrasePrompt(number: Int32) async throws {
    // login asks for a new keyfile's passphrase after signing in (the screen asks on itself).
    let access = unsignedJWT(
      #"{"username":"zoe","iat":1800000000,"exp":4102444800,"token_use":"access"}"#)
    let home = try ScriptedHome(
      [.json(#"{"AuthenticationResult":{"AccessToken":"\#(access)","RefreshToken":"r"}}"#)],
      storedUser: nil)
    try home.writeProfile(#"auth_flow = "USER_PASSWORD_AUTH""#)
    let command =
      "printf 'pw\\n' | "
      + home.shellCommand(
        ["login", "--username", "zoe", "--password-stdin", "--keyfile", home.keyfile],
        unset: ["COGNITO_ACCOUNT_PASSPHRASE"])
      + "; echo \"[status=$?]\"; stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo; echo '[modes-done]'"
    let tmux = try TmuxSession(command: command, width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("New passphrase for")
    let pids = try runChild(
      URL(fileURLWithPath: "/usr/bin/pgrep"), ["-f", home.keyfile], input: "",
      environment: [:], scratch: home.root)
    let binary = CLIWorld.binary.resolvingSymlinksInPath().path
    let candidates = pids.stdout.split(separator: "\n").compactMap { Int32($0) }
    let pid = try #require(
      candidates.first {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/exe")) == binary
      })
    kill(pid, number)
    let screen = try tmux.waitFor("[modes-done]")
    #expect(screen.contains("[status=\(128 + number)]"), "\(screen)")
    let modes = screen.split(separator: "\n").map(String.init)
    #expect(modes.contains("echo") && !modes.contains("-echo"), "echo left off:\n\(screen)")
  }
}
