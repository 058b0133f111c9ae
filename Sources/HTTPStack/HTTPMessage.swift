import AccountCore
import FoundationEssentials

/// The bytes of one HTTP/1.1 request, as ``SocketTransport`` writes them.
enum HTTPRequestEncoder {
  /// `<method> <path> HTTP/1.1`, `Host`, the request's headers, `Content-Length` (not for a
  /// `GET` without a body), then the body.
  ///
  /// Header names and values are ours (never server or user data), but CR and LF are removed
  /// anyway so that no value can ever start a header of its own.
  static func encode(_ request: HTTPRequest, hostHeader: String) -> [UInt8] {
    var target = request.url.path(percentEncoded: true)
    if target.isEmpty { target = "/" }
    if let query = request.url.query(percentEncoded: true) { target += "?" + query }
    var head = "\(singleLine(request.method)) \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
    for (name, value) in request.headers where name.lowercased() != "content-length" {
      head += "\(singleLine(name)): \(singleLine(value))\r\n"
    }
    if request.method != "GET" || !request.body.isEmpty {
      head += "Content-Length: \(request.body.count)\r\n"
    }
    head += "\r\n"
    return Array(head.utf8) + Array(request.body)
  }

  /// A `CONNECT host:port` request asking a proxy for a tunnel.
  static func connect(authority: String, proxyAuthorization: String?) -> [UInt8] {
    var head = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
    if let proxyAuthorization {
      head += "Proxy-Authorization: \(singleLine(proxyAuthorization))\r\n"
    }
    return Array((head + "\r\n").utf8)
  }

  private static func singleLine(_ text: String) -> String {
    String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
  }
}

