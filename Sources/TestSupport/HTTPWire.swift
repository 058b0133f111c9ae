import Dispatch
import Foundation
import Glibc

/// A TCP listener on 127.0.0.1 that serves each connection on its own thread.
final class LoopbackListener: Sendable {
  private let fd: Int32
  /// The port it listens on.
  let port: UInt16
  private let finished = DispatchSemaphore(value: 0)

  /// Listens on a free port; connections wait until ``start(_:)``.
  init() throws {
    (fd, port) = try HTTPWire.listenOnLoopback()
  }

  /// Accepts connections, handing each to `handle` on a thread of its own.
  func start(_ handle: @escaping @Sendable (Int32) -> Void) {
    let listener = fd
    let finished = self.finished
    Thread.detachNewThread {
      defer { finished.signal() }
      while true {
        let connection = accept(listener, nil, nil)
        if connection < 0 {
          if errno == EINTR { continue }
          return
        }
        Thread.detachNewThread { handle(connection) }
      }
    }
  }

  /// Stops listening and waits for the accept loop to end.
  func stop() {
    shutdown(fd, Int32(SHUT_RDWR))
    close(fd)
    finished.wait()
  }
}

/// Socket plumbing shared by the scripted server and the fault proxy.
enum HTTPWire {
  /// A listening TCP socket on 127.0.0.1 and a free port.
  static func listenOnLoopback() throws -> (fd: Int32, port: UInt16) {
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
    guard bound == 0, listen(fd, 64) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, UInt16(bigEndian: actual.sin_port))
  }

  /// Connects to `port` on 127.0.0.1.
  static func connectLoopback(port: UInt16) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(fd)
      return nil
    }
    return fd
  }

  /// Everything the peer sends until it closes.
  static func readToEnd(_ fd: Int32) -> Data {
    var result = Data()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = recv(fd, &chunk, chunk.count, 0)
      if count <= 0 { break }
      result.append(contentsOf: chunk[0..<count])
    }
    return result
  }
  static func reset(_ connection: Int32) {
    var lingering = linger(l_onoff: 1, l_linger: 0)
    _ = setsockopt(
      connection, SOL_SOCKET, SO_LINGER, &lingering, socklen_t(MemoryLayout<linger>.size))
    close(connection)
  }

  static func writeAll(_ connection: Int32, _ data: Data) {
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

  static func readRequest(_ connection: Int32) -> ScriptedHTTPServer.RecordedRequest? {
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
    let headLength = headerEnd.upperBound - buffer.startIndex
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
    return ScriptedHTTPServer.RecordedRequest(
      method: requestLine.first.map(String.init) ?? "",
      path: requestLine.dropFirst().first.map(String.init) ?? "",
      headers: headers, body: body, raw: Data(buffer.prefix(headLength)) + body)
  }

}
