public import AccountCore
import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The session's tokens, encrypted at rest: scrypt + ChaCha20-Poly1305, written atomically,
/// locked across read–refresh–write, and refused when its permissions are too open.
///
/// Unlocking tries, in order: the key already derived in this process, the kernel-keyring
/// unlock cache, then the passphrase source (which may prompt). One instance per process.
public final class Keyfile: SessionStore {
  /// Where the file is.
  public let path: String
  /// The scrypt cost used when a new file is created.
  public let parameters: ScryptParameters
  /// The kernel-keyring unlock cache.
  public let cache: UnlockCache
  /// How long to wait for another process's lock.
  public let lockTimeout: Duration
  private let passphrase: PassphraseSource
  private let memory = Mutex<Remembered?>(nil)

  /// How the last successful unlock obtained the key.
  public enum UnlockMethod: Sendable, Hashable {
    /// Derived earlier in this process.
    case memory
    /// From the kernel-keyring cache.
    case keyring
    /// From the passphrase, through scrypt.
    case passphrase
  }

  private struct Remembered: @unchecked Sendable {
    var salt: [UInt8]
    var parameters: ScryptParameters
    var key: DerivedKey
    var method: UnlockMethod
  }

  /// Creates a keyfile handle; nothing is read until ``load()``.
  public init(
    path: String, passphrase: PassphraseSource, parameters: ScryptParameters = .standard,
    cache: UnlockCache = UnlockCache(), lockTimeout: Duration = .seconds(10)
  ) {
    self.path = path
    self.passphrase = passphrase
    self.parameters = parameters
    self.cache = cache
    self.lockTimeout = lockTimeout
  }

  private var directory: String { PathText.parent(path) }

  /// Whether a file (or anything) is at the path.
  public var exists: Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// Whether the file is of an earlier format version, which this build refuses to use.
  public var isOutdated: Bool {
    do {
      _ = try readChecked()
      return false
    } catch .outdated {
      return true
    } catch {
      return false
    }
  }

  /// How the key was obtained in the last successful unlock, if any.
  public var lastUnlockMethod: UnlockMethod? { memory.withLock { $0?.method } }

  /// Reads and decrypts the session.
  public func load() throws(KeyfileError) -> StoredSession {
    let (bytes, header) = try readChecked()
    return try unlock(bytes, header: header)
  }

  /// Encrypts and writes `session` atomically. An existing file keeps its passphrase (it is
  /// unlocked first if need be); a new file asks the passphrase source for a new passphrase.
  public func save(_ session: StoredSession) throws(KeyfileError) {
    try SecureFile.makeDirectory(directory)
    try SecureFile.checkDirectory(directory)
    let remembered: Remembered
    var existing: ([UInt8], KeyfileFormat.Header)?
    if exists {
      do {
        existing = try readChecked()
      } catch .outdated {
        // An earlier format's session cannot be used; the new one replaces it, under a new
        // passphrase (the old one is not asked for).
        existing = nil
      }
    }
    if let (bytes, header) = existing {
      _ = try unlock(bytes, header: header)
      guard let current = memory.withLock({ $0 }) else { throw .wrongPassphrase(path: path) }
      remembered = current
    } else if let current = memory.withLock({ $0 }) {
      remembered = current
    } else {
      remembered = try createKey()
    }
    try write(session, with: remembered)
  }

  /// Takes the keyfile's lock (waiting at most ``lockTimeout``), held until the value is
  /// released.
  public func lock() throws(KeyfileError) -> SessionStoreLock {
    let lock = try takeLock()
    return SessionStoreLock { withExtendedLifetime(lock) {} }
  }

  /// Runs `body` while holding the keyfile's lock (synchronous form).
  @discardableResult
  public func withLockSync<T>(_ body: () throws -> T) throws -> T {
    let lock = try takeLock()
    defer { withExtendedLifetime(lock) {} }
    return try body()
  }

  /// Removes the keyfile and any cached key (logout). A missing file is fine. The lock file stays:
  /// unlinking a lock another process holds or waits for would let a third "hold" it too.
  public func remove() throws(KeyfileError) {
    if let header = try? readChecked().1 {
      cache.invalidate(path: path, salt: header.salt, parameters: header.parameters)
    }
    if let current = memory.withLock({ $0 }) {
      cache.invalidate(path: path, salt: current.salt, parameters: current.parameters)
    }
    memory.withLock { $0 = nil }
    if unlink(path) != 0 && errno != ENOENT {
      throw .io(path: path, operation: "unlink", errno: errno)
    }
  }

  /// The header of the file at the path (for `status`), without unlocking it.
  public func header() throws(KeyfileError) -> KeyfileFormat.Header { try readChecked().1 }

