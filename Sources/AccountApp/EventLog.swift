import AccountCore
public import CognitoClient
import FoundationEssentials
import Glibc

#if canImport(Glibc)
  import Glibc
#endif

/// The optional log file (`--log-file`): one line per request attempt and per command outcome.
///
/// It records operation names, attempt numbers, HTTP statuses or exception names, durations and
/// exit codes — never a token, password, secret, attribute value or server message.
public final class EventLog: Sendable {
  private let fd: Int32

  /// Opens (appending) or creates the file with mode 0600; refuses a symlink.
  public init(path: String) throws {
    let oldMask = umask(0o077)
    defer { umask(oldMask) }
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    self.fd = fd
  }

  deinit { close(fd) }

  /// Writes one line with a UTC timestamp. The fields go through the terminal guard, so no text
  /// in them (a server's error code, say) can start a new line or drive a terminal that shows
  /// the log.
  public func record(_ fields: String) {
    let stamp = PlainFormat.iso8601(epochSeconds: Int(Date().timeIntervalSince1970))
    let line = "\(stamp) pid=\(getpid()) \(TerminalText.guarded(fields))\n"
    _ = line.withCString { Glibc.write(fd, $0, strlen($0)) }
  }

  /// The observer to hand to ``CognitoClient``.
  public var observer: @Sendable (CognitoClient.AttemptRecord) -> Void {
    { record in
      let milliseconds =
        Double(record.duration.components.attoseconds) / 1e15
        + Double(record.duration.components.seconds) * 1000
      self.record(
        "op=\(record.operation) attempt=\(record.attempt) result=\"\(record.outcome)\" "
          + "ms=\(PlainFormat.oneDecimal(milliseconds))")
    }
  }
}
