public import AccountCore
public import FoundationEssentials

/// How the password is proven at sign-in: the `AuthFlow` values this tool signs in with.
public enum SignInFlow: String, Sendable, Hashable, Codable {
  /// `USER_SRP_AUTH`: the password never leaves the machine (the default).
  case userSRPAuth = "USER_SRP_AUTH"
  /// `USER_PASSWORD_AUTH`: the password is sent over TLS (for pools that require it).
  case userPasswordAuth = "USER_PASSWORD_AUTH"
}

/// The app client a user signs in through.
public struct AppClient: Sendable, Hashable {
  /// The user-pool id, `<region>_<name>`.
  public var userPoolID: String
  /// The app client id.
  public var clientID: String
  /// The app client's secret, when it has one.
  public var clientSecret: Sensitive?

  /// Creates an app-client description.
  public init(userPoolID: String, clientID: String, clientSecret: Sensitive? = nil) {
    self.userPoolID = userPoolID
    self.clientID = clientID
    self.clientSecret = clientSecret
  }

  /// The pool's name: the part of the id after the underscore (used in SRP).
  public var poolName: String {
    userPoolID.split(separator: "_", maxSplits: 1).dropFirst().first.map(String.init) ?? userPoolID
  }

  /// The SECRET_HASH for `username`, when the client has a secret.
  public func secretHash(for username: String) -> Sensitive? {
    clientSecret.map {
      SecretHash.compute(username: username, clientID: clientID, clientSecret: $0)
    }
  }
}

/// A challenge the user must answer before sign-in completes.
public struct PendingChallenge: Sendable {
  /// What the challenge asks for.
  public enum Kind: Sendable, Hashable {
    /// A new password (the account has a temporary one).
    case newPasswordRequired
    /// A code from an authenticator app.
    case softwareTokenMFA
    /// A code sent by SMS.
    case smsMFA
    /// A code sent by email.
    case emailOTP
    /// A choice among MFA methods (`SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`).
    case selectMFAType(options: [String])
    /// `MFA_SETUP`: the pool requires MFA and the user has none; the methods that may be set
    /// up (`MFAS_CAN_SETUP`). ``CognitoAuthenticator/beginTOTPSetup(_:)`` turns it into
    /// ``softwareTokenSetup(secret:)``.
    case mfaSetup(options: [String])
    /// `MFA_SETUP` with an authenticator-app secret to show (`AssociateSoftwareToken` with the
    /// sign-in session): answer with ``ChallengeAnswer/totpSetup(code:deviceName:)``.
    case softwareTokenSetup(secret: Sensitive)
    /// A challenge this tool cannot complete (CUSTOM_CHALLENGE, WEB_AUTHN, …).
    case unsupported
  }

  /// What to answer.
  public var kind: Kind
  /// The challenge name as Cognito sent it.
  public var name: String
  /// The session to send back.
  public var session: Sensitive?
  /// The canonical username to answer with.
  public var username: String
  /// Where a code was sent (`CODE_DELIVERY_DESTINATION`), when Cognito says.
  public var codeDestination: String?
  /// The remembered device this sign-in proves, if any (its later challenges are answered
  /// with it).
  public var device: DeviceCredentials?
  /// Whether the previous answer to this same challenge was refused (a wrong code while setting
  /// up an authenticator app: the same secret, asked again).
  public var previousAnswerRefused = false

  /// Creates a pending challenge.
  public init(
    kind: Kind, name: String, session: Sensitive?, username: String, codeDestination: String?,
    device: DeviceCredentials? = nil
  ) {
    self.kind = kind
    self.name = name
    self.session = session
    self.username = username
    self.codeDestination = codeDestination
    self.device = device
  }
}

/// An answer to a ``PendingChallenge``.
public enum ChallengeAnswer: Sendable {
  /// For ``PendingChallenge/Kind/newPasswordRequired``.
  case newPassword(Sensitive)
  /// For the MFA and OTP challenges.
  case code(Sensitive)
  /// For ``PendingChallenge/Kind/selectMFAType(options:)``: one of the offered names.
  case mfaType(String)
  /// For ``PendingChallenge/Kind/softwareTokenSetup(secret:)``: the app's first code and the
  /// name to give the app (`FriendlyDeviceName`).
  case totpSetup(code: Sensitive, deviceName: String?)
}

/// Finds the remembered device of a user by name (the name typed, then the canonical username
/// Cognito names in its first challenge); nil when there is none.
public typealias DeviceLookup = @Sendable (String) -> DeviceCredentials?