  // MARK: Internals

  /// Creates the directory (0700) if needed, checks it, and takes the lock.
  private func takeLock() throws(KeyfileError) -> KeyfileLock {
    try SecureFile.makeDirectory(directory)
    try SecureFile.checkDirectory(directory)
    return try KeyfileLock(keyfilePath: path, timeout: lockTimeout)
  }

  private func readChecked() throws(KeyfileError) -> ([UInt8], KeyfileFormat.Header) {
    do {
      try SecureFile.checkDirectory(directory)
    } catch KeyfileError.notFound {
      throw .notFound(path: path)
    }
    let fd = try SecureFile.openChecked(path)
    defer { close(fd) }
    let bytes = try SecureFile.readAll(fd, path: path, limit: 2 << 20)
    return (bytes, try KeyfileFormat.parseHeader(bytes, path: path))
  }

  private func unlock(_ bytes: [UInt8], header: KeyfileFormat.Header) throws(KeyfileError)
    -> StoredSession
  {
    if let current = memory.withLock({ $0 }), current.salt == header.salt,
      current.parameters == header.parameters,
      let session = try? KeyfileFormat.open(bytes, header: header, key: current.key, path: path)
    {
      memory.withLock { $0?.method = .memory }
      return session
    }
    if let cached = cache.lookup(path: path, salt: header.salt, parameters: header.parameters) {
      if let session = try? KeyfileFormat.open(bytes, header: header, key: cached, path: path) {
        remember(
          Remembered(
            salt: header.salt, parameters: header.parameters, key: cached, method: .keyring))
        return session
      }
      // A stale or wrong cached key (the file was replaced): drop it and ask instead.
      cache.invalidate(path: path, salt: header.salt, parameters: header.parameters)
    }
    var secret = Array(try passphrase.provide(.unlock(path: path)).reveal.utf8)
    defer { secret.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    let key = try DerivedKey.derive(
      passphrase: secret, salt: header.salt, parameters: header.parameters)
    let session = try KeyfileFormat.open(bytes, header: header, key: key, path: path)
    remember(
      Remembered(salt: header.salt, parameters: header.parameters, key: key, method: .passphrase))
    cache.store(key, path: path, salt: header.salt, parameters: header.parameters)
    return session
  }

  private func remember(_ value: Remembered) { memory.withLock { $0 = value } }

  private func createKey() throws(KeyfileError) -> Remembered {
    var secret = Array(try passphrase.provide(.create(path: path)).reveal.utf8)
    defer { secret.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    var generator = SystemRandomNumberGenerator()
    let salt = (0..<KeyfileFormat.saltLength).map { _ in
      UInt8.random(in: 0...255, using: &generator)
    }
    let key = try DerivedKey.derive(passphrase: secret, salt: salt, parameters: parameters)
    let value = Remembered(salt: salt, parameters: parameters, key: key, method: .passphrase)
    remember(value)
    cache.store(key, path: path, salt: salt, parameters: parameters)
    return value
  }

  private func write(_ session: StoredSession, with key: Remembered) throws(KeyfileError) {
    var generator = SystemRandomNumberGenerator()
    let nonce = (0..<KeyfileFormat.nonceLength).map { _ in
      UInt8.random(in: 0...255, using: &generator)
    }
    let bytes = try KeyfileFormat.seal(
      session, key: key.key, parameters: key.parameters, salt: key.salt, nonce: nonce)
    try SecureFile.atomicWrite(bytes, to: path)
  }
}

extension KeyfileFormat {
  /// Encrypts `session` with a passphrase and explicit salt and nonce: the deterministic form the
  /// known-answer test pins, so a format change can never go unnoticed.
  public static func sealForKnownAnswer(
    _ session: StoredSession, passphrase: Sensitive, parameters: ScryptParameters, salt: [UInt8],
    nonce: [UInt8]
  ) throws(KeyfileError) -> [UInt8] {
    let key = try DerivedKey.derive(
      passphrase: Array(passphrase.reveal.utf8), salt: salt, parameters: parameters)
    return try seal(session, key: key, parameters: parameters, salt: salt, nonce: nonce)
  }

  /// Decrypts keyfile bytes with a passphrase (tests and tools; no file system involved).
  public static func open(_ bytes: [UInt8], passphrase: Sensitive, path: String = "<memory>")
    throws(KeyfileError) -> StoredSession
  {
    let header = try parseHeader(bytes, path: path)
    let key = try DerivedKey.derive(
      passphrase: Array(passphrase.reveal.utf8), salt: header.salt, parameters: header.parameters)
    return try open(bytes, header: header, key: key, path: path)
  }
}
