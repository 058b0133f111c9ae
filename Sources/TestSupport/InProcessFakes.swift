import AccountCore
import Foundation
public import HTTPStack
public import Keyfile
import Synchronization

/// An in-process ``HTTPTransport``: `respond` answers each request (by operation, usually) and
/// every request is recorded. It satisfies the transport contract: a non-2xx status is a
/// response, failures are ``TransportFailure``s, nothing is logged.
public final class ScriptedTransport: HTTPTransport {
  private let respond: @Sendable (HTTPRequest) async throws(TransportFailure) -> HTTPResponse
  private let recorded = Mutex<[HTTPRequest]>([])

  /// A transport answering with `respond`.
  public init(
    _ respond: @escaping @Sendable (HTTPRequest) async throws(TransportFailure) -> HTTPResponse
  ) {
    self.respond = respond
  }

  /// Records `request`, then answers it.
  public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
    recorded.withLock { $0.append(request) }
    return try await respond(request)
  }

  /// Every request so far, in order.
  public var requests: [HTTPRequest] { recorded.withLock { $0 } }

  /// The operation of every request so far (`GetUser`, `InitiateAuth`, …), in order.
  public var operations: [String] { requests.map(Self.operation) }

  /// The operation a request names in `X-Amz-Target`.
  public static func operation(_ request: HTTPRequest) -> String {
    String(request.header("x-amz-target")?.split(separator: ".").last ?? "")
  }

  /// The request's JSON body as a dictionary.
  public static func body(_ request: HTTPRequest) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
  }

  /// A 200 answer with a JSON body.
  public static func json(_ text: String) -> HTTPResponse {
    HTTPResponse(
      status: 200, headers: ["Content-Type": "application/x-amz-json-1.1"], body: Data(text.utf8))
  }

  /// An AWS JSON 1.1 error answer.
  public static func awsError(_ type: String, _ message: String = "", status: Int = 400)
    -> HTTPResponse
  {
    let body = try? JSONSerialization.data(withJSONObject: ["__type": type, "message": message])
    return HTTPResponse(
      status: status, headers: ["Content-Type": "application/x-amz-json-1.1"], body: body ?? Data())
  }
}

/// An in-memory ``SessionStore``: one session, a lock that excludes other holders in this
/// process, and a count of saves (to see what a refresh wrote).
public final class InMemorySessionStore: SessionStore {
  private let stored = Mutex<StoredSession?>(nil)
  private let saved = Mutex(0)
  private let held = Mutex(false)

  /// A store holding `session`, if any.
  public init(_ session: StoredSession? = nil) { stored.withLock { $0 = session } }

  /// Always `memory:`.
  public var path: String { "memory:" }
  /// Whether a session is stored.
  public var exists: Bool { stored.withLock { $0 != nil } }
  /// Never: this store has no earlier format.
  public var isOutdated: Bool { false }
  /// How many times ``save(_:)`` ran.
  public var saves: Int { saved.withLock { $0 } }
  /// The stored session, if any.
  public var session: StoredSession? { stored.withLock { $0 } }

  /// The stored session, or ``KeyfileError/notFound(path:)``.
  public func load() throws(KeyfileError) -> StoredSession {
    guard let session = stored.withLock({ $0 }) else { throw .notFound(path: path) }
    return session
  }

  /// Stores `session`.
  public func save(_ session: StoredSession) throws(KeyfileError) {
    stored.withLock { $0 = session }
    saved.withLock { $0 += 1 }
  }

  /// Forgets the session.
  public func remove() throws(KeyfileError) { stored.withLock { $0 = nil } }

  /// Takes the lock; a second holder at the same time is a test failure (``KeyfileError/busy(path:)``).
  public func lock() throws(KeyfileError) -> SessionStoreLock {
    let free = held.withLock { taken -> Bool in
      defer { taken = true }
      return !taken
    }
    guard free else { throw .busy(path: path) }
    return SessionStoreLock { self.held.withLock { $0 = false } }
  }
}

/// A compact JWT whose payload is `claims` (unsigned: the client never checks signatures).
public func unsignedJWT(_ claims: String) -> String {
  func base64URL(_ text: String) -> String {
    Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }
  return base64URL(#"{"alg":"none"}"#) + "." + base64URL(claims) + ".sig"
}
