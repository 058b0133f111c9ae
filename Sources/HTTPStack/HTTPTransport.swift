public import FoundationEssentials

/// One HTTP request as the transport sends it.
public struct HTTPRequest: Sendable {
  /// The method: `POST` for every Cognito operation, `GET` for a pool's public key set.
  public var method = "POST"
  /// The absolute URL (`https://cognito-idp.<region>.amazonaws.com/` or a loopback endpoint).
  public var url: URL
  /// Header fields, in order.
  public var headers: [(name: String, value: String)]
  /// The JSON body; contains secrets, so never log it.
  public var body: Data
  /// Whether the request may be sent again once written (false for a request that spends a
  /// single-use value: a sign-in session, a rotating refresh token). A transport sends a request
  /// that is not replayable on a new connection, and never twice.
  public var replayable: Bool

  /// Creates a POST request.
  public init(
    url: URL, headers: [(name: String, value: String)], body: Data, replayable: Bool = true
  ) {
    self.url = url
    self.headers = headers
    self.body = body
    self.replayable = replayable
  }

  /// The `Host` header the transport writes: the host in lower case, and the port when it is
  /// not the scheme's default (what a signature must cover).
  public var hostHeader: String { Target(url: url)?.hostHeader ?? "" }

  /// The value of a header, matched case-insensitively.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}

/// One HTTP response, whole.
public struct HTTPResponse: Sendable {
  /// The status code.
  public var status: Int
  /// Header fields keyed by lower-cased name.
  public var headers: [String: String]
  /// The body, at most the transport's size cap.
  public var body: Data

  /// Creates a response; header names are lower-cased.
  public init(status: Int, headers: [String: String], body: Data) {
    self.status = status
    // Sized up front and filled in place: building it from pairs grew a dictionary, which looks
    // up its storage type by name, a scan of the binary's conformance records at every start.
    var lowered = [String: String](minimumCapacity: headers.count)
    for (name, value) in headers {
      let key = name.lowercased()
      if lowered[key] == nil { lowered[key] = value }
    }
    self.headers = lowered
    self.body = body
  }

  /// The value of a header, matched case-insensitively.
  public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Sends one HTTP request and returns the whole response.
///
/// Contract for conformers (including test fakes): a non-2xx status is a response, not an error;
/// failures to get a whole response throw ``TransportFailure``; bodies larger than the
/// transport's cap throw ``TransportFailure/responseTooLarge(limit:)``; nothing is logged.
public protocol HTTPTransport: Sendable {
  /// Sends `request`; throws only ``TransportFailure``.
  func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse
}