/// Where a sign-in stands after one exchange.
public enum SignInStep: Sendable {
  /// Done: the tokens and the canonical username.
  case signedIn(AuthenticationResultType, username: String)
  /// Cognito asks for more.
  case challenge(PendingChallenge)
}

/// Cognito's sign-in protocol: the flows, SRP, SECRET_HASH and the challenge answers.
///
/// It holds no state between calls; the caller keeps the ``PendingChallenge``.
public struct CognitoAuthenticator: Sendable {
  /// The client used for the calls.
  public let client: CognitoClient
  /// The app client signed in through.
  public let appClient: AppClient
  private let makeSRP: @Sendable () throws(CognitoError) -> SRPClient
  private let now: @Sendable () -> Date

  /// Creates an authenticator.
  ///
  /// - Parameters:
  ///   - makeSRP: creates the SRP exchange (tests inject a fixed private value).
  ///   - now: the clock for the SRP timestamp.
  public init(
    client: CognitoClient, appClient: AppClient,
    makeSRP: @escaping @Sendable () throws(CognitoError) -> SRPClient = { () throws(CognitoError) in
      try SRPClient()
    },
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.client = client
    self.appClient = appClient
    self.makeSRP = makeSRP
    self.now = now
  }

  /// Starts sign-in with `USER_SRP_AUTH` (default) or `USER_PASSWORD_AUTH`.
  ///
  /// With SRP the `PASSWORD_VERIFIER` challenge is answered here. With `device`, the user's
  /// remembered device (looked up by the name typed, and with SRP by the canonical username
  /// Cognito answers with) goes with the sign-in (`DEVICE_KEY`), and the `DEVICE_SRP_AUTH` /
  /// `DEVICE_PASSWORD_VERIFIER` challenges are answered here too; a refusal of the device is
  /// ``CognitoError/deviceRefused(_:)``, after which a sign-in without it may follow. The caller
  /// sees only the challenges that need the user.
  public func signIn(
    username: String, password: Sensitive, flow: SignInFlow = .userSRPAuth,
    device lookup: DeviceLookup? = nil
  ) async throws(CognitoError) -> SignInStep {
    let typedDevice = Self.registeredDevice(lookup, username)
    switch flow {
    case .userPasswordAuth:
      var parameters: [String: Sensitive] = ["USERNAME": Sensitive(username), "PASSWORD": password]
      parameters["SECRET_HASH"] = appClient.secretHash(for: username)
      parameters["DEVICE_KEY"] = typedDevice.map { Sensitive($0.key) }
      let response: InitiateAuthResponse
      do {
        response = try await client.initiateAuth(
          InitiateAuthRequest(
            authFlow: .userPasswordAuth, authParameters: parameters, clientId: appClient.clientID))
      } catch {
        throw Self.deviceError(error, sent: typedDevice != nil)
      }
      return try await advance(response, fallbackUsername: username, device: typedDevice)
    case .userSRPAuth:
      let srp = try makeSRP()
      var parameters: [String: Sensitive] = [
        "USERNAME": Sensitive(username), "SRP_A": Sensitive(srp.publicValueHex),
      ]
      parameters["SECRET_HASH"] = appClient.secretHash(for: username)
      parameters["DEVICE_KEY"] = typedDevice.map { Sensitive($0.key) }
      let response: InitiateAuthResponse
      do {
        response = try await client.initiateAuth(
          InitiateAuthRequest(
            authFlow: .userSrpAuth, authParameters: parameters, clientId: appClient.clientID))
      } catch {
        throw Self.deviceError(error, sent: typedDevice != nil)
      }
      guard response.challengeName == "PASSWORD_VERIFIER" else {
        return try await advance(response, fallbackUsername: username, device: typedDevice)
      }
      return try await answerPasswordVerifier(
        response, srp: srp, password: password, typedUsername: username,
        device: typedDevice, lookup: lookup)
    }
  }

  /// Turns `MFA_SETUP` into an authenticator-app enrolment: a secret for the app
  /// (`AssociateSoftwareToken` with the sign-in session) and the session to answer with.
  public func beginTOTPSetup(_ challenge: PendingChallenge) async throws(CognitoError)
    -> PendingChallenge
  {
    guard case .mfaSetup = challenge.kind, let session = challenge.session else {
      throw .authenticationFailed("only the MFA_SETUP challenge sets up an authenticator app")
    }
    let answer = try await client.associateSoftwareToken(session: session)
    guard let secret = answer.secretCode, !secret.isEmpty else {
      throw .malformedResponse(operation: "AssociateSoftwareToken", httpStatus: 200)
    }
    var next = challenge
    next.kind = .softwareTokenSetup(secret: secret)
    next.session = answer.session ?? session
    return next
  }

