public import AccountCore

/// What the keyfile protects: one signed-in session.
public struct StoredSession: Sendable, Hashable, Codable {
  /// The user-pool id.
  public var userPoolID: String
  /// The app client id.
  public var clientID: String
  /// The canonical username (the access token's `username` claim).
  public var username: String
  /// The access token.
  public var accessToken: Sensitive
  /// The ID token.
  public var idToken: Sensitive?
  /// The refresh token (weeks-long; the reason this file is encrypted).
  public var refreshToken: Sensitive
  /// When the access token expires, seconds since 1970 (from its `exp` claim).
  public var accessTokenExpiresAt: Int
  /// When the ID token expires, seconds since 1970.
  public var idTokenExpiresAt: Int?
  /// When the refresh token expires, if known (Cognito does not say; configuration may).
  public var refreshTokenExpiresAt: Int?
  /// Local clock minus the token's `iat`, measured when the tokens arrived, in seconds.
  public var clockDrift: Int
  /// When the tokens were issued (local clock), seconds since 1970.
  public var issuedAt: Int

  /// Creates a session value.
  public init(
    userPoolID: String, clientID: String, username: String, accessToken: Sensitive,
    idToken: Sensitive?, refreshToken: Sensitive, accessTokenExpiresAt: Int,
    idTokenExpiresAt: Int?, refreshTokenExpiresAt: Int?, clockDrift: Int, issuedAt: Int
  ) {
    self.userPoolID = userPoolID
    self.clientID = clientID
    self.username = username
    self.accessToken = accessToken
    self.idToken = idToken
    self.refreshToken = refreshToken
    self.accessTokenExpiresAt = accessTokenExpiresAt
    self.idTokenExpiresAt = idTokenExpiresAt
    self.refreshTokenExpiresAt = refreshTokenExpiresAt
    self.clockDrift = clockDrift
    self.issuedAt = issuedAt
  }
}
