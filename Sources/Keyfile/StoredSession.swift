public import AccountCore

/// What the keyfile protects: one signed-in session, bound to where it was made.
///
/// The endpoint, user pool and app client recorded here must match the settings in force before
/// any token in it is sent anywhere (see ``belongs(endpoint:userPoolID:clientID:)``).
public struct StoredSession: Sendable, Hashable, Codable {
  /// The endpoint URL the session was made at (and the only one its tokens go to).
  public var endpoint: String
  /// The region in force when the session was made.
  public var region: String
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
  /// This device, when Cognito tracks it for the user: its key and the password that proves it
  /// at sign-in (kept here and nowhere else). Absent in files written before devices.
  public var device: DeviceCredentials?

  /// Creates a session value.
  public init(
    endpoint: String, region: String, userPoolID: String, clientID: String, username: String,
    accessToken: Sensitive,
    idToken: Sensitive?, refreshToken: Sensitive, accessTokenExpiresAt: Int,
    idTokenExpiresAt: Int?, refreshTokenExpiresAt: Int?, clockDrift: Int, issuedAt: Int
  ) {
    self.endpoint = endpoint
    self.region = region
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

  /// The latest time a session may name: 2100-01-01T00:00:00Z (token claims are clamped to it too).
  public static let latestTime = 4_102_444_800

  /// This session with every time within 1970–2100 and the clock drift within as many seconds
  /// either way, so that no arithmetic on values read back from a keyfile can overflow.
  public func clamped() -> StoredSession {
    func time(_ value: Int) -> Int { min(max(value, 0), Self.latestTime) }
    var copy = self
    copy.accessTokenExpiresAt = time(accessTokenExpiresAt)
    copy.idTokenExpiresAt = idTokenExpiresAt.map(time)
    copy.refreshTokenExpiresAt = refreshTokenExpiresAt.map(time)
    copy.issuedAt = time(issuedAt)
    copy.clockDrift = min(max(clockDrift, -Self.latestTime), Self.latestTime)
    return copy
  }

  /// Whether this session was made at `endpoint` for `userPoolID` and `clientID`, so that its
  /// tokens may be used with those settings.
  public func belongs(endpoint: String, userPoolID: String, clientID: String) -> Bool {
    self.endpoint == endpoint && self.userPoolID == userPoolID && self.clientID == clientID
  }
}

extension StoredSession: JSONReadable, JSONWritable {
  /// Reads a session as the keyfile holds it: the member names are the property names, as
  /// Foundation's `JSONEncoder` wrote them before (`KeyfileStoreTests` reads and writes both
  /// ways).
  public init(json: JSONValue, at name: String) throws(JSONError) {
    endpoint = try json.required("endpoint", in: name)
    region = try json.required("region", in: name)
    userPoolID = try json.required("userPoolID", in: name)
    clientID = try json.required("clientID", in: name)
    username = try json.required("username", in: name)
    accessToken = try json.required("accessToken", in: name)
    idToken = try json.optional("idToken", in: name)
    refreshToken = try json.required("refreshToken", in: name)
    accessTokenExpiresAt = try json.required("accessTokenExpiresAt", in: name)
    idTokenExpiresAt = try json.optional("idTokenExpiresAt", in: name)
    refreshTokenExpiresAt = try json.optional("refreshTokenExpiresAt", in: name)
    clockDrift = try json.required("clockDrift", in: name)
    issuedAt = try json.required("issuedAt", in: name)
    device = try json.optional("device", in: name)
  }

  /// The session as the keyfile holds it, members sorted by name.
  public var json: JSONValue {
    var members: [JSONMember] = []
    members.append("accessToken", accessToken)
    members.append("accessTokenExpiresAt", accessTokenExpiresAt)
    members.append("clientID", clientID)
    members.append("clockDrift", clockDrift)
    members.append("device", device)
    members.append("endpoint", endpoint)
    members.append("idToken", idToken)
    members.append("idTokenExpiresAt", idTokenExpiresAt)
    members.append("issuedAt", issuedAt)
    members.append("refreshToken", refreshToken)
    members.append("refreshTokenExpiresAt", refreshTokenExpiresAt)
    members.append("region", region)
    members.append("userPoolID", userPoolID)
    members.append("username", username)
    return .object(members)
  }
}