  /// Answers a challenge and returns the next step.
  public func respond(to challenge: PendingChallenge, with answer: ChallengeAnswer)
    async throws(CognitoError) -> SignInStep
  {
    var responses: [String: Sensitive] = ["USERNAME": Sensitive(challenge.username)]
    switch (challenge.kind, answer) {
    case (.newPasswordRequired, .newPassword(let password)):
      responses["NEW_PASSWORD"] = password
    case (.softwareTokenMFA, .code(let code)):
      responses["SOFTWARE_TOKEN_MFA_CODE"] = code
    case (.smsMFA, .code(let code)):
      responses["SMS_MFA_CODE"] = code
    case (.emailOTP, .code(let code)):
      responses["EMAIL_OTP_CODE"] = code
    case (.softwareTokenSetup, .totpSetup(let code, let deviceName)):
      guard let session = challenge.session else {
        throw .authenticationFailed("the MFA_SETUP challenge came without a session")
      }
      let verified = try await client.verifySoftwareToken(
        code: code, deviceName: deviceName, session: session)
      guard verified.status == nil || verified.status == "SUCCESS" else {
        throw .authenticationFailed(
          "Cognito did not accept the authenticator app (VerifySoftwareToken: "
            + "\(verified.status ?? ""))")
      }
      var responses: [String: Sensitive] = ["USERNAME": Sensitive(challenge.username)]
      responses["SECRET_HASH"] = appClient.secretHash(for: challenge.username)
      let response = try await client.respondToAuthChallenge(
        RespondToAuthChallengeRequest(
          clientId: appClient.clientID, challengeName: "MFA_SETUP",
          session: verified.session ?? session, challengeResponses: responses))
      return try await advance(
        response, fallbackUsername: challenge.username, device: challenge.device)
    case (.selectMFAType(let options), .mfaType(let choice)):
      guard options.isEmpty || options.contains(choice) else {
        throw .authenticationFailed("'\(choice)' is not one of the offered MFA methods")
      }
      responses["ANSWER"] = Sensitive(choice)
    case (.unsupported, _), (.mfaSetup, _):
      throw .authenticationFailed(Self.unsupportedMessage(challenge.name))
    default:
      throw .authenticationFailed("that answer does not fit the \(challenge.name) challenge")
    }
    responses["SECRET_HASH"] = appClient.secretHash(for: challenge.username)
    let response = try await client.respondToAuthChallenge(
      RespondToAuthChallengeRequest(
        clientId: appClient.clientID, challengeName: challenge.name, session: challenge.session,
        challengeResponses: responses))
    return try await advance(
      response, fallbackUsername: challenge.username, device: challenge.device)
  }

  /// New tokens from a refresh token.
  ///
  /// - Parameters:
  ///   - username: the canonical username (the access token's `username` claim), used for
  ///     SECRET_HASH; never a typed alias.
  ///   - rotation: `true` for app clients with refresh-token rotation
  ///     (`GetTokensFromRefreshToken`, which returns a new refresh token); otherwise
  ///     `REFRESH_TOKEN_AUTH`, whose result has no refresh token.
  ///   - deviceKey: the remembered device's key: a pool that tracks devices refuses a refresh
  ///     without it.
  public func refresh(
    refreshToken: Sensitive, username: String, rotation: Bool, deviceKey: String? = nil
  ) async throws(CognitoError) -> AuthenticationResultType {
    if rotation {
      let response = try await client.getTokensFromRefreshToken(
        GetTokensFromRefreshTokenRequest(
          refreshToken: refreshToken, clientId: appClient.clientID,
          clientSecret: appClient.clientSecret, deviceKey: deviceKey))
      guard let result = response.authenticationResult, result.accessToken != nil else {
        throw .malformedResponse(operation: "GetTokensFromRefreshToken", httpStatus: 200)
      }
      return result
    }
    var parameters: [String: Sensitive] = ["REFRESH_TOKEN": refreshToken]
    parameters["SECRET_HASH"] = appClient.secretHash(for: username)
    parameters["DEVICE_KEY"] = deviceKey.map { Sensitive($0) }
    let response = try await client.initiateAuth(
      InitiateAuthRequest(
        authFlow: .refreshTokenAuth, authParameters: parameters, clientId: appClient.clientID))
    guard let result = response.authenticationResult, result.accessToken != nil else {
      throw .malformedResponse(operation: "InitiateAuth", httpStatus: 200)
    }
    return result
  }

