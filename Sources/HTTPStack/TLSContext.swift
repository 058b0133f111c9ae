import AccountCore
import CSystemTLS
import Dispatch
import FoundationEssentials
import Glibc
import Synchronization

/// OpenSSL's client configuration: TLS 1.2+, peer verification, the trust store.
final class TLSContext: @unchecked Sendable {
  let pointer: OpaquePointer

  private init(pointer: OpaquePointer) { self.pointer = pointer }

  deinit { SSL_CTX_free(pointer) }

  static func make(caBundlePath: String?) -> Result<TLSContext, TransportFailure> {
    guard let pointer = SSL_CTX_new(TLS_client_method()) else {
      return .failure(.secureConnectionFailed(reason: lastErrorReason()))
    }
    let context = TLSContext(pointer: pointer)
    guard cognito_tls_require_tls12(pointer) == 1 else {
      return .failure(.secureConnectionFailed(reason: "cannot require TLS 1.2 or later"))
    }
    SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
    if let failure = TrustStore.load(into: pointer, caBundlePath: caBundlePath) {
      return .failure(failure)
    }
    return .success(context)
  }

  /// Sets what the peer's certificate must match (`host`'s name, or its address when `host` is
  /// an IP address) and, for a name, the SNI extension. OpenSSL refusing any of it (an over-long
  /// name, an address it cannot parse) aborts the connection: a handshake without the check
  /// would accept any certificate the trust store vouches for.
  static func expectPeer(_ ssl: OpaquePointer, host: String) throws(TransportFailure) {
    var v4 = in_addr()
    var v6 = in6_addr()
    let isAddress = inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    let accepted =
      isAddress
      ? cognito_tls_expect_ip(ssl, host) == 1
      : cognito_tls_set_server_name(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1
    guard accepted else {
      throw .secureConnectionFailed(
        reason: "cannot set up the certificate check for \(host): \(lastErrorReason())")
    }
  }

  /// Whether a connection to `host` could be set up for its certificate check (for tests: the
  /// same ``expectPeer(_:host:)`` on a connection that is never used).
  static func peerCheckFailure(host: String) -> TransportFailure? {
    guard case .success(let context) = make(caBundlePath: nil), let ssl = SSL_new(context.pointer)
    else { return .secureConnectionFailed(reason: "no TLS context") }
    defer { SSL_free(ssl) }
    do {
      try expectPeer(ssl, host: host)
      return nil
    } catch {
      return error
    }
  }

  /// OpenSSL's reason for the last failure on this thread, in its own words.
  static func lastErrorReason() -> String {
    let code = ERR_peek_last_error()
    guard code != 0, let reason = ERR_reason_error_string(code) else {
      return "the handshake did not complete"
    }
    return String(cString: reason)
  }
}
