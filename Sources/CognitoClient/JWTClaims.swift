public import AccountCore
import FoundationEssentials

/// The claims of a Cognito JWT this client reads, decoded **without** verifying the signature.
///
/// The tool only ever reads claims of tokens it just received from Cognito over TLS, to learn
/// the canonical username and expiry times; it never grants anything on the strength of them.
public struct JWTClaims: Sendable, Hashable, JSONReadable {
  /// `username` (access tokens).
  public var username: String?
  /// `cognito:username` (ID tokens).
  public var cognitoUsername: String?
  /// `sub`.
  public var subject: String?
  /// `client_id` (access tokens).
  public var clientID: String?
  /// `token_use`: `access` or `id`.
  public var tokenUse: String?
  /// `iss`: `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
  public var issuer: String?
  /// `exp`, seconds since 1970.
  public var expiresAt: Int?
  /// `iat`, seconds since 1970.
  public var issuedAt: Int?
  /// `auth_time`, seconds since 1970.
  public var authTime: Int?
  /// `scope`.
  public var scope: String?

  /// Reads the claims from the payload's JSON object.
  public init(json: JSONValue, at name: String) throws(JSONError) {
    username = try json.optional("username", in: name)
    cognitoUsername = try json.optional("cognito:username", in: name)
    subject = try json.optional("sub", in: name)
    clientID = try json.optional("client_id", in: name)
    tokenUse = try json.optional("token_use", in: name)
    issuer = try json.optional("iss", in: name)
    expiresAt = try json.optional("exp", in: name)
    issuedAt = try json.optional("iat", in: name)
    authTime = try json.optional("auth_time", in: name)
    scope = try json.optional("scope", in: name)
  }

  /// The canonical username: `username`, else `cognito:username`.
  public var canonicalUsername: String? { username ?? cognitoUsername }

  /// The user-pool id from `iss`, if it has the Cognito form.
  public var userPoolID: String? {
    guard let issuer, let last = issuer.split(separator: "/").last, last.contains("_") else {
      return nil
    }
    return String(last)
  }

  /// Decodes the payload of a compact JWT; `nil` when it is not one.
  public init?(token: Sensitive) {
    let parts = token.reveal.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let payload = Self.base64URLDecode(parts[1]),
      let claims = try? JWTClaims(json: JSONValue.parse(payload), at: "claims")
    else { return nil }
    self = claims
    expiresAt = expiresAt.map(Self.clampTime)
    issuedAt = issuedAt.map(Self.clampTime)
    authTime = authTime.map(Self.clampTime)
  }

  /// The latest time a claim may name: 2100-01-01T00:00:00Z.
  public static let latestTime = 4_102_444_800

  /// A claimed time clamped to 1970…2100, so a hostile token cannot overflow the session's
  /// arithmetic (drift, expiry) and trap the program.
  static func clampTime(_ seconds: Int) -> Int { min(max(seconds, 0), latestTime) }

  static func base64URLDecode(_ text: Substring) -> Data? {
    var base64 = String(text).replacing("-", with: "+").replacing("_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    return Data(base64Encoded: base64)
  }
}
