public import Foundation
import Glibc
import Synchronization

/// A loopback proxy in front of moto that injects one kind of fault into the requests for one
/// operation and forwards everything else unchanged, counting requests per operation.
public final class FaultProxy: Sendable {
  /// What goes wrong.
  public enum Fault: String, Sendable, Hashable, CaseIterable {
    /// TooManyRequestsException (JSON, 400) once.
    case throttleOnce
    /// TooManyRequestsException three times in a row.
    case throttleThrice
    /// HTTP 429 with `Retry-After: 1`, once.
    case tooManyRequests429
    /// InternalErrorException (500 JSON), every time.
    case internalError
    /// An HTML 502 page, every time.
    case htmlBadGateway
    /// The connection is reset before any response byte.
    case resetBeforeResponse
    /// The connection is reset in the middle of the body.
    case resetMidBody
    /// The body ends before its Content-Length.
    case truncatedBody
    /// A 10 MB body.
    case hugeBody
    /// No answer for longer than the client's timeout.
    case stall
    /// A body that is not valid UTF-8.
    case invalidUTF8
    /// JSON whose members have the wrong types.
    case wrongMemberTypes
    /// A well-formed answer that belongs to a different operation.
    case otherOperation

    /// How many requests the fault applies to (the rest are forwarded).
    var applications: Int {
      switch self {
      case .throttleOnce, .tooManyRequests429: 1
      case .throttleThrice: 3
      default: .max
      }
    }
  }

  private struct State {
    var remaining: Int
    var counts: [String: Int] = [:]
  }

  private let listener: LoopbackListener
  private let upstreamPort: UInt16
  private let operation: String
  private let fault: Fault
  private let stallSeconds: Double
  private let state: Mutex<State>
  /// The port it listens on.
  public var port: UInt16 { listener.port }

  /// The proxy's URL.
  public var url: URL { URL(string: "http://127.0.0.1:\(port)/") ?? URL(fileURLWithPath: "/") }

  /// Starts a proxy to moto at `upstream` that applies `fault` to requests for `operation`.
  public init(upstream: URL, operation: String, fault: Fault, stallSeconds: Double = 3) throws {
    listener = try LoopbackListener()
    upstreamPort = UInt16(upstream.port ?? 80)
    self.operation = operation
    self.fault = fault
    self.stallSeconds = stallSeconds
    state = Mutex(State(remaining: fault.applications))
    listener.start { [self] connection in self.handle(connection) }
  }

  /// Stops listening.
  public func stop() { listener.stop() }

  /// How many requests for `operation` arrived.
  public func count(of operation: String) -> Int { state.withLock { $0.counts[operation] ?? 0 } }

  private func handle(_ connection: Int32) {
    guard let request = HTTPWire.readRequest(connection) else {
      close(connection)
      return
    }
    let name = request.operation ?? ""
    let inject = state.withLock { state -> Bool in
      state.counts[name, default: 0] += 1
      guard name == operation, state.remaining > 0 else { return false }
      if state.remaining != .max { state.remaining -= 1 }
      return true
    }
    guard inject else {
      forward(request, to: connection)
      return
    }
    respond(with: fault, operation: name, on: connection)
  }

  private func forward(_ request: ScriptedHTTPServer.RecordedRequest, to connection: Int32) {
    guard let upstream = HTTPWire.connectLoopback(port: upstreamPort) else {
      HTTPWire.reset(connection)
      return
    }
    HTTPWire.writeAll(upstream, request.raw)
    let response = HTTPWire.readToEnd(upstream)
    close(upstream)
    HTTPWire.writeAll(connection, response)
    close(connection)
  }

  private func respond(with fault: Fault, operation: String, on connection: Int32) {
    func send(_ status: Int, _ headers: [(String, String)], _ body: Data) {
      var head = "HTTP/1.1 \(status) \(ScriptedHTTPServer.reason(status))\r\n"
      for (name, value) in headers { head += "\(name): \(value)\r\n" }
      head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
      HTTPWire.writeAll(connection, Data(head.utf8) + body)
      close(connection)
    }
    let json = [("Content-Type", "application/x-amz-json-1.1")]
    switch fault {
    case .throttleOnce, .throttleThrice:
      send(
        400, json, Data(#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#.utf8))
    case .tooManyRequests429:
      send(
        429, [("Retry-After", "1"), ("Content-Type", "text/plain")], Data("Too Many Requests".utf8))
    case .internalError:
      send(500, json, Data(#"{"__type":"InternalErrorException","message":"Internal error"}"#.utf8))
    case .htmlBadGateway:
      send(
        502, [("Content-Type", "text/html")],
        Data(
          "<html><head><title>502 Bad Gateway</title></head><body>upstream-7 failed</body></html>"
            .utf8))
    case .resetBeforeResponse:
      HTTPWire.reset(connection)
    case .resetMidBody:
      HTTPWire.writeAll(
        connection,
        Data(
          "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 400\r\n\r\n{\"Username\": \"al"
            .utf8))
      usleep(50_000)
      HTTPWire.reset(connection)
    case .truncatedBody:
      HTTPWire.writeAll(
        connection,
        Data(
          "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 400\r\n\r\n{\"Username\": \"al"
            .utf8))
      close(connection)
    case .hugeBody:
      var body = Data(#"{"Username":""#.utf8)
      body.append(Data(repeating: UInt8(ascii: "a"), count: 10_000_000))
      body.append(Data(#"","UserAttributes":[]}"#.utf8))
      send(200, json, body)
    case .stall:
      Thread.sleep(forTimeInterval: stallSeconds)
      send(200, json, Data("{}".utf8))
    case .invalidUTF8:
      send(
        200, json, Data([0x7B, 0x22, 0x55, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0xC3, 0x28, 0x22, 0x7D]))
    case .wrongMemberTypes:
      let body =
        operation == "InitiateAuth"
        ? #"{"AuthenticationResult":"nope","ChallengeParameters":7}"#
        : #"{"Username":42,"UserAttributes":"nope","UserAttributeNames":7}"#
      send(200, json, Data(body.utf8))
    case .otherOperation:
      let body =
        operation == "GetUser"
        ? #"{"AuthenticationResult":{"AccessToken":"x.y.z","ExpiresIn":3600,"TokenType":"Bearer"}}"#
        : #"{"Username":"someone-else","UserAttributes":[{"Name":"sub","Value":"0"}]}"#
      send(200, json, Data(body.utf8))
    }
  }
}
