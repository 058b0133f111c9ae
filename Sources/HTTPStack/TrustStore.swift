import AccountCore
import CSystemTLS
import Dispatch
import FoundationEssentials
import Glibc
import Synchronization

/// Which certificates a TLS connection trusts: `AWS_CA_BUNDLE` (``SocketTransport/Options/caBundlePath``)
/// when given, else the system store, read the cheapest way OpenSSL allows.
enum TrustStore {
  /// Loads the trust store into `context`; returns the failure, or `nil` when it loaded.
  static func load(into context: OpaquePointer, openSSL: cognito_libssl, caBundlePath: String?)
    -> TransportFailure?
  {
    if let caBundlePath {
      // A named pipe or a device there would block OpenSSL's read with no deadline over it.
      var info = stat()
      guard stat(caBundlePath, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
        openSSL.SSL_CTX_load_verify_locations(context, caBundlePath, nil) == 1
      else {
        return .secureConnectionFailed(reason: "cannot read the CA bundle \(caBundlePath)")
      }
    } else if let directory = hashedCertificateDirectory(openSSL) {
      // The hashed directory is read lazily, one issuer at a time. OpenSSL's default paths would
      // also parse the whole system bundle (≈ 140 certificates, 16 ms here) in every process.
      guard openSSL.SSL_CTX_load_verify_locations(context, nil, directory) == 1 else {
        return .secureConnectionFailed(reason: "cannot read the trust store \(directory)")
      }
    } else if openSSL.SSL_CTX_set_default_verify_paths(context) != 1 {
      return .secureConnectionFailed(reason: "cannot load the system trust store")
    }
    return nil
  }

  /// The system's hashed certificate directory (`SSL_CERT_DIR`, else OpenSSL's default), when
  /// `SSL_CERT_FILE` does not name a bundle and the directory holds `<hash>.0` links (as
  /// Debian's update-ca-certificates and `openssl rehash` make them); else nil.
  static func hashedCertificateDirectory(_ openSSL: cognito_libssl) -> String? {
    let environment = ProcessEnvironment.current
    if let file = environment["SSL_CERT_FILE"], !file.isEmpty { return nil }
    let directory =
      environment["SSL_CERT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? openSSL.X509_get_default_cert_dir().map { String(cString: $0) }
      ?? ""
    // SSL_CERT_DIR may list several directories; only a single one is checked here.
    guard !directory.contains(":"), let stream = opendir(directory) else { return nil }
    defer { closedir(stream) }
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name.count == 10, name.hasSuffix(".0"), name.prefix(8).allSatisfy(\.isHexDigit) {
        return directory
      }
    }
    return nil
  }
}
