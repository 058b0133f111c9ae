public import Foundation
import HTTPStack

/// Where requests go, and which region they are for.
public struct CognitoEndpoint: Sendable, Hashable {
  /// The endpoint URL requests are POSTed to.
  public var url: URL
  /// The region (from the flag, the environment or the user-pool id).
  public var region: String
  /// Where the URL came from, for `status` output.
  public var urlSource: Source
  /// Where the region came from, for `status` output.
  public var regionSource: Source

  /// Where a setting came from.
  public enum Source: String, Sendable, Hashable {
    /// Given explicitly (flag or profile).
    case explicit
    /// `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`.
    case serviceEnvironment = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
    /// `AWS_ENDPOINT_URL`.
    case globalEnvironment = "AWS_ENDPOINT_URL"
    /// `AWS_REGION`.
    case awsRegion = "AWS_REGION"
    /// `AWS_DEFAULT_REGION`.
    case awsDefaultRegion = "AWS_DEFAULT_REGION"
    /// The prefix of the user-pool id.
    case userPoolID = "user pool id"
    /// Derived: `https://cognito-idp.<region>.amazonaws.com/`.
    case regional = "regional default"
  }

  /// Resolves region and endpoint.
  ///
  /// Region: `explicitRegion`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the prefix of
  /// `userPoolID` (`us-east-1_abc` → `us-east-1`). Endpoint: `explicitURL`, else
  /// `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, else `AWS_ENDPOINT_URL`, else
  /// `https://cognito-idp.<region>.amazonaws.com/`. Plain `http://` is refused unless the host is
  /// loopback (127.0.0.0/8, ::1, localhost), before any connection is made.
  public static func resolve(
    explicitURL: String?, explicitRegion: String?, userPoolID: String?,
    environment: [String: String]
  ) throws(CognitoError) -> CognitoEndpoint {
    func nonEmpty(_ value: String?) -> String? {
      guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
        return nil
      }
      return value
    }
    let region: String
    let regionSource: Source
    if let value = nonEmpty(explicitRegion) {
      (region, regionSource) = (value, .explicit)
    } else if let value = nonEmpty(environment["AWS_REGION"]) {
      (region, regionSource) = (value, .awsRegion)
    } else if let value = nonEmpty(environment["AWS_DEFAULT_REGION"]) {
      (region, regionSource) = (value, .awsDefaultRegion)
    } else if let pool = nonEmpty(userPoolID), let underscore = pool.firstIndex(of: "_"),
      underscore != pool.startIndex
    {
      (region, regionSource) = (String(pool[..<underscore]), .userPoolID)
    } else {
      throw .invalidConfiguration(
        "no region: give --region, set AWS_REGION, or give a user pool id such as us-east-1_AbC")
    }
    guard isValidRegion(region) else {
      throw .invalidConfiguration("'\(region)' is not a valid AWS region name")
    }

    let rawURL: String
    let urlSource: Source
    if let value = nonEmpty(explicitURL) {
      (rawURL, urlSource) = (value, .explicit)
    } else if let value = nonEmpty(environment["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"]) {
      (rawURL, urlSource) = (value, .serviceEnvironment)
    } else if let value = nonEmpty(environment["AWS_ENDPOINT_URL"]) {
      (rawURL, urlSource) = (value, .globalEnvironment)
    } else {
      let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
      (rawURL, urlSource) = ("https://cognito-idp.\(region).\(suffix)/", .regional)
    }
    let url = try validatedURL(rawURL)
    return CognitoEndpoint(
      url: url, region: region, urlSource: urlSource, regionSource: regionSource)
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
