import AccountCore
import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// POSIX file operations with the checks a credential file needs. Internal to the keyfile.
enum SecureFile {
  /// Refuses a directory that belongs to someone else or is open to group or others.
  static func checkDirectory(_ directory: String) throws(KeyfileError) {
    var info = stat()
    guard stat(directory, &info) == 0 else {
      throw errno == ENOENT
        ? .notFound(path: directory) : .io(path: directory, operation: "stat", errno: errno)
    }
    guard info.st_mode & S_IFMT == S_IFDIR else { throw .notRegularFile(path: directory) }
    guard info.st_uid == geteuid() else {
      throw .wrongOwner(path: directory, ownerUID: info.st_uid)
    }
    guard info.st_mode & 0o077 == 0 else {
      throw .tooOpen(path: directory, mode: info.st_mode, isDirectory: true)
    }
  }

  /// Opens `path` read-only without following a symlink and checks owner, type and mode.
  static func openChecked(_ path: String) throws(KeyfileError) -> Int32 {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)
    if fd < 0 {
      switch errno {
      case ENOENT: throw .notFound(path: path)
      case ELOOP: throw .symlink(path: path)
      default: throw .io(path: path, operation: "open", errno: errno)
      }
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      close(fd)
      throw .io(path: path, operation: "fstat", errno: code)
    }
    var refusal: KeyfileError?
    if info.st_mode & S_IFMT != S_IFREG {
      refusal = .notRegularFile(path: path)
    } else if info.st_uid != geteuid() {
      refusal = .wrongOwner(path: path, ownerUID: info.st_uid)
    } else if info.st_mode & 0o077 != 0 {
      refusal = .tooOpen(path: path, mode: info.st_mode, isDirectory: false)
    }
    if let refusal {
      close(fd)
      throw refusal
    }
    return fd
  }

  /// Reads a whole file from an open descriptor, up to `limit` bytes.
  static func readAll(_ fd: Int32, path: String, limit: Int) throws(KeyfileError) -> [UInt8] {
    do {
      return try FileBytes.readAll(fd, limit: limit)
    } catch {
      switch error {
      case .tooLarge: throw .damaged(path: path, detail: "far larger than a keyfile")
      case .system(let code): throw .io(path: path, operation: "read", errno: code)
      case .notAFile: throw .notRegularFile(path: path)
      }
    }
  }

  /// Creates `directory` (and missing parents) with mode 0700.
  static func makeDirectory(_ directory: String) throws(KeyfileError) {
    var info = stat()
    if stat(directory, &info) == 0 { return }
    let parent = PathText.parent(directory)
    if !parent.isEmpty && parent != directory && parent != "/" {
      try makeDirectory(parent)
    }
    if mkdir(directory, 0o700) != 0 && errno != EEXIST {
      throw .io(path: directory, operation: "mkdir", errno: errno)
    }
  }

  /// Writes `bytes` to `path` atomically: a 0600 temp file in the same directory
  /// (`O_CREAT|O_EXCL|O_NOFOLLOW`), write, fsync, rename over the old file, fsync the directory.
  /// A crash at any instant leaves the old file or the new one, whole.
  static func atomicWrite(_ bytes: [UInt8], to path: String) throws(KeyfileError) {
    let directory = PathText.parent(path)
    let name = PathText.lastComponent(path)
    var random = SystemRandomNumberGenerator()
    let temporary =
      directory + "/." + name + ".tmp-" + String(getpid()) + "-"
      + String(random.next() & 0xFFFF_FFFF, radix: 16)
    let oldMask = umask(0o077)
    defer { umask(oldMask) }
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw .io(path: temporary, operation: "create", errno: errno) }
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        let code = errno
        close(fd)
        unlink(temporary)
        throw .io(path: temporary, operation: "write", errno: code)
      }
      written += count
    }
    guard fsync(fd) == 0 else {
      let code = errno
      close(fd)
      unlink(temporary)
      throw .io(path: temporary, operation: "fsync", errno: code)
    }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw .io(path: path, operation: "rename", errno: code)
    }
    let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directoryFD >= 0 {
      _ = fsync(directoryFD)
      close(directoryFD)
    }
  }
}
