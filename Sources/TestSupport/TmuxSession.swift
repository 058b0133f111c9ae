import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a command in a detached tmux session, as a person would use it: keys go in with
/// `send-keys`, the screen comes out with `capture-pane`.
///
/// It avoids traps measured on this machine: tmux is started with
/// `posix_spawn` (no inherited pipe keeps the server attached), with an empty signal mask and
/// default handlers (so SIGWINCH reaches the program), with `remain-on-exit` set before the pane
/// exists, with the exit status printed into the pane, and on a private socket that is removed.
public final class TmuxSession {
  /// The tmux socket path.
  public let socket: String
  private var stopped = false

  /// Starts `command` (run by `/bin/sh -c`) in a `width`×`height` pane with `environment` added.
  public init(
    command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]
  ) throws {
    socket = NSTemporaryDirectory() + "tmux-test-" + UUID().uuidString.prefix(12)
    let exports = environment.sorted { $0.key < $1.key }.map {
      "export \($0.key)=\(Self.shellQuote($0.value)); "
    }.joined()
    let script = "\(exports)\(command); echo \"[exit=$?]\""
    let status = try Self.spawnAndWait([
      "tmux", "-S", socket, "-f", "/dev/null", "start-server", ";",
      "set-option", "-g", "remain-on-exit", "on", ";",
      "set-option", "-g", "history-limit", "5000", ";",
      "new-session", "-d", "-x", String(width), "-y", String(height), "/bin/sh", "-c", script,
    ])
    guard status == 0 else { throw TmuxError("tmux new-session failed with status \(status)") }
  }

  deinit { stop() }

  /// Sends tmux key names (`Enter`, `Escape`, `C-c`, `Up`, …).
  public func sendKeys(_ keys: String...) throws {
    _ = try Self.spawnAndWait(["tmux", "-S", socket, "send-keys", "-t", "0"] + keys)
  }

  /// Types `text` literally.
  public func type(_ text: String) throws {
    _ = try Self.spawnAndWait(["tmux", "-S", socket, "send-keys", "-t", "0", "-l", text])
  }

  /// The visible screen and scroll-back, as plain text (wrapped lines joined).
  public func capture() throws -> String {
    try Self.spawnCapturing([
      "tmux", "-S", socket, "capture-pane", "-p", "-J", "-S", "-", "-t", "0",
    ])
  }

  /// The visible screen with its attributes as escape sequences (`capture-pane -e`).
  public func captureWithAttributes() throws -> String {
    try Self.spawnCapturing(["tmux", "-S", socket, "capture-pane", "-p", "-e", "-t", "0"])
  }

  /// Starts copying everything the pane's program writes to `path` (raw bytes, before tmux
  /// interprets them).
  public func recordOutput(to path: String) throws {
    _ = try Self.spawnAndWait([
      "tmux", "-S", socket, "pipe-pane", "-o", "-t", "0", "cat >> " + Self.shellQuote(path),
    ])
  }

  /// Resizes the window (the program gets SIGWINCH).
  public func resize(width: Int, height: Int) throws {
    _ = try Self.spawnAndWait([
      "tmux", "-S", socket, "resize-window", "-t", "0", "-x", String(width), "-y", String(height),
    ])
  }

  /// A tmux format for the pane, such as `#{pane_title}`.
  public func display(_ format: String) throws -> String {
    try Self.spawnCapturing(["tmux", "-S", socket, "display-message", "-p", "-t", "0", format])
      .trimmingCharacters(in: .newlines)
  }

  /// Waits until `condition` holds for the screen; returns it or throws after `timeout`.
  ///
  /// The timeouts are bounds for a failure, not a speed requirement: a passing wait returns as
  /// soon as the screen shows the text, and 30 s leaves room for a loaded CI machine running
  /// every suite at once on two cores.
  @discardableResult
  public func waitUntil(
    _ description: String, timeout: Duration = .seconds(30), _ condition: (String) -> Bool
  ) throws -> String {
    let deadline = ContinuousClock.now + timeout
    var screen = ""
    while ContinuousClock.now < deadline {
      screen = try capture()
      if condition(screen) { return screen }
      usleep(20_000)
    }
    throw TmuxError("timed out waiting for \(description); the screen was:\n\(screen)")
  }

  /// Waits until the screen contains `text`; returns the screen or throws after `timeout`.
  @discardableResult
  public func waitFor(_ text: String, timeout: Duration = .seconds(30)) throws -> String {
    let deadline = ContinuousClock.now + timeout
    var screen = ""
    while ContinuousClock.now < deadline {
      screen = try capture()
      if screen.contains(text) { return try settled(screen, containing: text) }
      usleep(20_000)
    }
    throw TmuxError("timed out waiting for \"\(text)\"; the screen was:\n\(screen)")
  }

  /// `screen` once the pane has stopped changing: two captures 20 ms apart that agree, tried
  /// for up to 200 ms. A paint caught halfway (the title of a dialog drawn, its lines not yet)
  /// must not be read as the whole screen. Falls back to `screen` when the settled pane no
  /// longer shows `text` (a message that came and went) or the pane keeps changing.
  private func settled(_ screen: String, containing text: String) throws -> String {
    var previous = screen
    for _ in 0..<10 {
      usleep(20_000)
      let next = try capture()
      if next == previous { return next.contains(text) ? next : screen }
      previous = next
    }
    return previous.contains(text) ? previous : screen
  }

  /// Waits for the command to end and returns its exit status.
  public func waitForExit(timeout: Duration = .seconds(30)) throws -> Int32 {
    let screen = try waitFor("[exit=", timeout: timeout)
    guard let range = screen.range(of: "[exit="),
      let end = screen[range.upperBound...].firstIndex(of: "]"),
      let status = Int32(screen[range.upperBound..<end])
    else { throw TmuxError("no exit status on screen") }
    return status
  }

  /// Kills the tmux server and removes its socket.
  public func stop() {
    guard !stopped else { return }
    stopped = true
    _ = try? Self.spawnAndWait(["tmux", "-S", socket, "kill-server"])
    unlink(socket)
  }

  static func shellQuote(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Spawns `arguments` with stdio on /dev/null, an empty signal mask and default signal
  /// handlers, and waits for it.
  static func spawnAndWait(_ arguments: [String]) throws -> Int32 {
    try spawn(arguments, captureOutput: false).status
  }

  static func spawnCapturing(_ arguments: [String]) throws -> String {
    try spawn(arguments, captureOutput: true).output
  }

  private static func spawn(_ arguments: [String], captureOutput: Bool) throws -> (
    status: Int32, output: String
  ) {
    var pipeFDs: [Int32] = [-1, -1]
    if captureOutput {
      guard pipe(&pipeFDs) == 0 else { throw TmuxError("pipe failed") }
      for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if captureOutput {
      posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
    if captureOutput { close(pipeFDs[1]) }
    guard result == 0 else {
      if captureOutput { close(pipeFDs[0]) }
      throw TmuxError("could not start \(arguments[0]): \(String(cString: strerror(result)))")
    }
    var output = Data()
    if captureOutput {
      var buffer = [UInt8](repeating: 0, count: 65536)
      while true {
        let count = read(pipeFDs[0], &buffer, buffer.count)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        output.append(contentsOf: buffer[0..<count])
      }
      close(pipeFDs[0])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, String(decoding: output, as: UTF8.self))
  }
}

/// A tmux step failed.
public struct TmuxError: Error, CustomStringConvertible {
  /// What went wrong.
  public var description: String
  /// Creates the error.
  public init(_ description: String) { self.description = description }
}
