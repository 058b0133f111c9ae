import Foundation
import Testing

@testable import CognitoClient
@testable import HTTPStack

/// Feeds `text` to a parser in pieces of `size` bytes, then ends the connection if needed.
private func parse(_ text: String, pieces size: Int, limit: Int = 1 << 20) throws(HTTPResponseParser
  .Failure) -> (HTTPResponse, Bool)
{
  var parser = HTTPResponseParser(maxBodyBytes: limit)
  let bytes = Array(text.utf8)
  var offset = 0
  while offset < bytes.count {
    let end = min(offset + size, bytes.count)
    if let done = try parser.consume(bytes[offset..<end]) { return done }
    offset = end
  }
  return (try parser.finish(), false)
}

@Suite("HTTP/1.1 response parsing")
struct HTTPResponseParserTests {
  static let messages: [(String, Int, String, Bool)] = [
    ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, "hello", true),
    (
      "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 400, "{}",
      false
    ),
    (
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nT: 1\r\n\r\n",
      200, "hello", true
    ),
    ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 204, "", true),
    ("HTTP/1.0 200 OK\r\n\r\nuntil the end", 200, "until the end", false),
    ("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 200, "", true),
  ]

  @Test("every message parses the same whichever way the bytes are split", arguments: 0..<6)
  func splits(index: Int) throws {
    let (text, status, body, keepAlive) = Self.messages[index]
    for size in 1...text.utf8.count {
      let (response, kept) = try parse(text, pieces: size)
      #expect(response.status == status)
      #expect(String(decoding: response.body, as: UTF8.self) == body)
      #expect(kept == keepAlive)
    }
  }

  @Test("header names are case-insensitive; repeated fields are joined")
  func headers() throws {
    let (response, _) = try parse(
      "HTTP/1.1 200 OK\r\nX-Amzn-ErrorType: A\r\nx-a: 1\r\nX-A: 2\r\nContent-Length: 0\r\n\r\n",
      pieces: 7)
    #expect(response.header("x-amzn-errortype") == "A")
    #expect(response.header("X-A") == "1, 2")
  }

  @Test(
    "what is not HTTP/1.x, or ends early, is malformed",
    arguments: [
      "", "<html>oops</html>\r\n\r\n", "HTTP/2 200\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
    ])
  func malformed(text: String) {
    #expect(throws: HTTPResponseParser.Failure.malformed) { try parse(text, pieces: 3) }
  }

  @Test("a body beyond the cap is refused, whatever frames it")
  func tooLarge() {
    for text in [
      "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello!\r\n6\r\nhello!\r\n0\r\n\r\n",
      "HTTP/1.0 200 OK\r\n\r\n0123456789ab",
    ] {
      #expect(throws: HTTPResponseParser.Failure.tooLarge(limit: 10)) {
        try parse(text, pieces: 4, limit: 10)
      }
    }
  }

  @Test("an endless head is refused instead of buffered")
  func endlessHead() {
    var parser = HTTPResponseParser(maxBodyBytes: 10, maxHeadBytes: 100)
    #expect(throws: HTTPResponseParser.Failure.malformed) {
      _ = try parser.consume(
        Array(("HTTP/1.1 200 OK\r\n" + String(repeating: "a", count: 200)).utf8))
    }
  }

  @Test("the answer to CONNECT has no body, whatever its headers say")
  func connectAnswer() throws {
    var parser = HTTPResponseParser(maxBodyBytes: 10, bodyless: true)
    let done = try parser.consume(Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
    #expect(done?.response.status == 200)
  }

  @Test("requests: POST, Host with a non-default port, Content-Length, no CR/LF injection")
  func requestBytes() throws {
    let request = HTTPRequest(
      url: URL(string: "http://127.0.0.1:9229/")!,
      headers: [("X-Amz-Target", "A.B\r\nEvil: 1"), ("Content-Length", "999")],
      body: Data("{}".utf8))
    let text = String(
      decoding: HTTPRequestEncoder.encode(request, hostHeader: "127.0.0.1:9229"), as: UTF8.self)
    #expect(
      text
        == "POST / HTTP/1.1\r\nHost: 127.0.0.1:9229\r\nX-Amz-Target: A.BEvil: 1\r\nContent-Length: 2\r\n\r\n{}"
    )
  }
}
