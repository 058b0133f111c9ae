import AccountCore
import CognitoClient
import Foundation
import Keyfile
import TestSupport
import Testing

/// The call a fault is injected into.
enum FaultOperation: String, CaseIterable, Sendable {
  /// GetUser, through `attributes` / the screen's first load.
  case getUser = "GetUser"
  /// DeleteUserAttributes, through `delete given_name --yes` / mark, d, y.
  case delete = "DeleteUserAttributes"
  /// The refresh (InitiateAuth REFRESH_TOKEN_AUTH) forced by an expired access token.
  case refresh = "InitiateAuth"
}

/// What a fault must lead to.
struct FaultExpectation {
  /// The CLI's exit code.
  var exitCode: Int32
  /// Text the message (stderr or status bar) must contain; empty for success.
  var text: String
  /// Exactly how many requests for the faulted operation reach the proxy.
  var requests: Int
  /// Whether given_name is gone afterwards (delete only).
  var removed: Bool
}

func expectation(_ fault: FaultProxy.Fault, _ operation: FaultOperation) -> FaultExpectation {
  let deleteSucceeds = operation == .delete
  switch fault {
  case .throttleOnce, .tooManyRequests429:
    return FaultExpectation(exitCode: 0, text: "", requests: 2, removed: deleteSucceeds)
  case .throttleThrice:
    return FaultExpectation(
      exitCode: 4, text: "TooManyRequestsException", requests: 3, removed: false)
  case .internalError:
    return FaultExpectation(
      exitCode: 4, text: "InternalErrorException", requests: 3, removed: false)
  case .htmlBadGateway:
    return FaultExpectation(exitCode: 1, text: "HTTP 502", requests: 3, removed: false)
  case .resetBeforeResponse, .resetMidBody, .truncatedBody:
    return FaultExpectation(exitCode: 1, text: "connection was reset", requests: 3, removed: false)
  case .hugeBody:
    return FaultExpectation(exitCode: 1, text: "larger than", requests: 1, removed: false)
  case .stall:
    return FaultExpectation(exitCode: 1, text: "timed out", requests: 3, removed: false)
  case .invalidUTF8:
    return FaultExpectation(exitCode: 1, text: "Unreadable", requests: 1, removed: false)
  case .wrongMemberTypes, .otherOperation:
    // A delete "answered" by the wrong body is caught by reading the account again.
    return operation == .delete
      ? FaultExpectation(exitCode: 5, text: "not removed", requests: 1, removed: false)
      : FaultExpectation(exitCode: 1, text: "Unreadable", requests: 1, removed: false)
  }
}

/// The binary's arguments to go through `proxy`. The `--timeout` is short only where the timeout
/// is what is tested; every other fault gets ample time, so that a loaded machine (CI runs every
/// suite at once on two cores) cannot turn a reset or an error answer into a timeout.
func clientArguments(_ proxy: FaultProxy, _ fault: FaultProxy.Fault) -> [String] {
  ["--endpoint-url", proxy.url.absoluteString, "--timeout", fault == .stall ? "1" : "10"]
}

/// A signed-in world behind a proxy that injects `fault` into `operation`, its session made at
/// the proxy, and its access token expired when the refresh is the target. Stop the proxy after.
func faultWorld(_ fault: FaultProxy.Fault, _ operation: FaultOperation) async throws -> (
  CLIWorld, FaultProxy
) {
  let world = try await CLIWorld()
  try world.login()
  if operation == .refresh {
    var session = try world.storedSession()
    session.accessTokenExpiresAt = Int(Date().timeIntervalSince1970) - 600
    try world.replaceSession(session)
  }
  let proxy = try FaultProxy(
    upstream: world.fixture.endpoint, operation: operation.rawValue, fault: fault,
    stallSeconds: 1.5)
  try world.rebindSession(to: proxy.url)
  return (world, proxy)
}