/// Reads one HTTP/1.1 response from bytes as they arrive: `Content-Length`, chunked and
/// read-until-close bodies, interim `1xx` responses skipped.
///
/// Pure and incremental, so it is tested and fuzzed without a network. Anything that is not
/// HTTP/1.x is ``Failure/malformed``; a body beyond the cap is ``Failure/tooLarge(limit:)``.
package struct HTTPResponseParser {
  /// Why the bytes are not an acceptable response.
  package enum Failure: Error, Equatable {
    /// Not an HTTP/1.x response (or the connection ended inside one).
    case malformed
    /// The body is larger than the cap.
    case tooLarge(limit: Int)
  }

  /// How the body is delimited.
  private enum Framing {
    case length(Int)
    case chunked
    case untilClose
  }

  private enum State {
    case head
    /// Body bytes still to come: the whole body (Content-Length) or one chunk.
    case data(remaining: Int, chunked: Bool)
    case chunkSize
    case chunkDataEnd
    case trailers
    case untilClose
    case done
  }

  private let maxBodyBytes: Int
  private let maxHeadBytes: Int
  private let bodyless: Bool
  private var buffer: [UInt8] = []
  private var state = State.head
  private var status = 0
  private var headers: [String: String] = [:]
  private var body: [UInt8] = []
  private var keepAlive = false

  /// Whether any byte of a response has been seen (a reused connection that fails before this
  /// was closed by the server while idle, and the request may be sent again).
  package private(set) var sawBytes = false

  /// A parser for one response. `bodyless` is for the answer to `CONNECT`, which has no body.
  package init(maxBodyBytes: Int, maxHeadBytes: Int = 64 << 10, bodyless: Bool = false) {
    self.maxBodyBytes = maxBodyBytes
    self.maxHeadBytes = maxHeadBytes
    self.bodyless = bodyless
  }

  /// Adds bytes; returns the response once it is complete (later bytes are not consumed).
  package mutating func consume(_ bytes: some Collection<UInt8>) throws(Failure) -> (
    response: HTTPResponse, keepAlive: Bool
  )? {
    if !bytes.isEmpty { sawBytes = true }
    buffer.append(contentsOf: bytes)
    var offset = 0
    defer { buffer.removeFirst(offset) }
    while true {
      switch state {
      case .done:
        return finished()
      case .head:
        guard let end = find(crlfcrlf, from: offset) else {
          if buffer.count - offset > maxHeadBytes { throw .malformed }
          return nil
        }
        let head = buffer[offset..<end]
        offset = end + 4
        try parseHead(head)
      case .data(let remaining, let chunked):
        let take = min(remaining, buffer.count - offset)
        body.append(contentsOf: buffer[offset..<(offset + take)])
        offset += take
        if take == remaining {
          state = chunked ? .chunkDataEnd : .done
        } else {
          state = .data(remaining: remaining - take, chunked: chunked)
          return nil
        }
      case .chunkSize:
        guard let end = find(crlf, from: offset) else {
          if buffer.count - offset > 1024 { throw .malformed }
          return nil
        }
        let line = buffer[offset..<end]
        offset = end + 2
        let size = try Self.chunkSize(line)
        if size == 0 {
          state = .trailers
        } else {
          guard size <= maxBodyBytes - body.count else { throw .tooLarge(limit: maxBodyBytes) }
          state = .data(remaining: size, chunked: true)
        }
      case .chunkDataEnd:
        guard buffer.count - offset >= 2 else { return nil }
        guard buffer[offset] == 0x0D, buffer[offset + 1] == 0x0A else { throw .malformed }
        offset += 2
        state = .chunkSize
      case .trailers:
        guard let end = find(crlf, from: offset) else {
          if buffer.count - offset > maxHeadBytes { throw .malformed }
          return nil
        }
        let isLast = end == offset
        offset = end + 2
        if isLast { state = .done }
      case .untilClose:
        let take = buffer.count - offset
        guard body.count + take <= maxBodyBytes else { throw .tooLarge(limit: maxBodyBytes) }
        body.append(contentsOf: buffer[offset...])
        offset = buffer.count
        return nil
      }
    }
  }

  /// The connection ended: completes a read-until-close body, else the response was cut short.
  package mutating func finish() throws(Failure) -> HTTPResponse {
    guard case .untilClose = state else {
      if case .done = state { return finished().response }
      throw .malformed
    }
    keepAlive = false
    state = .done
    return finished().response
  }

  private func finished() -> (response: HTTPResponse, keepAlive: Bool) {
    (HTTPResponse(status: status, headers: headers, body: Data(body)), keepAlive)
  }

  private mutating func parseHead(_ head: ArraySlice<UInt8>) throws(Failure) {
    var lines = head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      line.last == 0x0D ? line.dropLast() : line
    }
    guard !lines.isEmpty else { throw .malformed }
    let statusLine = lines.removeFirst()
    // "HTTP/1.1 200 OK": the version, a space, three digits, then a space or the end.
    let prefix = Array("HTTP/1.".utf8)
    guard statusLine.count >= 12, statusLine.starts(with: prefix) else { throw .malformed }
    let minor = statusLine[statusLine.startIndex + 7]
    let digits = statusLine.dropFirst(9).prefix(3)
    guard minor == 0x30 || minor == 0x31, statusLine[statusLine.startIndex + 8] == 0x20,
      digits.allSatisfy({ (0x30...0x39).contains($0) }),
      statusLine.count == 12 || statusLine[statusLine.startIndex + 12] == 0x20
    else { throw .malformed }
    let code = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    guard code >= 100 else { throw .malformed }

    // Sized up front: growing a dictionary goes through a lookup of its storage type by name,
    // which makes the runtime scan the binary's conformance records for `String: Hashable`.
    var fields = [String: String](minimumCapacity: lines.count)
    for line in lines {
      guard let colon = line.firstIndex(of: 0x3A), colon != line.startIndex,
        line.first != 0x20, line.first != 0x09
      else { throw .malformed }
      let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
      guard !name.contains(where: { $0 == " " || $0 == "\t" }) else { throw .malformed }
      let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
        .trimmedWhitespace()
      if let existing = fields[name] {
        // A repeated Content-Length must agree; other repeated fields are joined.
        if name == "content-length" {
          guard existing == value else { throw .malformed }
        } else {
          fields[name] = existing + ", " + value
        }
      } else {
        fields[name] = value
      }
    }

    if code < 200 && code != 101 {
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      state = .head
      return
    }
    status = code
    headers = fields
    // `Connection` is a list of tokens; `close` among them ends the connection.
    let connection = (fields["connection"] ?? "").lowercased().split(separator: ",")
    keepAlive = minor == 0x31 && !connection.contains { $0.trimmedWhitespace() == "close" }

    switch try framing(code: code, fields: fields) {
    case .length(let length):
      guard length <= maxBodyBytes else { throw .tooLarge(limit: maxBodyBytes) }
      state = length == 0 ? .done : .data(remaining: length, chunked: false)
    case .chunked:
      state = .chunkSize
    case .untilClose:
      keepAlive = false
      state = .untilClose
    }
  }

  private func framing(code: Int, fields: [String: String]) throws(Failure) -> Framing {
    if bodyless && (200..<300).contains(code) { return .length(0) }
    if code == 204 || code == 304 || code == 101 { return .length(0) }
    if let coding = fields["transfer-encoding"]?.lowercased() {
      let codings = coding.split(separator: ",").map { $0.trimmedWhitespace() }
      guard codings.last == "chunked" else { return .untilClose }
      guard codings.allSatisfy({ $0 == "chunked" || $0 == "identity" }) else {
        throw .malformed
      }
      return .chunked
    }
    if let length = fields["content-length"] {
      guard !length.isEmpty, length.count <= 18, length.allSatisfy(\.isASCII),
        length.allSatisfy(\.isNumber), let value = Int(length)
      else { throw .malformed }
      return .length(value)
    }
    return .untilClose
  }

  private static func chunkSize(_ line: ArraySlice<UInt8>) throws(Failure) -> Int {
    // "1a3" or "1a3;extension=value"; at most 15 hex digits.
    let digits = line.prefix { $0 != 0x3B }.filter { $0 != 0x20 && $0 != 0x09 }
    guard !digits.isEmpty, digits.count <= 15 else { throw .malformed }
    var value = 0
    for digit in digits {
      let nibble: UInt8
      switch digit {
      case 0x30...0x39: nibble = digit - 0x30
      case 0x41...0x46: nibble = digit - 0x41 + 10
      case 0x61...0x66: nibble = digit - 0x61 + 10
      default: throw .malformed
      }
      value = value << 4 | Int(nibble)
    }
    return value
  }

  private let crlf: [UInt8] = [0x0D, 0x0A]
  private let crlfcrlf: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]

  private func find(_ needle: [UInt8], from start: Int) -> Int? {
    guard buffer.count - start >= needle.count else { return nil }
    var index = start
    while index <= buffer.count - needle.count {
      if buffer[index] == needle[0] && buffer[index..<(index + needle.count)].elementsEqual(needle)
      {
        return index
      }
      index += 1
    }
    return nil
  }
}
