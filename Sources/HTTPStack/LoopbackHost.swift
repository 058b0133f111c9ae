#if canImport(Glibc)
  import Glibc
#endif

/// A host that plain `http://` may go to: `localhost`, an IPv4 address in 127.0.0.0/8, or `::1`.
///
/// Decided from the address `inet_pton(3)` parses, which refuses what a resolver would read
/// differently: `127.0.0.09`, `127.000.000.010` and `0177.0.0.1` are not addresses to it, so
/// they are not loopback here (glibc would hand such a name to `/etc/hosts` and DNS, which could
/// point anywhere). `localhost` is taken to mean 127.0.0.1 and ::1 without any lookup.
public struct LoopbackHost: Sendable, Hashable {
  /// The numeric addresses to connect to, in order.
  public let addresses: [String]

  /// The loopback addresses `host` stands for, or `nil` when it is not loopback.
  public init?(_ host: String) {
    var bare = host.lowercased()
    if bare.hasPrefix("[") && bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
    // inet_pton would read only up to a NUL (a decoded `%00`): such a host is never loopback.
    guard !bare.utf8.contains(0) else { return nil }
    if bare == "localhost" {
      addresses = ["127.0.0.1", "::1"]
      return
    }
    var v4 = in_addr()
    if inet_pton(AF_INET, bare, &v4) == 1 {
      guard UInt32(bigEndian: v4.s_addr) >> 24 == 127 else { return nil }
      addresses = [bare]
      return
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, bare, &v6) == 1 {
      let bytes = withUnsafeBytes(of: v6) { Array($0) }
      guard bytes == [UInt8](repeating: 0, count: 15) + [1] else { return nil }
      addresses = [bare]
      return
    }
    return nil
  }
}
