/// How an exchange failed below HTTP (connecting, TLS, the proxy, the framing), with no server
/// data attached.
public enum TransportFailure: Error, Sendable, Hashable, CustomStringConvertible {
  /// No answer within the connect or total timeout.
  case timedOut
  /// The connection dropped before the whole response arrived.
  case connectionReset
  /// Nothing listens at the endpoint, or the host is unreachable.
  case cannotConnect
  /// The endpoint's host name did not resolve.
  case cannotFindHost
  /// TLS failed (untrusted certificate, wrong host name, handshake error), in OpenSSL's words.
  case secureConnectionFailed(reason: String)
  /// The HTTPS proxy from the environment could not be reached.
  case proxyUnreachable
  /// The HTTPS proxy answered `CONNECT` with this status instead of opening a tunnel.
  case proxyRefused(status: Int)
  /// The response body exceeded the size cap.
  case responseTooLarge(limit: Int)
  /// The request was cancelled by the caller.
  case cancelled
  /// Any other transport failure, with the stack's numeric code.
  case other(code: Int)

  /// Plain-language summary, safe to show.
  public var description: String {
    switch self {
    case .timedOut: "the request timed out"
    case .connectionReset: "the connection was reset"
    case .cannotConnect: "could not connect to the endpoint"
    case .cannotFindHost: "the endpoint's host name did not resolve"
    case .secureConnectionFailed(let reason): "the TLS connection failed (\(reason))"
    case .proxyUnreachable: "could not connect to the proxy (https_proxy)"
    case .proxyRefused(let status): "the proxy refused to open a tunnel (HTTP \(status))"
    case .responseTooLarge(let limit): "the response was larger than \(limit) bytes"
    case .cancelled: "the request was cancelled"
    case .other(let code): "network error \(code)"
    }
  }
}