@Suite("Faults between the binary and moto")
struct FaultTests {
  @Test(
    "the CLI: a clear message and exit code, no crash, the keyfile intact, bounded requests",
    arguments: FaultProxy.Fault.allCases, FaultOperation.allCases)
  func cli(fault: FaultProxy.Fault, operation: FaultOperation) async throws {
    let (world, proxy) = try await faultWorld(fault, operation)
    defer { proxy.stop() }
    let arguments =
      (operation == .delete ? ["delete", "given_name", "--yes"] : ["attributes"])
      + clientArguments(proxy, fault)
    let result = try world.run(arguments)
    let expected = expectation(fault, operation)
    #expect(result.status == expected.exitCode, "\(result.all)")
    #expect(result.status < 128, "crashed")
    #expect(!result.stderr.contains("Fatal error"))
    if !expected.text.isEmpty { #expect(result.all.contains(expected.text), "\(result.all)") }
    if expected.exitCode == 1 || expected.exitCode == 4 {
      #expect(result.stderr.hasPrefix("Error: "))
      #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
      #expect(!result.stderr.contains("upstream-7"), "an HTML body leaked")
    }
    #expect(proxy.count(of: operation.rawValue) == expected.requests)
    #expect(proxy.count(of: "DeleteUserAttributes") <= 3)
    #expect(try world.storedSession().accessToken.reveal.isEmpty == false, "keyfile damaged")
    if operation == .delete {
      #expect((try world.awsAttributes()["given_name"] == nil) == expected.removed)
    }
  }

  @Test(
    "the screen: the message in the status bar, and the app keeps running",
    arguments: FaultProxy.Fault.allCases, FaultOperation.allCases)
  func screen(fault: FaultProxy.Fault, operation: FaultOperation) async throws {
    let (world, proxy) = try await faultWorld(fault, operation)
    defer { proxy.stop() }
    let tmux = try TmuxSession(
      command: world.shellCommand(clientArguments(proxy, fault)),
      width: 120, height: 30)
    defer { tmux.stop() }
    let expected = expectation(fault, operation)
    var bar = ""
    if operation == .delete {
      try tmux.waitFor("[-] sub")
      try tmux.sendKeys("j", "j", "Space", "d")
      try tmux.waitFor("Remove 1 attribute?")
      try tmux.sendKeys("y")
      bar = try tmux.waitUntil("the removal's outcome") {
        $0.contains("Removed 1") || $0.contains("Error:") || $0.contains("not removed")
      }
      switch expected.exitCode {
      case 0: #expect(bar.contains("Removed 1: given_name"))
      case 5: #expect(bar.contains("not removed: given_name"))
      default: #expect(bar.contains("Error:") && bar.contains(expected.text), "\(bar)")
      }
    } else {
      bar = try tmux.waitUntil("the first load's outcome") {
        $0.contains("Space marks") || $0.contains("Error:")
      }
      if expected.exitCode == 0 {
        #expect(bar.contains("[-] sub"))
      } else {
        #expect(bar.contains("Error:") && bar.contains(expected.text), "\(bar)")
      }
    }
    #expect(!bar.contains("upstream-7"))
    #expect(proxy.count(of: operation.rawValue) == expected.requests, "\(bar)")
    #expect(proxy.count(of: "DeleteUserAttributes") <= 3)
    // Still running and responsive: quit (confirming when marks are pending).
    try tmux.sendKeys("q")
    try tmux.waitUntil("quit") { $0.contains("[exit=") || $0.contains("Quit?") }
    if try tmux.capture().contains("Quit?") { try tmux.sendKeys("y") }
    #expect(try tmux.waitForExit() == 0)
    #expect(try world.storedSession().accessToken.reveal.isEmpty == false, "keyfile damaged")
  }
}

@Suite("Name resolution held to the timeout")
struct NameResolutionTests {
  /// A DNS server that takes every query and never answers: a UDP socket on a loopback address
  /// that nothing reads until the test looks at what arrived.
  final class SilentNameServer {
    let address = "127.0.0.153"
    private let fd: Int32

    init() throws {
      fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
      var local = sockaddr_in()
      local.sin_family = sa_family_t(AF_INET)
      local.sin_port = in_port_t(53).bigEndian
      inet_pton(AF_INET, address, &local.sin_addr)
      let bound = withUnsafePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      try #require(bound == 0, "cannot bind \(address):53 (errno \(errno))")
    }

    /// The queries that arrived, each as its bytes.
    func queries() -> [[UInt8]] {
      var received: [[UInt8]] = []
      var buffer = [UInt8](repeating: 0, count: 1500)
      while true {
        let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        if count <= 0 { return received }
        received.append(Array(buffer[0..<count]))
      }
    }

    deinit { close(fd) }
  }

  /// Whether host names are looked up through DNS here (`hosts: … dns` in nsswitch.conf), so
  /// that a resolv.conf decides where the queries go.
  static let hostsUseDNS: Bool = {
    let text = (try? String(contentsOfFile: "/etc/nsswitch.conf", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").contains { line in
      line.hasPrefix("hosts:") && line.split(whereSeparator: \.isWhitespace).contains("dns")
    }
  }()

  @Test(
    "a lookup that never gets an answer ends with 'timed out' at --timeout, not the resolver's",
    .enabled(
      if: getuid() == 0, "mounts its own resolv.conf in a mount namespace, which needs root"),
    .enabled(if: hostsUseDNS, "host names are not looked up through DNS here (nsswitch.conf)"))
  func silentNameServer() throws {
    let server = try SilentNameServer()
    let scratch = NSTemporaryDirectory() + "lookup-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    // Left alone, the resolver would wait 30 s and then say the name does not resolve.
    let resolvConf = scratch + "/resolv.conf"
    try "nameserver \(server.address)\noptions timeout:30 attempts:1\n".write(
      toFile: resolvConf, atomically: true, encoding: .utf8)
    let result = try runChild(
      URL(fileURLWithPath: "/usr/bin/unshare"),
      [
        "--mount", "--propagation", "private", "/bin/sh", "-c",
        "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", resolvConf,
        CLIWorld.binary.path, "login", "--no-store", "--username", "u", "--password-stdin",
        "--user-pool-id", "us-east-1_X", "--client-id", "c",
        "--endpoint-url", "https://stalled-lookup.example/", "--timeout", "1",
      ],
      input: "not-a-real-password\n",
      environment: ["HOME": scratch, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
      scratch: scratch)
    #expect(result.status == 1, "\(result.all)")
    #expect(result.stderr.contains("timed out"), "\(result.all)")
    #expect(!result.stderr.contains("not-a-real-password"))
    // The lookups really went to the silent server: the timeout is ours, not a quick refusal.
    let queries = server.queries()
    #expect(!queries.isEmpty, "no query reached the silent name server")
    #expect(
      queries.allSatisfy { String(decoding: $0, as: UTF8.self).contains("stalled-lookup") })
  }
}
