import AccountCore
import CLinuxKeyring
import Crypto
import FoundationEssentials
import Glibc

/// Keeps a keyfile's derived keys (the AEAD key and the key check; never the passphrase nor
/// scrypt's master key) in the Linux kernel keyring — the
/// login's session keyring, through `add_key`/`keyctl` — for a limited time, so later commands in the
/// same login skip scrypt. Bound to the keyfile's path, salt and scrypt parameters.
///
/// Where the kernel refuses (some containers forbid `keyctl`), every call is a miss and
/// ``availability`` says why; callers then derive the key each time.
public struct UnlockCache: Sendable {
  /// How long a cached key lives; zero turns the cache off.
  public let timeout: Duration

  /// Whether the kernel keyring can be used here.
  public enum Availability: Sendable, Hashable, CustomStringConvertible {
    /// Keys can be stored.
    case available
    /// Turned off (timeout 0).
    case disabled
    /// The kernel refused; the reason from errno.
    case unavailable(reason: String)

    /// A line for `status`.
    public var description: String {
      switch self {
      case .available: "kernel keyring"
      case .disabled: "off"
      case .unavailable(let reason):
        "unavailable here (kernel keyring: \(reason)); the key is derived on every run"
      }
    }
  }

  /// The default: 15 minutes.
  public static let standardTimeout = Duration.seconds(900)

  /// Creates a cache with the given lifetime.
  public init(timeout: Duration = standardTimeout) { self.timeout = timeout }

  /// Probes the keyring with a short-lived throwaway key.
  public var availability: Availability {
    guard timeout > .zero else { return .disabled }
    guard let ring = Self.targetKeyring() else {
      return .unavailable(reason: String(cString: strerror(ckr_errno())))
    }
    let description = "cognito-account:probe:\(getpid())"
    let id = ckr_add_key("user", description, "x", 1, ring.id)
    guard id >= 0 else {
      return .unavailable(reason: String(cString: strerror(ckr_errno())))
    }
    _ = ckr_invalidate(Int32(truncatingIfNeeded: id))
    return .available
  }

  /// The keyring keys go to: the login's session keyring when the process has one (keys then
  /// live as long as the login and only its processes possess them), else the user-session
  /// keyring shared by the user's processes that have no session keyring. Resolved without
  /// creating anything: `add_key(@s)` in a process with no session keyring would create a
  /// private anonymous keyring that dies with the process.
  static func targetKeyring() -> (id: Int32, shared: Bool)? {
    let session = ckr_keyring_id(CKR_SPEC_SESSION_KEYRING)
    guard session >= 0 else { return nil }
    let userSession = ckr_keyring_id(CKR_SPEC_USER_SESSION_KEYRING)
    let user = ckr_keyring_id(CKR_SPEC_USER_KEYRING)
    return (Int32(truncatingIfNeeded: session), session == userSession || session == user)
  }

  /// Possessor: all; user: view, read, search. Used only in the shared user-session keyring,
  /// where possession does not carry from process to process; the key is readable only by
  /// processes of the same user, which could read this process's memory anyway.
  private static let sharedPermissions: UInt32 = 0x3f0b_0000

  static func description(path: String, salt: [UInt8], parameters: ScryptParameters) -> String {
    let canonical = PathText.standardized(path)
    var material = Array(canonical.utf8)
    material += [0] + salt + [parameters.logN]
    // Hex digits appended one by one: `joined()` is generic code the runtime first looks up.
    var name = "cognito-account:v1:"
    for byte in SHA256.hash(data: material).prefix(16) { name += PlainFormat.hex(byte, width: 2) }
    return name
  }

  /// The cached key for this keyfile, if present and unexpired.
  func lookup(path: String, salt: [UInt8], parameters: ScryptParameters) -> DerivedKey? {
    guard timeout > .zero else { return nil }
    let name = Self.description(path: path, salt: salt, parameters: parameters)
    guard let ring = Self.targetKeyring() else { return nil }
    let id = ckr_search(ring.id, "user", name)
    guard id >= 0 else { return nil }
    var buffer = [UInt8](repeating: 0, count: 64)
    defer { buffer.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    let count = ckr_read(Int32(truncatingIfNeeded: id), &buffer, buffer.count)
    switch count {
    case DerivedKey.cacheLength:
      return DerivedKey(cacheBytes: buffer[0..<count])
    case 32:
      // Stored by an earlier version, which kept scrypt's master key.
      return DerivedKey(master: SymmetricKey(data: buffer[0..<32]))
    default:
      return nil
    }
  }

  /// Stores the key for this keyfile with the cache's timeout; failures are ignored.
  func store(_ key: DerivedKey, path: String, salt: [UInt8], parameters: ScryptParameters) {
    let seconds = UInt32(clamping: timeout.components.seconds)
    guard seconds > 0 else { return }
    let name = Self.description(path: path, salt: salt, parameters: parameters)
    var bytes = key.cacheBytes
    defer { bytes.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    guard let ring = Self.targetKeyring() else { return }
    let id = ckr_add_key("user", name, bytes, bytes.count, ring.id)
    guard id >= 0 else { return }
    let key = Int32(truncatingIfNeeded: id)
    if ckr_set_timeout(key, seconds) != 0
      || (ring.shared && ckr_set_permissions(key, Self.sharedPermissions) != 0)
    {
      _ = ckr_invalidate(key)
    }
  }

  /// Removes the cached key for this keyfile (logout, passphrase change, failed decryption).
  func invalidate(path: String, salt: [UInt8], parameters: ScryptParameters) {
    let name = Self.description(path: path, salt: salt, parameters: parameters)
    guard let ring = Self.targetKeyring() else { return }
    while true {
      let id = ckr_search(ring.id, "user", name)
      guard id >= 0, ckr_invalidate(Int32(truncatingIfNeeded: id)) == 0 else { return }
    }
  }
}
