public import AccountCore
import CTerminalSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Why a question on the terminal got no answer.
public enum PromptError: Error, Sendable, Hashable, CustomStringConvertible {
  /// There is no controlling terminal to ask on.
  case noTerminal
  /// The user cancelled (Ctrl-C, or Ctrl-D on an empty line).
  case cancelled
  /// The terminal went away (a hang-up) before the line ended.
  case terminalClosed
  /// The answer was empty where one is needed.
  case empty
  /// The two entries of a new secret differ.
  case mismatch

  /// Plain-language text, without the subject (the caller names what was asked).
  public var description: String {
    switch self {
    case .noTerminal: "no terminal to ask on"
    case .cancelled: "cancelled"
    case .terminalClosed: "the terminal closed"
    case .empty: "it is empty"
    case .mismatch: "the two entries differ"
    }
  }
}

/// Reads from the controlling terminal: secrets with echo and signals off, plain lines as typed.
public enum TerminalPrompt {
  /// Reads one line with echo on (a username, a code), prompting on `/dev/tty`.
  public static func readLine(prompt: String) throws(PromptError) -> String {
    let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { throw .noTerminal }
    defer { close(fd) }
    writeGuarded(prompt, to: fd)
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      let count = read(fd, &byte, 1)
      if count < 0 && errno == EINTR { continue }
      // The terminal closed (a hang-up) before the line ended: nothing was answered.
      guard count == 1 else { throw .terminalClosed }
      if byte == 0x0A { break }
      if byte != 0x0D { bytes.append(byte) }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Writes text to the controlling terminal (questions that must not go to standard output).
  public static func show(_ text: String) {
    let fd = open("/dev/tty", O_WRONLY | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { return }
    defer { close(fd) }
    writeGuarded(text, to: fd)
  }

  /// Writes text to the terminal through ``TerminalText/guarded(_:keepingNewlines:)``: a prompt
  /// may hold a server's text (a code destination, an MFA method) or a path.
  private static func writeGuarded(_ text: String, to fd: Int32) {
    let safe = TerminalText.guarded(text, keepingNewlines: true)
    _ = safe.withCString { Glibc.write(fd, $0, strlen($0)) }
  }

  /// Whether `/dev/tty` can be opened.
  public static var hasControllingTerminal: Bool {
    let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { return false }
    close(fd)
    return true
  }

  /// Reads one line with echo and signals off; Ctrl-C cancels.
  public static func readSecret(prompt: String) throws(PromptError) -> Sensitive {
    let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { throw .noTerminal }
    defer { close(fd) }
    // Echo goes off before the prompt appears, as getpass(3) does: a key typed the moment the
    // prompt shows must never be echoed.
    var saved = termios()
    let haveTermios = tcgetattr(fd, &saved) == 0
    // A SIGTERM or SIGHUP (an SSH link dropping) while echo is off restores it before dying.
    let guarded = haveTermios && ts_prompt_guard_install(fd) == 0
    defer { if guarded { ts_prompt_guard_remove() } }
    if haveTermios {
      var quiet = saved
      quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL | ISIG | ICANON)
      quiet.c_cc.6 = 1  // VMIN (Linux index 6): return after one byte
      quiet.c_cc.5 = 0  // VTIME (Linux index 5): no read timeout
      _ = tcsetattr(fd, TCSAFLUSH, &quiet)
    }
    writeGuarded(prompt, to: fd)
    defer {
      if haveTermios { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
      _ = Glibc.write(fd, "\n", 1)
    }
    var bytes: [UInt8] = []
    defer { bytes.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    var byte: UInt8 = 0
    while true {
      let count = read(fd, &byte, 1)
      if count < 0 && errno == EINTR { continue }
      guard count == 1 else { break }
      switch byte {
      case 0x0A, 0x0D: return Sensitive(String(decoding: bytes, as: UTF8.self))
      case 0x03:
        throw .cancelled
      case 0x04:
        if bytes.isEmpty { throw .cancelled }
        return Sensitive(String(decoding: bytes, as: UTF8.self))
      case 0x7F, 0x08:
        // Erase one whole character: its UTF-8 continuation bytes, then its lead byte.
        while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
        if !bytes.isEmpty { bytes.removeLast() }
      case 0x15: bytes.removeAll()
      default: bytes.append(byte)
      }
    }
    return Sensitive(String(decoding: bytes, as: UTF8.self))
  }

  /// Asks for a new secret twice (echo off): refused when empty; when the entries differ it says
  /// so and asks again, up to `tries` times, then refuses.
  public static func readNewSecret(prompt: String, repeatPrompt: String, tries: Int = 3)
    throws(PromptError) -> Sensitive
  {
    for attempt in 1...max(1, tries) {
      let first = try readSecret(prompt: prompt)
      guard !first.isEmpty else { throw .empty }
      let second = try readSecret(prompt: repeatPrompt)
      if first == second { return first }
      if attempt < tries { show("The two entries differ; type it again.\n") }
    }
    throw .mismatch
  }
}
