import AccountCore
import CognitoClient
import Foundation
import Keyfile
import TestSupport
import Testing

/// Attribute values that try to drive the terminal, by name.
let hostileValues: [(String, String)] = [
  ("custom:department", "title\u{1b}]0;PWNED-TITLE\u{07}end"),
  ("given_name", "clip\u{1b}]52;c;cHduZWQ=\u{07}board"),
  ("family_name", "dcs\u{1b}P+q544e\u{1b}\\end"),
  ("locale", "c1\u{9b}31mcsi\u{9d}0;osc\u{9c}end"),
  ("phone_number", "csi\u{1b}[2J\u{1b}[31mRED"),
  ("name", "bell\u{07}bell back\u{08}space car\rriage"),
  ("custom:tier", "bidi\u{202e}override\u{2066}iso"),
]

/// Byte patterns that must never leave the program: the payloads themselves, and families of
/// sequences ncurses never emits for these terminals (OSC, DCS, C1 controls, BEL, bidi).
func leaks(in output: Data) -> [String] {
  var found: [String] = []
  for (name, value) in hostileValues where output.range(of: Data(value.utf8)) != nil {
    found.append("raw payload of \(name)")
  }
  let bytes = [UInt8](output)
  for index in bytes.indices.dropLast() {
    let (first, second) = (bytes[index], bytes[index + 1])
    if first == 0x1B && (second == 0x5D || second == 0x50) { found.append("OSC/DCS at \(index)") }
    if first == 0xC2 && (0x80...0x9F).contains(second) { found.append("C1 control at \(index)") }
  }
  if bytes.contains(0x07) { found.append("BEL") }
  if output.range(of: Data("\u{202e}".utf8)) != nil { found.append("bidi override") }
  return found
}

func plantHostileValues(_ world: CLIWorld) async throws {
  try await world.fixture.call(
    "AdminUpdateUserAttributes",
    [
      "UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser,
      "UserAttributes": hostileValues.map { ["Name": $0.0, "Value": $0.1] },
    ])
}

@Suite("Hostile data, leaked secrets and signals")
struct HostileTests {
  @Test("no byte sequence from attribute data reaches the terminal raw (screen)")
  func screenInjection() async throws {
    let world = try await CLIWorld()
    try await plantHostileValues(world)
    try world.login()
    let gate = world.root + "/go"
    let raw = world.root + "/raw-output"
    let tmux = try TmuxSession(
      command: "while [ ! -e '\(gate)' ]; do sleep 0.02; done; " + world.shellCommand([]),
      width: 120, height: 30)
    defer { tmux.stop() }
    try tmux.recordOutput(to: raw)
    _ = FileManager.default.createFile(atPath: gate, contents: nil)
    let list = try tmux.waitFor("[-] sub")
    #expect(list.contains(#"title\e]0;PWNED-TITLE\x07end"#))
    // Every hostile value on screen, in the table, the value view and the review dialog.
    for _ in hostileValues {
      try tmux.sendKeys("Enter")
      try tmux.waitUntil("the value view") { $0.contains("Esc / Enter: close") }
      try tmux.sendKeys("Escape", "j")
    }
    try tmux.sendKeys("g", "j", "j", "Space", "j", "Space", "d")
    try tmux.waitFor("Remove 2 attributes?")
    try tmux.sendKeys("Escape", "q", "y")
    #expect(try tmux.waitForExit() == 0)
    let output = try #require(FileManager.default.contents(atPath: raw))
    #expect(output.count > 1000, "nothing was recorded")
    #expect(leaks(in: output).isEmpty, "\(leaks(in: output))")
    #expect(try !tmux.display("#{pane_title}").contains("PWNED"))
  }

