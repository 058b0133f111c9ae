public import AccountCore

// Request and response shapes of the Cognito user-pool operations this tool uses.
// Names mirror botocore's service model (cognito-idp 2016-04-18); optional members are optional.

/// A user attribute: `AttributeType` in the service model.
public struct AttributeType: Sendable, Hashable, Codable {
  /// The attribute's wire name, for example `email` or `custom:team`.
  public var name: String
  /// The value; the model allows it to be absent.
  public var value: String?

  /// Creates an attribute.
  public init(name: String, value: String?) {
    self.name = name
    self.value = value
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case value = "Value"
  }
}

/// `MFAOptionType`: a legacy SMS MFA setting.
public struct MFAOptionType: Sendable, Hashable, Codable {
  /// `SMS` or `EMAIL`.
  public var deliveryMedium: String?
  /// Normally `phone_number`.
  public var attributeName: String?

  /// Creates an MFA option.
  public init(deliveryMedium: String?, attributeName: String?) {
    self.deliveryMedium = deliveryMedium
    self.attributeName = attributeName
  }

  enum CodingKeys: String, CodingKey {
    case deliveryMedium = "DeliveryMedium"
    case attributeName = "AttributeName"
  }
}

/// `GetUserRequest`.
public struct GetUserRequest: Sendable, Encodable {
  /// The user's access token.
  public var accessToken: Sensitive
  /// Creates the request.
  public init(accessToken: Sensitive) { self.accessToken = accessToken }
  enum CodingKeys: String, CodingKey { case accessToken = "AccessToken" }
}

/// `GetUserResponse`.
public struct GetUserResponse: Sendable, Hashable, Codable {
  /// The user's name (the canonical username).
  public var username: String
  /// The attributes readable by this app client, in server order.
  public var userAttributes: [AttributeType]
  /// Legacy SMS MFA settings, when the server sends them.
  public var mfaOptions: [MFAOptionType]?
  /// The preferred MFA method, when the server sends it.
  public var preferredMfaSetting: String?
  /// The MFA methods enabled for the user, when the server sends them.
  public var userMFASettingList: [String]?

  /// Creates a response value.
  public init(
    username: String, userAttributes: [AttributeType], mfaOptions: [MFAOptionType]? = nil,
    preferredMfaSetting: String? = nil, userMFASettingList: [String]? = nil
  ) {
    self.username = username
    self.userAttributes = userAttributes
    self.mfaOptions = mfaOptions
    self.preferredMfaSetting = preferredMfaSetting
    self.userMFASettingList = userMFASettingList
  }

  enum CodingKeys: String, CodingKey {
    case username = "Username"
    case userAttributes = "UserAttributes"
    case mfaOptions = "MFAOptions"
    case preferredMfaSetting = "PreferredMfaSetting"
    case userMFASettingList = "UserMFASettingList"
  }
}

/// `DeleteUserAttributesRequest`.
public struct DeleteUserAttributesRequest: Sendable, Encodable {
  /// The exact wire names to remove.
  public var userAttributeNames: [String]
  /// The user's access token.
  public var accessToken: Sensitive
  /// Creates the request.
  public init(userAttributeNames: [String], accessToken: Sensitive) {
    self.userAttributeNames = userAttributeNames
    self.accessToken = accessToken
  }
  enum CodingKeys: String, CodingKey {
    case userAttributeNames = "UserAttributeNames"
    case accessToken = "AccessToken"
  }
}

/// `UpdateUserAttributesRequest`.
public struct UpdateUserAttributesRequest: Sendable, Encodable {
  /// The attributes to set.
  public var userAttributes: [AttributeType]
  /// The user's access token.
  public var accessToken: Sensitive
  /// Values passed to Lambda triggers.
  public var clientMetadata: [String: String]?
  /// Creates the request.
  public init(
    userAttributes: [AttributeType], accessToken: Sensitive, clientMetadata: [String: String]? = nil
  ) {
    self.userAttributes = userAttributes
    self.accessToken = accessToken
    self.clientMetadata = clientMetadata
  }
  enum CodingKeys: String, CodingKey {
    case userAttributes = "UserAttributes"
    case accessToken = "AccessToken"
    case clientMetadata = "ClientMetadata"
  }
}

