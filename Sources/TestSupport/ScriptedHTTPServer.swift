import Dispatch
public import Foundation
import Glibc
import Synchronization

/// A loopback HTTP/1.1 server that answers each request with the next scripted action and
/// writes real bytes on a real socket, so the client's transport is exercised end to end.
///
/// It covers what moto cannot produce: throttling, 5xx, HTML pages, truncated and oversized
/// bodies, connection resets and stalls. Each connection is served on its own thread, in the
/// order requests arrive; every response closes its connection except ``Action/keepAlive(status:body:)``.
public final class ScriptedHTTPServer: Sendable {
  /// What to do with one request.
  public enum Action: Sendable {
    /// A complete response.
    case respond(status: Int, headers: [(String, String)], body: Data)
    /// Exactly these bytes, then close (for truncated or malformed responses).
    case raw(Data)
    /// Close with a TCP reset before sending anything.
    case resetBeforeResponse
    /// Send these bytes, then reset the connection.
    case resetAfter(Data)
    /// Wait this long before doing `then`.
    case stall(seconds: Double, then: Data)
    /// A complete response that keeps the connection open for the next request.
    case keepAlive(status: Int, body: Data)
    /// A response that says nothing about closing (HTTP/1.1: the client may keep the
    /// connection), then a close, as a server does when its idle timeout ends.
    case keepAliveThenClose(status: Int, body: Data)

    /// An AWS JSON 1.1 error as Cognito sends it.
    public static func awsError(
      status: Int = 400, type: String, message: String, extraHeaders: [(String, String)] = []
    ) -> Action {
      let body = try? JSONSerialization.data(
        withJSONObject: ["__type": type, "message": message], options: [.sortedKeys])
      return .respond(
        status: status,
        headers: [
          ("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "req-\(type)"),
        ] + extraHeaders,
        body: body ?? Data())
    }

    /// A 200 response with a JSON body.
    public static func json(_ text: String, status: Int = 200) -> Action {
      .respond(
        status: status, headers: [("Content-Type", "application/x-amz-json-1.1")],
        body: Data(text.utf8))
    }
  }

  /// One request as the server read it.
  public struct RecordedRequest: Sendable {
    /// The request line's method.
    public var method: String
    /// The request line's target.
    public var path: String
    /// Header fields, names lower-cased.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// The operation named by `X-Amz-Target`, without the service prefix.
    public var operation: String? {
      headers["x-amz-target"].map { String($0.split(separator: ".").last ?? "") }
    }

    /// The request exactly as it arrived (head and body).
    public var raw: Data

    /// The body parsed as a JSON object.
    public var json: [String: Any]? {
      (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
  }

  private struct State {
    var script: [Action]
    var requests: [RecordedRequest] = []
    var connections = 0
  }

  private let listener: LoopbackListener
  /// The port it listens on, on 127.0.0.1.
  public var port: UInt16 { listener.port }
  private let state: Mutex<State>

  /// The base URL, `http://127.0.0.1:<port>/`.
  public var url: URL {
    URL(string: "http://127.0.0.1:\(port)/") ?? URL(fileURLWithPath: "/")
  }

  /// Starts listening with a script; requests beyond the script get a 599 response.
  public init(script: [Action]) throws {
    listener = try LoopbackListener()
    state = Mutex(State(script: script))
    listener.start { [self] connection in self.handle(connection) }
  }

  /// Stops listening and waits for the accept loop to end.
  public func stop() { listener.stop() }

  /// Every request received so far.
  public var requests: [RecordedRequest] { state.withLock { $0.requests } }

  /// How many requests named `operation` arrived.
  public func count(of operation: String) -> Int {
    requests.filter { $0.operation == operation }.count
  }

  /// How many TCP connections were accepted.
  public var connections: Int { state.withLock { $0.connections } }

  private func handle(_ connection: Int32) {
    state.withLock { $0.connections += 1 }
    while true {
      guard let request = HTTPWire.readRequest(connection) else {
        close(connection)
        return
      }
      let action = state.withLock { state -> Action in
        state.requests.append(request)
        return state.script.isEmpty
          ? .respond(status: 599, headers: [], body: Data("script exhausted".utf8))
          : state.script.removeFirst()
      }
      guard perform(action, on: connection) else { return }
    }
  }

  /// Performs `action`; returns whether the connection stays open for the next request.
  private func perform(_ action: Action, on connection: Int32) -> Bool {
    switch action {
    case .respond(let status, let headers, let body):
      HTTPWire.writeAll(connection, Self.response(status, headers, body, closing: true))
    case .raw(let bytes):
      HTTPWire.writeAll(connection, bytes)
    case .resetBeforeResponse:
      HTTPWire.reset(connection)
      return false
    case .resetAfter(let bytes):
      HTTPWire.writeAll(connection, bytes)
      usleep(50_000)
      HTTPWire.reset(connection)
      return false
    case .keepAlive(let status, let body):
      HTTPWire.writeAll(connection, Self.response(status, Self.jsonType, body))
      return true
    case .keepAliveThenClose(let status, let body):
      HTTPWire.writeAll(connection, Self.response(status, Self.jsonType, body))
    case .stall(let seconds, let bytes):
      Thread.sleep(forTimeInterval: seconds)
      HTTPWire.writeAll(connection, bytes)
    }
    close(connection)
    return false
  }

  private static let jsonType = [("Content-Type", "application/x-amz-json-1.1")]

  /// A whole response: status line, `headers`, `Content-Length`, `Connection: close` when
  /// `closing`, then `body`.
  private static func response(
    _ status: Int, _ headers: [(String, String)], _ body: Data, closing: Bool = false
  ) -> Data {
    var head = "HTTP/1.1 \(status) \(reason(status))\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(body.count)\r\n" + (closing ? "Connection: close\r\n" : "") + "\r\n"
    return Data(head.utf8) + body
  }

  static func reason(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 400: "Bad Request"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    default: "Status"
    }
  }
}
