/// Everything that can go wrong with a keyfile. Messages name the path and the fix; none holds
/// key material, a passphrase or a token.
public enum KeyfileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// No keyfile at the path (not signed in).
  case notFound(path: String)
  /// The path is a symbolic link.
  case symlink(path: String)
  /// The file or its directory belongs to another user.
  case wrongOwner(path: String, ownerUID: UInt32)
  /// The file or its directory is open to group or others.
  case tooOpen(path: String, mode: UInt32, isDirectory: Bool)
  /// Not a regular file (or, for the directory, not a directory).
  case notRegularFile(path: String)
  /// The passphrase does not unlock this keyfile.
  case wrongPassphrase(path: String)
  /// The encrypted part fails authentication: the file was altered.
  case tampered(path: String)
  /// The file ends early.
  case truncated(path: String)
  /// The header is damaged (checksum mismatch, impossible values, trailing bytes).
  case damaged(path: String, detail: String)
  /// Not a cognito-account keyfile at all.
  case notAKeyfile(path: String)
  /// A format version this build does not read.
  case unsupportedVersion(path: String, version: Int)
  /// An earlier format version, which did not record where its session was made.
  case outdated(path: String, version: Int)
  /// Another process holds the keyfile's lock for longer than the wait allows.
  case busy(path: String)
  /// No passphrase is available (no terminal, no COGNITO_ACCOUNT_PASSPHRASE, no file).
  case passphraseUnavailable(reason: String)
  /// The two entries of a new passphrase differ, or it is empty.
  case passphraseRejected(reason: String)
  /// A file system call failed.
  case io(path: String, operation: String, errno: Int32)

  /// One line with the next step.
  public var description: String {
    switch self {
    case .notFound(let path): "no keyfile at \(path): sign in with 'cognito-account login'"
    case .symlink(let path):
      "refusing keyfile \(path): it is a symbolic link; replace it with the real file"
    case .wrongOwner(let path, let uid):
      "refusing keyfile \(path): it belongs to uid \(uid), not to you; "
        + "remove it and sign in again"
    case .tooOpen(let path, let mode, let isDirectory):
      "refusing keyfile \(isDirectory ? "directory " : "")\(path): permissions "
        + "0\(String(mode & 0o777, radix: 8)) are too open; run: chmod \(isDirectory ? "700" : "600") '\(path)'"
    case .notRegularFile(let path): "refusing keyfile \(path): not a regular file"
    case .wrongPassphrase(let path): "wrong passphrase for keyfile \(path)"
    case .tampered(let path):
      "keyfile \(path) fails its integrity check (altered or corrupted); "
        + "remove it and sign in again"
    case .truncated(let path):
      "keyfile \(path) is truncated; remove it and sign in again"
    case .damaged(let path, let detail):
      "keyfile \(path) is damaged (\(detail)); remove it and sign in again"
    case .notAKeyfile(let path): "\(path) is not a cognito-account keyfile"
    case .unsupportedVersion(let path, let version):
      "keyfile \(path) has format version \(version); this build reads version "
        + "\(KeyfileFormat.currentVersion): update cognito-account"
    case .outdated(let path, let version):
      "keyfile \(path) has format version \(version), which does not record the endpoint its "
        + "session was made for; sign in again with 'cognito-account login' (it replaces the file)"
    case .busy(let path):
      "keyfile \(path) is in use by another cognito-account process; try again in a moment"
    case .passphraseUnavailable(let reason): "no keyfile passphrase: \(reason)"
    case .passphraseRejected(let reason): "passphrase not accepted: \(reason)"
    case .io(let path, let operation, let code):
      "keyfile \(path): \(operation) failed: \(String(cString: strerrorText(code)))"
    }
  }
}

#if canImport(Glibc)
  import Glibc
  private func strerrorText(_ code: Int32) -> UnsafePointer<CChar> { UnsafePointer(strerror(code)) }
#else
  import Darwin
  private func strerrorText(_ code: Int32) -> UnsafePointer<CChar> { UnsafePointer(strerror(code)) }
#endif