/// `CodeDeliveryDetailsType`: where a verification code went.
public struct CodeDeliveryDetailsType: Sendable, Hashable, Codable {
  /// The (masked) email address or phone number.
  public var destination: String?
  /// `SMS` or `EMAIL`.
  public var deliveryMedium: String?
  /// The attribute being verified.
  public var attributeName: String?
  enum CodingKeys: String, CodingKey {
    case destination = "Destination"
    case deliveryMedium = "DeliveryMedium"
    case attributeName = "AttributeName"
  }
}

/// `UpdateUserAttributesResponse`.
public struct UpdateUserAttributesResponse: Sendable, Hashable, Codable {
  /// Verification codes sent because email or phone number changed.
  public var codeDeliveryDetailsList: [CodeDeliveryDetailsType]?
  enum CodingKeys: String, CodingKey { case codeDeliveryDetailsList = "CodeDeliveryDetailsList" }
}

/// An operation whose success carries no members (`{}` or an empty body).
public struct EmptyResponse: Sendable, Hashable, Codable {
  /// Creates the empty value.
  public init() {}
}

/// `AuthFlowType` values this client starts.
public enum AuthFlow: String, Sendable, Codable {
  /// Secure Remote Password: the password never leaves the machine.
  case userSRPAuth = "USER_SRP_AUTH"
  /// The password is sent to Cognito over TLS.
  case userPasswordAuth = "USER_PASSWORD_AUTH"
  /// New access and ID tokens from a refresh token.
  case refreshTokenAuth = "REFRESH_TOKEN_AUTH"
}

/// `InitiateAuthRequest`.
public struct InitiateAuthRequest: Sendable, Encodable {
  /// The flow to start.
  public var authFlow: AuthFlow
  /// Flow parameters (USERNAME, SRP_A, PASSWORD, REFRESH_TOKEN, SECRET_HASH …); all sensitive.
  public var authParameters: [String: Sensitive]
  /// The app client.
  public var clientId: String
  /// Values passed to Lambda triggers.
  public var clientMetadata: [String: String]?
  /// Creates the request.
  public init(
    authFlow: AuthFlow, authParameters: [String: Sensitive], clientId: String,
    clientMetadata: [String: String]? = nil
  ) {
    self.authFlow = authFlow
    self.authParameters = authParameters
    self.clientId = clientId
    self.clientMetadata = clientMetadata
  }
  enum CodingKeys: String, CodingKey {
    case authFlow = "AuthFlow"
    case authParameters = "AuthParameters"
    case clientId = "ClientId"
    case clientMetadata = "ClientMetadata"
  }
}

/// `NewDeviceMetadataType`.
public struct NewDeviceMetadataType: Sendable, Hashable, Codable {
  /// The device key.
  public var deviceKey: String?
  /// The device group key.
  public var deviceGroupKey: String?
  enum CodingKeys: String, CodingKey {
    case deviceKey = "DeviceKey"
    case deviceGroupKey = "DeviceGroupKey"
  }
}

/// `AuthenticationResultType`: the tokens of a completed sign-in or refresh.
public struct AuthenticationResultType: Sendable, Hashable, Codable {
  /// The access token (authorises the user-token operations).
  public var accessToken: Sensitive?
  /// Lifetime of the access and ID tokens, in seconds.
  public var expiresIn: Int?
  /// Normally `Bearer`.
  public var tokenType: String?
  /// The refresh token: absent on a refresh without rotation.
  public var refreshToken: Sensitive?
  /// The ID token.
  public var idToken: Sensitive?
  /// Present when the pool remembers devices.
  public var newDeviceMetadata: NewDeviceMetadataType?

  /// Creates a result value.
  public init(
    accessToken: Sensitive?, expiresIn: Int?, tokenType: String?, refreshToken: Sensitive?,
    idToken: Sensitive?, newDeviceMetadata: NewDeviceMetadataType? = nil
  ) {
    self.accessToken = accessToken
    self.expiresIn = expiresIn
    self.tokenType = tokenType
    self.refreshToken = refreshToken
    self.idToken = idToken
    self.newDeviceMetadata = newDeviceMetadata
  }

  enum CodingKeys: String, CodingKey {
    case accessToken = "AccessToken"
    case expiresIn = "ExpiresIn"
    case tokenType = "TokenType"
    case refreshToken = "RefreshToken"
    case idToken = "IdToken"
    case newDeviceMetadata = "NewDeviceMetadata"
  }
}