  // MARK: Internals

  private func answerPasswordVerifier(
    _ response: any SignInAnswer, srp: SRPClient, password: Sensitive, typedUsername: String,
    device typedDevice: DeviceCredentials?, lookup: DeviceLookup?
  ) async throws(CognitoError) -> SignInStep {
    let parameters = response.challengeParameters ?? [:]
    guard let userIDForSRP = parameters["USER_ID_FOR_SRP"], let salt = parameters["SALT"],
      let serverPublic = parameters["SRP_B"], let secretBlock = parameters["SECRET_BLOCK"]
    else { throw .malformedResponse(operation: "InitiateAuth", httpStatus: 200) }
    // Cognito's challenge USERNAME is the canonical (internal) username, equal to
    // USER_ID_FOR_SRP on AWS; moto puts the sub in USER_ID_FOR_SRP but the username in USERNAME,
    // so answering with USERNAME (falling back to USER_ID_FOR_SRP) works on both.
    let canonical = parameters["USERNAME"] ?? userIDForSRP
    // The device is the user's by the name Cognito knows them by (the typed one may be an alias).
    let device = typedDevice ?? Self.registeredDevice(lookup, canonical)
    let claim = try srp.passwordClaim(
      poolName: appClient.poolName, userIDForSRP: userIDForSRP, password: password,
      saltHex: salt, serverPublicHex: serverPublic, secretBlockBase64: secretBlock, date: now())
    var responses: [String: Sensitive] = [
      "USERNAME": Sensitive(canonical),
      "PASSWORD_CLAIM_SECRET_BLOCK": Sensitive(secretBlock),
      "PASSWORD_CLAIM_SIGNATURE": claim.signature,
      "TIMESTAMP": Sensitive(claim.timestamp),
    ]
    responses["SECRET_HASH"] = appClient.secretHash(for: canonical)
    responses["DEVICE_KEY"] = device.map { Sensitive($0.key) }
    let next: RespondToAuthChallengeResponse
    do {
      next = try await client.respondToAuthChallenge(
        RespondToAuthChallengeRequest(
          clientId: appClient.clientID, challengeName: "PASSWORD_VERIFIER",
          session: response.session, challengeResponses: responses))
    } catch {
      throw Self.deviceError(error, sent: device != nil)
    }
    return try await advance(next, fallbackUsername: canonical, device: device)
  }

  /// A sign-in that named a device and was refused with ResourceNotFoundException ("Device does
  /// not exist": forgotten elsewhere) is a refusal of the device, not of the pool or client; in
  /// the device challenges themselves (`provingDevice`), so is a NotAuthorizedException.
  private static func deviceError(_ error: CognitoError, sent: Bool, provingDevice: Bool = false)
    -> CognitoError
  {
    guard sent, case .service(let service) = error,
      service.code == .resourceNotFound || (provingDevice && service.code == .notAuthorized)
    else { return error }
    return .deviceRefused(service)
  }

  /// The registered device `lookup` finds for `name`, if any.
  private static func registeredDevice(_ lookup: DeviceLookup?, _ name: String)
    -> DeviceCredentials?
  {
    lookup?(name).flatMap { $0.isRegistered ? $0 : nil }
  }

