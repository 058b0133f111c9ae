import AccountCore
public import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// One line of the audit log: who did what to whom, why, and how it ended. Attribute names
/// only, never values; no credential of any kind.
public struct AuditEntry: Sendable, Hashable, Codable {
  /// `intent` (written before the call) or `outcome` (after it).
  public var phase: String
  /// Pairs an outcome with its intent.
  public var id: String
  /// ISO 8601, UTC, milliseconds.
  public var time: String
  /// The caller's ARN (`sts:GetCallerIdentity`).
  public var caller: String
  /// The role session's source identity, if the profile sets one.
  public var sourceIdentity: String?
  /// Where the AWS credentials came from (`profile support: role … from profile staff`).
  public var credentials: String?
  /// The cognito-account profile.
  public var profile: String
  /// The user pool.
  public var userPool: String
  /// The target user's name.
  public var username: String
  /// The target user's `sub`, when known.
  public var sub: String?
  /// The Cognito operation (`AdminDeleteUserAttributes`, …).
  public var operation: String
  /// The attribute names the operation touches.
  public var attributes: [String]?
  /// Why (a ticket id or a sentence), as the person typed it.
  public var reason: String
  /// Outcomes only: `ok` or the error code.
  public var result: String?
  /// Outcomes only: the request id AWS returned, if any.
  public var requestID: String?

  /// Creates an entry.
  public init(
    phase: String, id: String, time: String, caller: String, sourceIdentity: String?,
    credentials: String? = nil, profile: String, userPool: String, username: String, sub: String?,
    operation: String,
    attributes: [String]?, reason: String, result: String? = nil, requestID: String? = nil
  ) {
    self.phase = phase
    self.id = id
    self.time = time
    self.caller = caller
    self.sourceIdentity = sourceIdentity
    self.credentials = credentials
    self.profile = profile
    self.userPool = userPool
    self.username = username
    self.sub = sub
    self.operation = operation
    self.attributes = attributes
    self.reason = reason
    self.result = result
    self.requestID = requestID
  }
}

/// Why the audit log could not be written or read. A write that cannot be logged is not made.
public struct AuditLogError: Error, Sendable, Hashable, CustomStringConvertible {
  /// One line naming the file and the reason.
  public var description: String
}

/// The support mode's append-only audit log: JSON lines in a file that is yours alone (0600, in
/// a 0700 directory), each appended under an exclusive `flock` on an `O_APPEND` descriptor,
/// then `fsync`ed before the call it announces is made.
///
/// A process killed in the middle of a write can leave part of a line (Linux stops a write at a
/// page boundary when SIGKILL arrives). Since the lock is held for the whole write, such a tail
/// can only be a dead writer's: the next writer cuts it off before appending, so the file holds
/// whole lines only, and readers (under a shared lock) never see one half-written. An intent cut
/// off this way was never complete, so its call was never made.
public struct AuditLog: Sendable {
  /// The file.
  public let path: String

  /// The log at `path`.
  public init(path: String) { self.path = path }

  /// `$XDG_STATE_HOME/cognito-account/audit.jsonl`, else `~/.local/state/…`.
  public static func defaultPath(environment: [String: String], home: String) -> String {
    let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
    return (state ?? home + "/.local/state") + "/cognito-account/audit.jsonl"
  }

