import Dispatch
public import Foundation
import Glibc
import Synchronization

/// A loopback HTTP/1.1 server that answers each request with the next scripted action and
/// writes real bytes on a real socket, so the client's transport is exercised end to end.
///
/// It covers what moto cannot produce: throttling, 5xx, HTML pages, truncated and oversized
/// bodies, connection resets and stalls. Each connection is served on its own thread, in the
/// order requests arrive; every response closes its connection.
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

    /// The body parsed as a JSON object.
    public var json: [String: Any]? {
      (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
  }

  private struct State {
    var script: [Action]
    var requests: [RecordedRequest] = []
  }

  private let listener: Int32
  /// The port it listens on, on 127.0.0.1.
  public let port: UInt16
  private let state: Mutex<State>
  private let finished = DispatchSemaphore(value: 0)

  /// The base URL, `http://127.0.0.1:<port>/`.
  public var url: URL {
    URL(string: "http://127.0.0.1:\(port)/") ?? URL(fileURLWithPath: "/")
  }

  /// Starts listening with a script; requests beyond the script get a 599 response.
  public init(script: [Action]) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    listener = fd
    port = UInt16(bigEndian: actual.sin_port)
    state = Mutex(State(script: script))
    let server = self
    Thread.detachNewThread { server.acceptLoop() }
  }

  /// Stops listening and waits for the accept loop to end.
  public func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
    finished.wait()
  }

  /// Every request received so far.
  public var requests: [RecordedRequest] { state.withLock { $0.requests } }

  /// How many requests named `operation` arrived.
  public func count(of operation: String) -> Int {
    requests.filter { $0.operation == operation }.count
  }

  private func acceptLoop() {
    defer { finished.signal() }
    while true {
      let connection = accept(listener, nil, nil)
      if connection < 0 {
        if errno == EINTR { continue }
        return
      }
      Thread.detachNewThread { self.handle(connection) }
    }
  }

  private func handle(_ connection: Int32) {
    guard let request = readRequest(connection) else {
      close(connection)
      return
    }
    let action = state.withLock { state -> Action in
      state.requests.append(request)
      return state.script.isEmpty
        ? .respond(status: 599, headers: [], body: Data("script exhausted".utf8))
        : state.script.removeFirst()
    }
    perform(action, on: connection)
  }

  private func perform(_ action: Action, on connection: Int32) {
    switch action {
    case .respond(let status, let headers, let body):
      var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
      for (name, value) in headers { head += "\(name): \(value)\r\n" }
      head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
      writeAll(connection, Data(head.utf8) + body)
      close(connection)
    case .raw(let bytes):
      writeAll(connection, bytes)
      close(connection)
    case .resetBeforeResponse:
      reset(connection)
    case .resetAfter(let bytes):
      writeAll(connection, bytes)
      usleep(50_000)
      reset(connection)
    case .stall(let seconds, let bytes):
      Thread.sleep(forTimeInterval: seconds)
      writeAll(connection, bytes)
      close(connection)
    }
  }

  private func reset(_ connection: Int32) {
    var lingering = linger(l_onoff: 1, l_linger: 0)
    _ = setsockopt(
      connection, SOL_SOCKET, SO_LINGER, &lingering, socklen_t(MemoryLayout<linger>.size))
    close(connection)
  }

  private func writeAll(_ connection: Int32, _ data: Data) {
    data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = send(
          connection, buffer.baseAddress!.advanced(by: offset), buffer.count - offset,
          Int32(MSG_NOSIGNAL))
        if written <= 0 { return }
        offset += written
      }
    }
  }

  private func readRequest(_ connection: Int32) -> RecordedRequest? {
    var buffer = Data()
    var chunk = [UInt8](repeating: 0, count: 65536)
    let separator = Data("\r\n\r\n".utf8)
    var headerEnd: Range<Data.Index>?
    while headerEnd == nil {
      let count = recv(connection, &chunk, chunk.count, 0)
      if count <= 0 { return nil }
      buffer.append(contentsOf: chunk[0..<count])
      headerEnd = buffer.range(of: separator)
    }
    guard let headerEnd,
      let head = String(data: buffer[..<headerEnd.lowerBound], encoding: .utf8)
    else { return nil }
    let lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.first?.split(separator: " ") ?? []
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
        .trimmingCharacters(in: .whitespaces)
    }
    if headers["expect"]?.lowercased() == "100-continue" {
      writeAll(connection, Data("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    var body = Data(buffer[headerEnd.upperBound...])
    while body.count < length {
      let count = recv(connection, &chunk, chunk.count, 0)
      if count <= 0 { break }
      body.append(contentsOf: chunk[0..<count])
    }
    return RecordedRequest(
      method: requestLine.first.map(String.init) ?? "",
      path: requestLine.dropFirst().first.map(String.init) ?? "",
      headers: headers, body: body)
  }

  private static func reason(_ status: Int) -> String {
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
