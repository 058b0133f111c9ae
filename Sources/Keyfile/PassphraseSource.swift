public import AccountCore
import CTerminalSupport
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why a passphrase is wanted.
public enum PassphrasePurpose: Sendable, Hashable {
  /// To unlock the existing keyfile at the path.
  case unlock(path: String)
  /// To protect a new keyfile at the path (an interactive prompt asks twice).
  case create(path: String)
}

/// Where the keyfile passphrase comes from: a prompt with no echo on the controlling terminal,
/// or, for automation, `COGNITO_ACCOUNT_PASSPHRASE` or `--passphrase-file`. Nothing else.
public struct PassphraseSource: Sendable {
  /// Asks the source for a passphrase for `purpose`.
  public let provide: @Sendable (PassphrasePurpose) throws(KeyfileError) -> Sensitive

  /// A source from a closure (tests).
  public init(_ provide: @escaping @Sendable (PassphrasePurpose) throws(KeyfileError) -> Sensitive)
  {
    self.provide = provide
  }

  /// A fixed passphrase (from the environment variable).
  public static func fixed(_ value: Sensitive) -> PassphraseSource {
    PassphraseSource { _ throws(KeyfileError) in
      guard !value.isEmpty else { throw .passphraseRejected(reason: "it is empty") }
      return value
    }
  }

  /// A source that always fails with `reason` (no terminal, nothing configured).
  public static func unavailable(_ reason: String) -> PassphraseSource {
    PassphraseSource { _ throws(KeyfileError) in throw .passphraseUnavailable(reason: reason) }
  }

  /// The first line of a file (see ``SecretFile/readFirstLine(_:)``).
  public static func file(_ path: String) -> PassphraseSource {
    PassphraseSource { _ throws(KeyfileError) in try SecretFile.readFirstLine(path) }
  }

  /// Asks on the controlling terminal (`/dev/tty`) with echo off; a new passphrase is asked twice.
  public static func terminalPrompt() -> PassphraseSource {
    PassphraseSource { purpose throws(KeyfileError) in
      switch purpose {
      case .unlock(let path):
        return try TerminalReader.readSecret(prompt: "Passphrase for \(path): ")
      case .create(let path):
        let first = try TerminalReader.readSecret(prompt: "New passphrase for \(path): ")
        guard !first.isEmpty else { throw .passphraseRejected(reason: "it is empty") }
        let second = try TerminalReader.readSecret(prompt: "Repeat the passphrase: ")
        guard first == second else { throw .passphraseRejected(reason: "the two entries differ") }
        return first
      }
    }
  }

  /// `--passphrase-file` if given, else `COGNITO_ACCOUNT_PASSPHRASE` if set, else the prompt
  /// when a terminal is there, else a source that explains what to set.
  public static func resolve(passphraseFile: String?, environment: [String: String])
    -> PassphraseSource
  {
    if let passphraseFile, !passphraseFile.isEmpty { return .file(passphraseFile) }
    if let value = environment["COGNITO_ACCOUNT_PASSPHRASE"] { return .fixed(Sensitive(value)) }
    if TerminalReader.hasControllingTerminal { return .terminalPrompt() }
    return .unavailable(
      "no terminal to ask on; set COGNITO_ACCOUNT_PASSPHRASE or pass --passphrase-file")
  }
}

/// Reads a secret from a file named on the command line (passphrase, client secret).
public enum SecretFile {
  /// The first line of `path`, without its line ending. A regular file must be yours and closed
  /// to group and others (as OpenSSH requires of keys); pipes and process substitutions are
  /// accepted as they are.
  public static func readFirstLine(_ path: String) throws(KeyfileError) -> Sensitive {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else {
      throw .passphraseUnavailable(
        reason: "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
      if info.st_uid != geteuid() { throw .wrongOwner(path: path, ownerUID: info.st_uid) }
      if info.st_mode & 0o077 != 0 {
        throw .tooOpen(path: path, mode: info.st_mode, isDirectory: false)
      }
    }
    var bytes = try SecureFile.readAll(fd, path: path, limit: 64 * 1024)
    defer { bytes.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    let line =
      bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
      .first.map { Array($0) } ?? []
    let trimmed = line.last == 0x0D ? Array(line.dropLast()) : line
    guard !trimmed.isEmpty else {
      throw .passphraseRejected(reason: "the first line of \(path) is empty")
    }
    return Sensitive(String(decoding: trimmed, as: UTF8.self))
  }
}

/// Reads from the controlling terminal: secrets with echo and signals off, plain lines as typed.
public enum TerminalReader {
  /// Reads one line with echo on (a username, a code), prompting on `/dev/tty`.
  public static func readLine(prompt: String) throws(KeyfileError) -> String {
    let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { throw .passphraseUnavailable(reason: "no terminal to ask on") }
    defer { close(fd) }
    writeGuarded(prompt, to: fd)
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      let count = read(fd, &byte, 1)
      if count < 0 && errno == EINTR { continue }
      // The terminal closed (a hang-up) before the line ended: nothing was answered.
      guard count == 1 else { throw .passphraseUnavailable(reason: "the terminal closed") }
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
  public static func readSecret(prompt: String) throws(KeyfileError) -> Sensitive {
    let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else {
      throw .passphraseUnavailable(
        reason: "no terminal to ask on; set COGNITO_ACCOUNT_PASSPHRASE or pass --passphrase-file")
    }
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
        throw .passphraseUnavailable(reason: "cancelled")
      case 0x04:
        if bytes.isEmpty { throw .passphraseUnavailable(reason: "cancelled") }
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
}