  /// Appends `entry` as one line, durable when this returns.
  public func append(_ entry: AuditEntry) throws(AuditLogError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard var line = try? encoder.encode(entry) else {
      throw AuditLogError(description: "the audit entry could not be encoded")
    }
    line.append(0x0A)
    try makeDirectory()
    let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0o600)
    guard fd >= 0 else { throw failure("cannot be opened") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      throw AuditLogError(description: "the audit log \(path) is not a regular file")
    }
    guard info.st_uid == geteuid() else {
      throw AuditLogError(description: "the audit log \(path) belongs to another user")
    }
    if info.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o600) }
    while flock(fd, LOCK_EX) != 0 {
      guard errno == EINTR else { throw failure("cannot be locked") }
    }
    defer { _ = flock(fd, LOCK_UN) }
    // A dead writer's partial line is cut off before ours begins (read through the same
    // descriptor, which is why it is opened read-write).
    let size = lseek(fd, 0, SEEK_END)
    guard size >= 0 else { throw failure("cannot be measured") }
    if size > 0 {
      let last = try readExactly(fd, count: 1, at: size - 1)
      if last != [0x0A] {
        guard ftruncate(fd, try endOfLastWholeLine(fd, size: size)) == 0 else {
          throw failure("cannot be repaired after a crash")
        }
      }
    }
    let bytes = [UInt8](line)
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw failure("cannot be written")
      }
      written += count
    }
    guard fsync(fd) == 0 else { throw failure("cannot be flushed to disk") }
  }

  /// What ``read()`` found.
  public struct Contents: Sendable {
    /// Every whole line, in order.
    public var entries: [AuditEntry]
    /// Lines that are not entries (a torn line after a crash).
    public var unreadableLines: Int
  }

  /// Every entry, read under a shared lock (no write is seen half done); a missing log is an
  /// empty one. A dead writer's partial last line, not yet cut off, counts as unreadable.
  public func read() throws(AuditLogError) -> Contents {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)
    guard fd >= 0 else {
      if errno == ENOENT { return Contents(entries: [], unreadableLines: 0) }
      throw failure("cannot be opened")
    }
    defer { close(fd) }
    while flock(fd, LOCK_SH) != 0 {
      guard errno == EINTR else { throw failure("cannot be locked") }
    }
    defer { _ = flock(fd, LOCK_UN) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = Glibc.read(fd, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw failure("cannot be read")
      }
      if count == 0 { break }
      data += chunk[0..<count]
    }
    var entries: [AuditEntry] = []
    var unreadable = 0
    let decoder = JSONDecoder()
    if let last = data.last, last != 0x0A { unreadable += 1 }
    let whole = data[..<(data.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)]
    for line in whole.split(separator: 0x0A, omittingEmptySubsequences: true) {
      if let entry = try? decoder.decode(AuditEntry.self, from: Data(line)) {
        entries.append(entry)
      } else {
        unreadable += 1
      }
    }
    return Contents(entries: entries, unreadableLines: unreadable)
  }

  /// The current time as the log writes it: `2026-12-03T08:01:02.345Z`.
  public static func timestamp(_ date: Date = Date()) -> String {
    let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
    let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    let fraction = milliseconds - seconds * 1000
    let digits = String(fraction)
    return PlainFormat.iso8601(epochSeconds: seconds).dropLast() + "."
      + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
  }

  /// A random id pairing an intent with its outcome.
  public static func newID() -> String {
    (0..<8).map { _ in PlainFormat.hex(UInt8.random(in: 0...255), width: 2) }.joined()
  }

  /// The offset just after the last newline before `size` (0 when the file holds none). Any
  /// read error refuses the write rather than guess where the whole lines end.
  private func endOfLastWholeLine(_ fd: Int32, size: off_t) throws(AuditLogError) -> off_t {
    var end = size
    while end > 0 {
      let start = max(0, end - 4096)
      let chunk = try readExactly(fd, count: Int(end - start), at: start)
      if let newline = chunk.lastIndex(of: 0x0A) { return start + off_t(newline) + 1 }
      end = start
    }
    return 0
  }

  /// Exactly `count` bytes at `offset`, or an error (EINTR and short reads are retried).
  private func readExactly(_ fd: Int32, count: Int, at offset: off_t) throws(AuditLogError)
    -> [UInt8]
  {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let read = bytes[done...].withUnsafeMutableBytes {
        pread(fd, $0.baseAddress, $0.count, offset + off_t(done))
      }
      if read < 0 && errno == EINTR { continue }
      guard read > 0 else { throw failure("cannot be read back to find its last whole line") }
      done += read
    }
    return bytes
  }

  private func makeDirectory() throws(AuditLogError) {
    let directory = PathText.parent(path)
    guard !directory.isEmpty else { return }
    var info = stat()
    if stat(directory, &info) == 0 { return }
    // Parents as the user's umask allows; the log's own directory closed to others.
    let parent = PathText.parent(directory)
    if !parent.isEmpty, stat(parent, &info) != 0 {
      do {
        try FileManager.default.createDirectory(
          atPath: parent, withIntermediateDirectories: true)
      } catch {
        throw AuditLogError(description: "cannot create \(parent) for the audit log")
      }
    }
    guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
      throw AuditLogError(description: "cannot create \(directory) for the audit log")
    }
  }

  private func failure(_ what: String) -> AuditLogError {
    AuditLogError(
      description: "the audit log \(path) \(what): \(String(cString: strerror(errno)))")
  }
}
