public import AccountCore
public import FoundationEssentials

/// An HTTP proxy that HTTPS requests are tunnelled through with `CONNECT`, taken from the
/// environment the way curl and the AWS CLI take it.
///
/// `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`, else `ALL_PROXY`; `no_proxy` or
/// `NO_PROXY` lists hosts reached directly (`*` for all, `example.com` or `.example.com` for a
/// domain and its subdomains), as in curl. Only HTTPS goes through a proxy: plain-HTTP endpoints
/// are loopback only.
public struct HTTPProxy: Sendable, Hashable {
  /// The proxy's host name or address.
  public var host: String
  /// The proxy's port (1080 when the URL gives none, as curl does).
  public var port: Int
  /// `Basic …` credentials from the proxy URL, if it had any.
  public var authorization: Sensitive?
  /// The hosts that bypass the proxy.
  public var bypass: [String]

  /// Creates a proxy.
  public init(host: String, port: Int, authorization: Sensitive? = nil, bypass: [String] = []) {
    self.host = host
    self.port = port
    self.authorization = authorization
    self.bypass = bypass
  }

  /// A proxy setting that cannot be used, with a message naming the variable and the fix.
  public struct SettingError: Error, Sendable, Hashable {
    /// What is wrong and how to fix it.
    public var message: String
  }

  /// The proxy for HTTPS requests from `environment`, or nil when none is set.
  /// Throws for a proxy URL that cannot be used (not `http://`, no host, a bad port).
  public static func fromEnvironment(_ environment: [String: String]) throws(SettingError)
    -> HTTPProxy?
  {
    let names = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    guard
      let (name, raw) = names.lazy.compactMap({ name -> (String, String)? in
        guard let value = environment[name]?.trimmedWhitespace(),
          !value.isEmpty
        else { return nil }
        return (name, value)
      }).first
    else { return nil }
    let withScheme = raw.contains("://") ? raw : "http://" + raw
    guard let components = URLComponents(string: withScheme), components.scheme == "http",
      let host = components.host, !host.isEmpty
    else {
      throw SettingError(
        message: "\(name) must be an http:// proxy URL such as http://proxy.example.com:3128")
    }
    let port = components.port ?? 1080
    guard (1...65535).contains(port) else {
      throw SettingError(message: "\(name) has a port outside 1–65535")
    }
    var authorization: Sensitive?
    if let user = components.percentEncodedUser {
      // Decoded exactly once: `p%2541` is the password `p%41`, not `pA`.
      let password = components.percentEncodedPassword ?? ""
      let pair = (components.user ?? user) + ":" + (components.password ?? password)
      authorization = Sensitive("Basic " + Data(pair.utf8).base64EncodedString())
    }
    let noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
    let bypass = noProxy.split(separator: ",").map {
      $0.trimmedWhitespace().lowercased()
    }.filter { !$0.isEmpty }
    return HTTPProxy(
      host: host.trimmed { $0 == "[" || $0 == "]" }, port: port,
      authorization: authorization, bypass: bypass)
  }

  /// Whether a request to `url` goes through this proxy: HTTPS to a host not in the bypass list.
  public func applies(to url: URL) -> Bool {
    url.scheme?.lowercased() == "https" && applies(to: url.host(percentEncoded: false) ?? "")
  }

  /// Whether a request to `host` (over HTTPS) goes through this proxy.
  public func applies(to host: String) -> Bool {
    let host = host.lowercased().trimmed { $0 == "[" || $0 == "]" }
    for entry in bypass {
      if entry == "*" { return false }
      let domain = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
      if host == domain || host.hasSuffix("." + domain) { return false }
    }
    return true
  }

  /// `host:port`, for `status` output (never the credentials).
  public var displayName: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