  @Test("no byte sequence from attribute data reaches the terminal raw (CLI output)")
  func cliInjection() async throws {
    let world = try await CLIWorld()
    try await plantHostileValues(world)
    try world.login()
    for arguments in [
      ["attributes"], ["attributes", "--json"], ["delete", "given_name", "locale", "--dry-run"],
    ] {
      let result = try world.run(arguments)
      #expect(result.status == 0)
      let found = leaks(in: Data(result.all.utf8))
      #expect(found.isEmpty, "\(arguments): \(found)")
    }
    let json = try world.run(["attributes", "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let values = (object?["UserAttributes"] as? [[String: String]] ?? []).reduce(
      into: [String: String]()
    ) {
      $0[$1["Name"] ?? ""] = $1["Value"]
    }
    for (name, value) in hostileValues {
      #expect(values[name] == value, "JSON must keep \(name) exact")
    }
  }

  @Test("secret scan: no token, password, client secret or passphrase in anything written")
  func secretScan() async throws {
    let world = try await CLIWorld(secretClient: true)
    let secretFile = world.environment["SECRET_FILE"] ?? ""
    let log = world.root + "/state/cognito-account/run.log"
    let flags = ["--client-secret-file", secretFile, "--log-file", log]
    try FileManager.default.createDirectory(
      atPath: world.root + "/state/cognito-account", withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    try world.login(flags: flags)
    let session = try world.storedSession()
    for arguments in [
      ["status"], ["status", "--json"], ["attributes"], ["attributes", "--json"],
      ["delete", "given_name", "--yes"], ["delete", "locale", "--dry-run", "--json"],
    ] {
      try world.run(arguments + flags)
    }
    // The screen: captures of several states, and the running process's command line.
    let tmux = try TmuxSession(command: world.shellCommand(flags), width: 120, height: 30)
    var captures = try tmux.waitFor("[-] sub")
    try tmux.sendKeys("j", "j", "Space", "d")
    captures += try tmux.waitFor("Remove 1 attribute?")
    // The program's own argv (the test's wrapper shell carries the environment, not argv).
    let pid = try appPID(world, secretFile)
    let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
    let commandLines = String(decoding: commandLine, as: UTF8.self).replacingOccurrences(
      of: "\0", with: " ")
    #expect(commandLines.contains("--client-secret-file"), "the process was not found")
    try tmux.sendKeys("Escape", "?")
    captures += try tmux.waitFor("Keys")
    try tmux.sendKeys("Escape", "q", "y")
    _ = try tmux.waitForExit()
    tmux.stop()
    try world.run(["logout", "--everywhere"] + flags)

    var files = ""
    for base in [world.root + "/config", world.root + "/state"] {
      let enumerator = FileManager.default.enumerator(atPath: base)
      while let relative = enumerator?.nextObject() as? String {
        let path = base + "/" + relative
        guard path != world.keyfilePath, let data = FileManager.default.contents(atPath: path)
        else {
          continue
        }
        files += String(decoding: data, as: UTF8.self)
      }
    }
    #expect(files.contains("op=GetUser"), "the log file was not written")
    let everything = world.transcript + captures + commandLines + files
    var found: [String] = []
    let secrets = [
      ("password", MotoFixture.password), ("client secret", world.pool.clientSecret),
      ("passphrase", CLIWorld.passphrase), ("access token", session.accessToken.reveal),
      ("refresh token", session.refreshToken.reveal), ("id token", session.idToken?.reveal ?? "-"),
    ]
    for (label, secret) in secrets {
      if everything.contains(secret) { found.append(label) }
      if everything.contains(Data(secret.utf8).base64EncodedString()) {
        found.append(label + " (Base64)")
      }
    }
    #expect(found.isEmpty, "secrets found: \(found)")
  }
}

/// Where the screen is when the signal arrives.
enum SignalMoment: String, CaseIterable, Sendable {
  case idle
  case requestInFlight
  case reviewDialogOpen
}

@Suite("Signals and disconnects")
struct SignalTests {
  @Test(
    "SIGHUP, SIGTERM and SIGINT: the process exits, the terminal is sane, the keyfile intact",
    arguments: [SIGHUP, SIGTERM, SIGINT], SignalMoment.allCases)
  func signal(number: Int32, moment: SignalMoment) async throws {
    let world = try await CLIWorld()
    try world.login()
    let proxy = try FaultProxy(
      upstream: world.fixture.endpoint, operation: "DeleteUserAttributes", fault: .stall,
      stallSeconds: 20)
    defer { proxy.stop() }
    let marker = world.root + "/signal-\(number)-\(moment.rawValue).keyfile"
    try FileManager.default.copyItem(atPath: world.keyfilePath, toPath: marker)
    try world.rebindSession(to: proxy.url, keyfile: marker)
    let tmux = try TmuxSession(
      command: world.shellCommand(["--keyfile", marker, "--endpoint-url", proxy.url.absoluteString])
        + "; echo \"[status=$?]\"; stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e icanon -e -echo -e -icanon; echo '[modes-done]'",
      width: 100, height: 30)
    defer { tmux.stop() }
    try tmux.waitFor("[-] sub")
    switch moment {
    case .idle: break
    case .requestInFlight:
      try tmux.sendKeys("j", "j", "Space", "d")
      try tmux.waitFor("Remove 1 attribute?")
      try tmux.sendKeys("y")
      try tmux.waitFor("Removing 1 attribute")
      try tmux.waitUntil("the request at the proxy") { _ in
        proxy.count(of: "DeleteUserAttributes") == 1
      }
    case .reviewDialogOpen:
      try tmux.sendKeys("j", "j", "Space", "d")
      try tmux.waitFor("Remove 1 attribute?")
    }
    let pid = try appPID(world, marker)
    kill(pid, number)
    let screen = try tmux.waitFor("[modes-done]")
    #expect(screen.contains("[status=\(128 + number)]"))
    let modes = screen.split(separator: "\n").map(String.init)
    #expect(modes.contains("echo") && modes.contains("icanon"), "terminal left raw:\n\(screen)")
    #expect(!modes.contains("-echo") && !modes.contains("-icanon"))
    #expect(kill(pid, 0) != 0, "the process is still there")
    #expect(try KeyfileTestAccess.load(marker) != nil, "keyfile damaged")
    #expect(try world.awsAttributes()["given_name"] == "Alice")
  }

  @Test("killing the tmux server (an SSH link dropping) ends the program")
  func disconnect() async throws {
    let world = try await CLIWorld()
    try world.login()
    let marker = world.root + "/disconnect.keyfile"
    try FileManager.default.copyItem(atPath: world.keyfilePath, toPath: marker)
    let tmux = try TmuxSession(
      command: world.shellCommand(["--keyfile", marker]), width: 100, height: 30)
    try tmux.waitFor("[-] sub")
    let pid = try appPID(world, marker)
    tmux.stop()
    // Bounded at 30 s like the tmux waits; it normally ends within milliseconds.
    let deadline = ContinuousClock.now + .seconds(30)
    var gone = kill(pid, 0) != 0
    while !gone && ContinuousClock.now < deadline {
      usleep(20_000)
      gone = kill(pid, 0) != 0
    }
    #expect(gone, "the program outlived its terminal")
    #expect(try KeyfileTestAccess.load(marker) != nil)
  }
}

/// The pid of the cognito-account process whose command line mentions `marker`.
func appPID(_ world: CLIWorld, _ marker: String) throws -> Int32 {
  let pids = try world.runProcess(
    URL(fileURLWithPath: "/usr/bin/pgrep"), ["-f", marker], input: "", environment: [:])
  let binary = CLIWorld.binary.resolvingSymlinksInPath().path
  return try #require(
    pids.stdout.split(separator: "\n").compactMap { Int32($0) }.first { candidate in
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(candidate)/exe"))
        == binary
    })
}
