import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// An exclusive advisory lock (`flock`) on a sibling `<keyfile>.lock`, held across
/// read–refresh–write so two processes never lose the newer refresh token.
final class KeyfileLock: Sendable {
  private let fd: Int32

  /// Takes the lock, waiting at most `timeout`; throws ``KeyfileError/busy(path:)`` after that.
  init(keyfilePath: String, timeout: Duration) throws(KeyfileError) {
    let lockPath = keyfilePath + ".lock"
    let oldMask = umask(0o077)
    let fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    umask(oldMask)
    guard fd >= 0 else {
      throw errno == ELOOP
        ? .symlink(path: lockPath) : .io(path: lockPath, operation: "open", errno: errno)
    }
    let deadline = ContinuousClock.now + timeout
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      guard code == EWOULDBLOCK || code == EINTR else {
        close(fd)
        throw .io(path: lockPath, operation: "flock", errno: code)
      }
      guard ContinuousClock.now < deadline else {
        close(fd)
        throw .busy(path: keyfilePath)
      }
      usleep(20_000)
    }
    self.fd = fd
  }

  deinit {
    flock(fd, LOCK_UN)
    close(fd)
  }
}