  /// The next step after `response`, answering the device challenges with `device` first
  /// (they need no one): `DEVICE_SRP_AUTH` with a fresh SRP `A`, then
  /// `DEVICE_PASSWORD_VERIFIER` with the device password's claim.
  private func advance(
    _ response: any SignInAnswer, fallbackUsername: String, device: DeviceCredentials?
  ) async throws(CognitoError) -> SignInStep {
    guard response.challengeName == "DEVICE_SRP_AUTH", let device else {
      return try step(from: response, fallbackUsername: fallbackUsername, device: device)
    }
    let username = response.challengeParameters?["USERNAME"] ?? fallbackUsername
    let srp = try makeSRP()
    var responses: [String: Sensitive] = [
      "USERNAME": Sensitive(username), "DEVICE_KEY": Sensitive(device.key),
      "SRP_A": Sensitive(srp.publicValueHex),
    ]
    responses["SECRET_HASH"] = appClient.secretHash(for: username)
    let challenge: RespondToAuthChallengeResponse
    do {
      challenge = try await client.respondToAuthChallenge(
        RespondToAuthChallengeRequest(
          clientId: appClient.clientID, challengeName: "DEVICE_SRP_AUTH",
          session: response.session, challengeResponses: responses))
    } catch {
      throw Self.deviceError(error, sent: true, provingDevice: true)
    }
    guard challenge.challengeName == "DEVICE_PASSWORD_VERIFIER" else {
      return try step(from: challenge, fallbackUsername: username, device: device)
    }
    let parameters = challenge.challengeParameters ?? [:]
    guard let salt = parameters["SALT"], let serverPublic = parameters["SRP_B"],
      let secretBlock = parameters["SECRET_BLOCK"]
    else { throw .malformedResponse(operation: "RespondToAuthChallenge", httpStatus: 200) }
    let claimant = parameters["USERNAME"] ?? username
    let claim = try srp.devicePasswordClaim(
      device, saltHex: salt, serverPublicHex: serverPublic, secretBlockBase64: secretBlock,
      date: now())
    var answer: [String: Sensitive] = [
      "USERNAME": Sensitive(claimant), "DEVICE_KEY": Sensitive(device.key),
      "PASSWORD_CLAIM_SECRET_BLOCK": Sensitive(secretBlock),
      "PASSWORD_CLAIM_SIGNATURE": claim.signature, "TIMESTAMP": Sensitive(claim.timestamp),
    ]
    answer["SECRET_HASH"] = appClient.secretHash(for: claimant)
    let next: RespondToAuthChallengeResponse
    do {
      next = try await client.respondToAuthChallenge(
        RespondToAuthChallengeRequest(
          clientId: appClient.clientID, challengeName: "DEVICE_PASSWORD_VERIFIER",
          session: challenge.session, challengeResponses: answer))
    } catch {
      // The password was right (it was checked before): the device's proof is what failed.
      throw Self.deviceError(error, sent: true, provingDevice: true)
    }
    // A second device challenge would loop; Cognito asks for one at most.
    return try step(from: next, fallbackUsername: claimant, device: device)
  }

  private func step(
    from response: any SignInAnswer, fallbackUsername: String, device: DeviceCredentials?
  ) throws(CognitoError) -> SignInStep {
    if let result = response.authenticationResult, let accessToken = result.accessToken {
      let username = JWTClaims(token: accessToken)?.canonicalUsername ?? fallbackUsername
      return .signedIn(result, username: username)
    }
    guard let name = response.challengeName, !name.isEmpty else {
      throw .malformedResponse(operation: "InitiateAuth", httpStatus: 200)
    }
    let parameters = response.challengeParameters ?? [:]
    let username = parameters["USERNAME"] ?? parameters["USER_ID_FOR_SRP"] ?? fallbackUsername
    let kind: PendingChallenge.Kind
    switch name {
    case "NEW_PASSWORD_REQUIRED": kind = .newPasswordRequired
    case "SOFTWARE_TOKEN_MFA": kind = .softwareTokenMFA
    case "SMS_MFA": kind = .smsMFA
    case "EMAIL_OTP": kind = .emailOTP
    case "SELECT_MFA_TYPE":
      kind = .selectMFAType(options: Self.parseList(parameters["MFAS_CAN_CHOOSE"]))
    case "MFA_SETUP":
      kind = .mfaSetup(options: Self.parseList(parameters["MFAS_CAN_SETUP"]))
    default: kind = .unsupported
    }
    return .challenge(
      PendingChallenge(
        kind: kind, name: name, session: response.session, username: username,
        codeDestination: parameters["CODE_DELIVERY_DESTINATION"], device: device))
  }

  /// The message for a challenge this tool cannot complete.
  public static func unsupportedMessage(_ name: String) -> String {
    "Cognito asks for the \(name) challenge, which this tool cannot complete: "
      + "sign in once in your app or the hosted sign-in page to finish it, then try again"
  }

  /// Parses `MFAS_CAN_CHOOSE`, a JSON array in a string (`["SMS_MFA","SOFTWARE_TOKEN_MFA"]`).
  static func parseList(_ value: String?) -> [String] {
    guard let value, let list = try? [String](json: JSONValue.parse(Array(value.utf8)), at: "list")
    else { return [] }
    return list
  }
}