/// `InitiateAuthResponse` and `RespondToAuthChallengeResponse` (the latter lacks
/// `AvailableChallenges`).
public struct AuthResponse: Sendable, Hashable, Codable {
  /// The next challenge, as the server names it (kept raw so unknown ones survive).
  public var challengeName: String?
  /// The opaque session to send back with the answer.
  public var session: Sensitive?
  /// Challenge parameters (SALT, SRP_B, USER_ID_FOR_SRP, MFAS_CAN_SELECT, …).
  public var challengeParameters: [String: String]?
  /// Tokens, when sign-in is complete.
  public var authenticationResult: AuthenticationResultType?
  /// Challenges offered by choice-based sign-in.
  public var availableChallenges: [String]?

  enum CodingKeys: String, CodingKey {
    case challengeName = "ChallengeName"
    case session = "Session"
    case challengeParameters = "ChallengeParameters"
    case authenticationResult = "AuthenticationResult"
    case availableChallenges = "AvailableChallenges"
  }
}

/// `RespondToAuthChallengeRequest`.
public struct RespondToAuthChallengeRequest: Sendable, Encodable {
  /// The app client.
  public var clientId: String
  /// The challenge being answered.
  public var challengeName: String
  /// The session from the challenge.
  public var session: Sensitive?
  /// The answers (USERNAME, NEW_PASSWORD, SOFTWARE_TOKEN_MFA_CODE, SECRET_HASH, …); all sensitive.
  public var challengeResponses: [String: Sensitive]
  /// Values passed to Lambda triggers.
  public var clientMetadata: [String: String]?
  /// Creates the request.
  public init(
    clientId: String, challengeName: String, session: Sensitive?,
    challengeResponses: [String: Sensitive], clientMetadata: [String: String]? = nil
  ) {
    self.clientId = clientId
    self.challengeName = challengeName
    self.session = session
    self.challengeResponses = challengeResponses
    self.clientMetadata = clientMetadata
  }
  enum CodingKeys: String, CodingKey {
    case clientId = "ClientId"
    case challengeName = "ChallengeName"
    case session = "Session"
    case challengeResponses = "ChallengeResponses"
    case clientMetadata = "ClientMetadata"
  }
}

/// `GetTokensFromRefreshTokenRequest` (app clients with refresh-token rotation).
public struct GetTokensFromRefreshTokenRequest: Sendable, Encodable {
  /// The refresh token; invalidated by the call when rotation is on.
  public var refreshToken: Sensitive
  /// The app client.
  public var clientId: String
  /// The app client's secret, when it has one (this operation takes the secret, not a hash).
  public var clientSecret: Sensitive?
  /// The remembered device, if any.
  public var deviceKey: String?
  /// Creates the request.
  public init(
    refreshToken: Sensitive, clientId: String, clientSecret: Sensitive?, deviceKey: String? = nil
  ) {
    self.refreshToken = refreshToken
    self.clientId = clientId
    self.clientSecret = clientSecret
    self.deviceKey = deviceKey
  }
  enum CodingKeys: String, CodingKey {
    case refreshToken = "RefreshToken"
    case clientId = "ClientId"
    case clientSecret = "ClientSecret"
    case deviceKey = "DeviceKey"
  }
}

/// `GetTokensFromRefreshTokenResponse`.
public struct GetTokensFromRefreshTokenResponse: Sendable, Hashable, Codable {
  /// The new tokens, including a new refresh token when rotation is on.
  public var authenticationResult: AuthenticationResultType?
  enum CodingKeys: String, CodingKey { case authenticationResult = "AuthenticationResult" }
}

/// `GlobalSignOutRequest`.
public struct GlobalSignOutRequest: Sendable, Encodable {
  /// The user's access token.
  public var accessToken: Sensitive
  /// Creates the request.
  public init(accessToken: Sensitive) { self.accessToken = accessToken }
  enum CodingKeys: String, CodingKey { case accessToken = "AccessToken" }
}

/// `RevokeTokenRequest`.
public struct RevokeTokenRequest: Sendable, Encodable {
  /// The refresh token to revoke.
  public var token: Sensitive
  /// The app client that issued it.
  public var clientId: String
  /// The app client's secret, when it has one.
  public var clientSecret: Sensitive?
  /// Creates the request.
  public init(token: Sensitive, clientId: String, clientSecret: Sensitive?) {
    self.token = token
    self.clientId = clientId
    self.clientSecret = clientSecret
  }
  enum CodingKeys: String, CodingKey {
    case token = "Token"
    case clientId = "ClientId"
    case clientSecret = "ClientSecret"
  }
}
