import Glibc

/// Small files read whole with plain system calls.
///
/// FoundationEssentials' `FileManager.contents(atPath:)` builds a dictionary of file attributes
/// and answers nil for a missing file and an unreadable one alike; this tells the two apart.
public enum FileBytes {
  /// Why a file could not be read.
  public enum Failure: Error, Equatable {
    /// The system call failed with this `errno`.
    case system(errno: Int32)
    /// The file is larger than the limit.
    case tooLarge(limit: Int)
    /// A named pipe or a socket is in the file's place.
    case notAFile

    /// What went wrong, in words.
    public var reason: String {
      switch self {
      case .system(let code): String(cString: strerror(code))
      case .tooLarge(let limit): "larger than \(limit) bytes"
      case .notAFile: "a named pipe or a socket, not a file"
      }
    }
  }

  /// The bytes of the file at `path`, or nil when there is no such file (or a component of the
  /// path is not a directory). A directory, a named pipe, a file that cannot be opened or read
  /// (a directory on the way that cannot be searched included), and one larger than `limit`
  /// bytes throw. Opened without blocking, so a named pipe in the file's place cannot hang the
  /// caller.
  public static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
    if fd < 0 {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw .system(errno: errno)
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .system(errno: errno) }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: throw .system(errno: EISDIR)
    case S_IFIFO, S_IFSOCK: throw .notAFile
    default: break
    }
    return try readAll(fd, limit: limit, expectedSize: Int(info.st_size))
  }

  /// Whether something is at `path` (a symbolic link followed), as `FileManager.fileExists`
  /// answers it, with one `stat` and without FoundationEssentials' first-use set-up.
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// Everything left to read from `fd`, up to `limit` bytes; more throws. Room for
  /// `expectedSize` bytes (and the read that finds the end) is reserved up front, so a file of
  /// that size leaves no copy behind in freed memory; the read buffer is zeroed after use, as
  /// these files can hold secrets.
  public static func readAll(_ fd: Int32, limit: Int, expectedSize: Int = 0) throws(Failure)
    -> [UInt8]
  {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(min(max(expectedSize, 0), limit) + 1)
    var chunk = [UInt8](repeating: 0, count: 16384)
    defer { chunk.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    while true {
      let count = Glibc.read(fd, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw .system(errno: errno)
      }
      if count == 0 { return bytes }
      bytes += chunk[0..<count]
      if bytes.count > limit { throw .tooLarge(limit: limit) }
    }
  }
}
