import AccountCore
import CSystemTLS
import Dispatch
import FoundationEssentials
import Glibc
import Synchronization

/// OpenSSL's client configuration: TLS 1.2+, peer verification, the trust store.
final class TLSContext: @unchecked Sendable {
  /// libssl, loaded when the first context is made.
  let openSSL: cognito_libssl
  let pointer: OpaquePointer

  private init(openSSL: cognito_libssl, pointer: OpaquePointer) {
    self.openSSL = openSSL
    self.pointer = pointer
  }

  deinit { openSSL.SSL_CTX_free(pointer) }

  static func make(caBundlePath: String?) -> Result<TLSContext, TransportFailure> {
    let openSSL: cognito_libssl
    do {
      openSSL = try loadOpenSSL()
    } catch {
      return .failure(error)
    }
    guard let pointer = openSSL.SSL_CTX_new(openSSL.TLS_client_method()) else {
      return .failure(.secureConnectionFailed(reason: openSSL.lastErrorReason()))
    }
    let context = TLSContext(openSSL: openSSL, pointer: pointer)
    guard withUnsafePointer(to: openSSL, { cognito_tls_require_tls12($0, pointer) }) == 1 else {
      return .failure(.secureConnectionFailed(reason: "cannot require TLS 1.2 or later"))
    }
    openSSL.SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
    if let failure = TrustStore.load(into: pointer, openSSL: openSSL, caBundlePath: caBundlePath) {
      return .failure(failure)
    }
    return .success(context)
  }

  /// libssl.so.3, loaded on the first call (every later call returns the same functions).
  static func loadOpenSSL() throws(TransportFailure) -> cognito_libssl {
    var reason: UnsafePointer<CChar>?
    guard let table = cognito_libssl_load(&reason) else {
      throw .secureConnectionFailed(
        reason: "OpenSSL (libssl.so.3) could not be loaded: " + String(cString: reason!))
    }
    return table.pointee
  }

  /// Sets what the peer's certificate must match (`host`'s name, or its address when `host` is
  /// an IP address) and, for a name, the SNI extension. OpenSSL refusing any of it (an over-long
  /// name, an address it cannot parse) aborts the connection: a handshake without the check
  /// would accept any certificate the trust store vouches for.
  func expectPeer(_ ssl: OpaquePointer, host: String) throws(TransportFailure) {
    var v4 = in_addr()
    var v6 = in6_addr()
    let isAddress = inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    let accepted =
      isAddress
      ? withUnsafePointer(to: openSSL) { cognito_tls_expect_ip($0, ssl, host) } == 1
      : withUnsafePointer(to: openSSL) { cognito_tls_set_server_name($0, ssl, host) } == 1
        && openSSL.SSL_set1_host(ssl, host) == 1
    guard accepted else {
      throw .secureConnectionFailed(
        reason: "cannot set up the certificate check for \(host): \(openSSL.lastErrorReason())")
    }
  }

  /// Whether a connection to `host` could be set up for its certificate check (for tests: the
  /// same ``expectPeer(_:host:)`` on a connection that is never used).
  static func peerCheckFailure(host: String) -> TransportFailure? {
    guard case .success(let context) = make(caBundlePath: nil),
      let ssl = context.openSSL.SSL_new(context.pointer)
    else { return .secureConnectionFailed(reason: "no TLS context") }
    defer { context.openSSL.SSL_free(ssl) }
    do {
      try context.expectPeer(ssl, host: host)
      return nil
    } catch {
      return error
    }
  }

}

extension cognito_libssl {
  /// OpenSSL's reason for the last failure on this thread, in its own words.
  func lastErrorReason() -> String {
    let code = self.ERR_peek_last_error()
    guard code != 0, let reason = self.ERR_reason_error_string(code) else {
      return "the handshake did not complete"
    }
    return String(cString: reason)
  }
}
