import AccountCore
public import FoundationEssentials
import HTTPStack

/// Where requests go, and which region they are for.
public struct CognitoEndpoint: Sendable, Hashable {
  /// The endpoint URL requests are POSTed to.
  public var url: URL
  /// The region (given, or from the user-pool id).
  public var region: String

  /// Resolves region and endpoint from settings already chosen by precedence (the settings
  /// layer reads flags, the environment and the profile; this only derives and validates).
  ///
  /// Region: `region`, else the prefix of `userPoolID` (`us-east-1_abc` → `us-east-1`).
  /// Endpoint: `url`, else `https://cognito-idp.<region>.amazonaws.com/`. Plain `http://` is
  /// refused unless the host is loopback (see ``LoopbackHost``), before any connection is made.
  public static func resolve(url: String?, region: String?, userPoolID: String?)
    throws(CognitoError) -> CognitoEndpoint
  {
    func nonEmpty(_ value: String?) -> String? {
      guard let value = value?.trimmedWhitespace(), !value.isEmpty else {
        return nil
      }
      return value
    }
    let resolvedRegion: String
    if let value = nonEmpty(region) {
      resolvedRegion = value
    } else if let pool = nonEmpty(userPoolID), let underscore = pool.firstIndex(of: "_"),
      underscore != pool.startIndex
    {
      resolvedRegion = String(pool[..<underscore])
    } else {
      throw .invalidConfiguration(
        "no region: run 'cognito-account configure' to set up a profile, or give --region, "
          + "set AWS_REGION, or give a user pool id such as us-east-1_AbC")
    }
    guard isValidRegion(resolvedRegion) else {
      throw .invalidConfiguration("'\(resolvedRegion)' is not a valid AWS region name")
    }
    let suffix = resolvedRegion.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    let rawURL = nonEmpty(url) ?? "https://cognito-idp.\(resolvedRegion).\(suffix)/"
    return CognitoEndpoint(url: try validatedURL(rawURL), region: resolvedRegion)
  }

  /// Checks an endpoint URL: http or https, a host, no credentials or query, http only to loopback.
  public static func validatedURL(_ raw: String) throws(CognitoError) -> URL {
    guard let components = URLComponents(string: raw), let scheme = components.scheme?.lowercased(),
      let host = components.host, !host.isEmpty
    else {
      throw .invalidConfiguration("endpoint '\(raw)' is not an http(s) URL with a host")
    }
    guard components.user == nil, components.password == nil else {
      throw .invalidConfiguration("endpoint URL must not contain a user name or password")
    }
    guard components.query == nil, components.fragment == nil else {
      throw .invalidConfiguration("endpoint URL must not contain a query or fragment")
    }
    switch scheme {
    case "https": break
    case "http":
      guard isLoopback(host: host) else {
        throw .invalidConfiguration(
          "refusing plain http to \(host): tokens would cross the network unencrypted; use https")
      }
    default:
      throw .invalidConfiguration("endpoint scheme '\(scheme)' is not http or https")
    }
    var normalized = components
    if normalized.path.isEmpty { normalized.path = "/" }
    guard let url = normalized.url else {
      throw .invalidConfiguration("endpoint '\(raw)' is not a valid URL")
    }
    return url
  }

  /// Whether `host` is `localhost`, an IPv4 address in 127.0.0.0/8, or `::1`, decided from the
  /// parsed address (see ``LoopbackHost``), never from how the text looks.
  public static func isLoopback(host: String) -> Bool { LoopbackHost(host) != nil }

  private static func isValidRegion(_ region: String) -> Bool {
    !region.isEmpty && region.count <= 32
      && region.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
      }
  }
}
