public import AccountCore

#if canImport(Glibc)
  import Glibc
#endif

/// Why a secret file (a passphrase or a client secret named on the command line) was refused.
public enum SecretFileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// It cannot be opened or read.
  case cannotOpen(path: String, reason: String)
  /// A regular file owned by another user.
  case wrongOwner(path: String, ownerUID: UInt32)
  /// A regular file open to group or others.
  case tooOpen(path: String, mode: UInt32)
  /// Its first line is empty.
  case emptyFirstLine(path: String)
  /// Far larger than any secret (64 KiB).
  case tooLarge(path: String)

  /// One line with the fix.
  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
    case .wrongOwner(let path, let uid):
      "refusing \(path): it belongs to uid \(uid), not to you"
    case .tooOpen(let path, let mode):
      "refusing \(path): permissions 0\(String(mode & 0o777, radix: 8)) are too open; "
        + "run: chmod 600 '\(path)'"
    case .emptyFirstLine(let path): "the first line of \(path) is empty"
    case .tooLarge(let path): "\(path) is far larger than a secret"
    }
  }
}

/// Reads a secret from a file named on the command line (passphrase, client secret).
public enum SecretFile {
  /// The first line of `path`, without its line ending. A regular file must be yours and closed
  /// to group and others (as OpenSSH requires of keys); pipes and process substitutions are
  /// accepted as they are.
  public static func readFirstLine(_ path: String) throws(SecretFileError) -> Sensitive {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else {
      throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
      if info.st_uid != geteuid() { throw .wrongOwner(path: path, ownerUID: info.st_uid) }
      if info.st_mode & 0o077 != 0 {
        throw .tooOpen(path: path, mode: info.st_mode)
      }
    }
    var bytes = try readAll(fd, path: path, limit: 64 * 1024)
    defer { bytes.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    let line =
      bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
      .first.map { Array($0) } ?? []
    let trimmed = line.last == 0x0D ? Array(line.dropLast()) : line
    guard !trimmed.isEmpty else { throw .emptyFirstLine(path: path) }
    return Sensitive(String(decoding: trimmed, as: UTF8.self))
  }

  private static func readAll(_ fd: Int32, path: String, limit: Int) throws(SecretFileError)
    -> [UInt8]
  {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16384)
    defer { chunk.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    while true {
      let count = read(fd, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      result += chunk[0..<count]
      if result.count > limit { throw .tooLarge(path: path) }
    }
    return result
  }
}
