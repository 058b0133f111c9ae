/// Where the signed-in session is kept between runs. ``Keyfile`` is the real one; tests use an
/// in-memory store (`TestSupport`'s `InMemorySessionStore`).
///
/// Contract for conformers: `load` throws ``KeyfileError/notFound(path:)`` when there is no
/// session and ``KeyfileError/outdated(path:version:)`` for an unusable earlier format; `lock`
/// excludes every other holder (other processes too, for a file) until the returned value is
/// released; nothing is logged.
public protocol SessionStore: Sendable {
  /// Where it is, for messages.
  var path: String { get }
  /// Whether anything is stored.
  var exists: Bool { get }
  /// Whether what is stored is of an earlier format, which cannot be used.
  var isOutdated: Bool { get }
  /// The stored session.
  func load() throws(KeyfileError) -> StoredSession
  /// Stores `session`, replacing any other.
  func save(_ session: StoredSession) throws(KeyfileError)
  /// Forgets the stored session.
  func remove() throws(KeyfileError)
  /// Takes the store's lock; it is held until the returned value is released.
  func lock() throws(KeyfileError) -> SessionStoreLock
}

/// A held ``SessionStore`` lock: released when this value is.
public final class SessionStoreLock: Sendable {
  private let release: @Sendable () -> Void

  /// A lock that runs `release` when it is let go.
  public init(release: @escaping @Sendable () -> Void) { self.release = release }

  deinit { release() }
}
