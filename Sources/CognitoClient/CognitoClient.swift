public import AccountCore
public import FoundationEssentials
public import HTTPStack

/// A client for the Amazon Cognito user-pool operations that a signed-in user may call.
///
/// It speaks AWS JSON 1.1 exactly: `POST /`, `Content-Type: application/x-amz-json-1.1`,
/// `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, and no request signing (the
/// service model marks these operations `smithy.api#noAuth`). Retries follow ``RetryPolicy``;
/// errors are ``CognitoError`` values whose text never holds a token, password or secret.
public struct CognitoClient: Sendable {
  /// The service's `X-Amz-Target` prefix.
  public static let targetPrefix = "AWSCognitoIdentityProviderService"
  /// The AWS JSON 1.1 content type.
  public static let contentType = "application/x-amz-json-1.1"

  /// Where requests go.
  public let endpoint: URL
  /// The retry policy in force.
  public let retryPolicy: RetryPolicy
  private let transport: any HTTPTransport
  private let sleep: @Sendable (Duration) async throws -> Void
  private let random: @Sendable () -> Double
  private let userAgent: String
  private let observer: (@Sendable (AttemptRecord) -> Void)?
  private let signer: RequestSigner?

  /// Signs each attempt of a request just before it is sent (SigV4 for the administrator
  /// operations, with credentials renewed as needed); the user operations are unsigned.
  public typealias RequestSigner = @Sendable (HTTPRequest) async throws(CognitoError) -> HTTPRequest

  /// One attempt, as a log line may show it: no token, body or message.
  public struct AttemptRecord: Sendable {
    /// The operation (`GetUser`, …).
    public var operation: String
    /// 1 for the first attempt.
    public var attempt: Int
    /// `HTTP 200`, the exception name, or the transport failure.
    public var outcome: String
    /// How long the attempt took.
    public var duration: Duration
    /// The request id AWS answered with (`x-amzn-RequestId`), if any.
    public var requestID: String? = nil
  }

  /// Creates a client.
  ///
  /// - Parameters:
  ///   - transport: sends the bytes; tests pass a transport aimed at a loopback server.
  ///   - sleep: waits between retries; tests pass one that records instead of waiting.
  ///   - random: returns a number in `0..<1` for backoff jitter.
  ///   - signer: signs every attempt (administrator operations); nil sends requests unsigned.
  public init(
    endpoint: URL,
    transport: any HTTPTransport = SocketTransport(),
    retryPolicy: RetryPolicy = .standard,
    userAgent: String = "cognito-account",
    sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
    observer: (@Sendable (AttemptRecord) -> Void)? = nil,
    signer: RequestSigner? = nil
  ) {
    self.observer = observer
    self.signer = signer
    self.endpoint = endpoint
    self.transport = transport
    self.retryPolicy = retryPolicy
    self.userAgent = userAgent
    self.sleep = sleep
    self.random = random
  }

  // MARK: Operations

  /// `GetUser`: the signed-in user's name and attributes.
  public func getUser(accessToken: Sensitive) async throws(CognitoError) -> GetUserResponse {
    try await call(
      "GetUser", GetUserRequest(accessToken: accessToken), secrets: [accessToken])
  }

  /// `DeleteUserAttributes`: removes the named attributes (exact wire names) in one call.
  public func deleteUserAttributes(names: [String], accessToken: Sensitive)
    async throws(CognitoError)
  {
    let _: DeleteUserAttributesResponse = try await call(
      "DeleteUserAttributes",
      DeleteUserAttributesRequest(userAttributeNames: names, accessToken: accessToken),
      secrets: [accessToken])
  }

  /// `GetUserAttributeVerificationCode`: sends a new code to the attribute's address. Sent
  /// once: each request sends a message and counts towards Cognito's limit.
  public func getUserAttributeVerificationCode(name: String, accessToken: Sensitive)
    async throws(CognitoError) -> GetUserAttributeVerificationCodeResponse
  {
    try await call(
      "GetUserAttributeVerificationCode",
      GetUserAttributeVerificationCodeRequest(accessToken: accessToken, attributeName: name),
      secrets: [accessToken], singleUse: true)
  }

  /// `VerifyUserAttribute`: proves the attribute's address with the code sent to it. Sent once:
  /// a code is spent by its first use, and a wrong one counts towards the attempt limit.
  public func verifyUserAttribute(name: String, code: Sensitive, accessToken: Sensitive)
    async throws(CognitoError)
  {
    let _: VerifyUserAttributeResponse = try await call(
      "VerifyUserAttribute",
      VerifyUserAttributeRequest(accessToken: accessToken, attributeName: name, code: code),
      secrets: [accessToken, code], singleUse: true)
  }

  /// `ChangePassword`: replaces the password, given the current one. Sent once: after a success
  /// the old password no longer matches, so a repeat could only report a wrong password.
  public func changePassword(previous: Sensitive, proposed: Sensitive, accessToken: Sensitive)
    async throws(CognitoError)
  {
    let _: ChangePasswordResponse = try await call(
      "ChangePassword",
      ChangePasswordRequest(
        previousPassword: previous, proposedPassword: proposed, accessToken: accessToken),
      secrets: [accessToken, previous, proposed], singleUse: true)
  }

  /// `UpdateUserAttributes`: sets attribute values (edits, and restoring removed ones).
  public func updateUserAttributes(_ attributes: [AttributeType], accessToken: Sensitive)
    async throws(CognitoError) -> UpdateUserAttributesResponse
  {
    try await call(
      "UpdateUserAttributes",
      UpdateUserAttributesRequest(userAttributes: attributes, accessToken: accessToken),
      secrets: [accessToken])
  }

  /// `InitiateAuth`.
  public func initiateAuth(_ request: InitiateAuthRequest) async throws(CognitoError)
    -> InitiateAuthResponse
  {
    try await call("InitiateAuth", request, secrets: Array((request.authParameters ?? [:]).values))
  }

  /// `RespondToAuthChallenge`.
  public func respondToAuthChallenge(_ request: RespondToAuthChallengeRequest)
    async throws(CognitoError) -> RespondToAuthChallengeResponse
  {
    try await call(
      "RespondToAuthChallenge", request,
      secrets: Array((request.challengeResponses ?? [:]).values)
        + [request.session].compactMap { $0 },
      singleUse: true)
  }

  /// `GetTokensFromRefreshToken`: refresh for app clients with refresh-token rotation.
  public func getTokensFromRefreshToken(_ request: GetTokensFromRefreshTokenRequest)
    async throws(CognitoError) -> GetTokensFromRefreshTokenResponse
  {
    try await call(
      "GetTokensFromRefreshToken", request,
      secrets: [request.refreshToken] + [request.clientSecret].compactMap { $0 }, singleUse: true)
  }

  /// `GlobalSignOut`: invalidates every token of the user, on every device.
  public func globalSignOut(accessToken: Sensitive) async throws(CognitoError) {
    let _: GlobalSignOutResponse = try await call(
      "GlobalSignOut", GlobalSignOutRequest(accessToken: accessToken), secrets: [accessToken])
  }

  /// `RevokeToken`: invalidates a refresh token and the access tokens issued from it.
  public func revokeToken(_ token: Sensitive, clientID: String, clientSecret: Sensitive?)
    async throws(CognitoError)
  {
    let _: RevokeTokenResponse = try await call(
      "RevokeToken",
      RevokeTokenRequest(token: token, clientId: clientID, clientSecret: clientSecret),
      secrets: [token] + [clientSecret].compactMap { $0 })
  }

  /// What a user pool's public key set says about the pool.
  public enum UserPoolLookup: Sendable, Hashable {
    /// It answered 200: the pool exists.
    case exists
    /// It answered 404 (or ResourceNotFoundException): no such pool in this region.
    case missing
    /// Anything else (the status or failure): nothing can be concluded.
    case unknown(String)
  }

  /// Asks for `userPoolID`'s public key set, `GET /<pool>/.well-known/jwks.json`: public, no
  /// account and no signature needed, and the one call that names a pool without IAM
  /// credentials. No retries: it only informs `configure`'s check.
  public func lookUpUserPool(_ userPoolID: String) async -> UserPoolLookup {
    guard
      !userPoolID.isEmpty,
      userPoolID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-".contains($0)) })
    else { return .missing }
    var request = HTTPRequest(
      url: endpoint.appending(path: userPoolID + "/.well-known/jwks.json"),
      headers: [("User-Agent", userAgent), ("Accept", "application/json")], body: Data())
    request.method = "GET"
    let started = ContinuousClock.now
    switch await send(request) {
    case .success(let response):
      observe("GetUserPoolKeySet", 1, "HTTP \(response.status)", ContinuousClock.now - started)
      if response.status == 200 { return .exists }
      if response.status == 404
        || ErrorDecoder.decode(response, knownSecrets: []).serviceCode == .resourceNotFound
      {
        return .missing
      }
      return .unknown("HTTP \(response.status)")
    case .failure(let failure):
      observe("GetUserPoolKeySet", 1, failure.description, ContinuousClock.now - started)
      return .unknown(failure.description)
    }
  }

  // MARK: Wire

  /// Builds the exact HTTP request for `operation` with `input` as its JSON body.
  public func makeRequest(operation: String, input: some JSONWritable) throws(CognitoError)
    -> HTTPRequest
  {
    let body = Data(input.json.serialized)
    return HTTPRequest(
      url: endpoint,
      headers: [
        ("Content-Type", Self.contentType),
        ("X-Amz-Target", "\(Self.targetPrefix).\(operation)"),
        ("User-Agent", userAgent),
        ("Accept", "application/json"),
      ],
      body: body)
  }

  /// Sends `input` as `operation`, retrying per policy, and decodes the output.
  ///
  /// A `singleUse` request spends something the server accepts once (a challenge session, a
  /// rotating refresh token): once written it is never sent again, by this loop or by the
  /// transport, since a retry could only fail or, worse, be taken as reuse.
  package func call<Output: JSONReadable>(
    _ operation: String, _ input: some JSONWritable, secrets: [Sensitive], singleUse: Bool = false
  ) async throws(CognitoError) -> Output {
    var request = try makeRequest(operation: operation, input: input)
    request.replayable = !singleUse
    var attempt = 1
    while true {
      let outcome: AttemptOutcome
      let failure: CognitoError
      var retryAfter: Duration?
      let started = ContinuousClock.now
      let result = await send(try await signer?(request) ?? request)
      let duration = ContinuousClock.now - started
      switch result {
      case .success(let response):
        if (200..<300).contains(response.status) {
          observe(
            operation, attempt, "HTTP \(response.status)", duration,
            requestID: response.header("x-amzn-requestid"))
          return try Self.decodeSuccess(operation: operation, response: response)
        }
        failure = ErrorDecoder.decode(response, knownSecrets: secrets)
        retryAfter = RetryPolicy.parseRetryAfter(response.header("retry-after"))
        if case .service(let error) = failure {
          outcome = .serviceError(error.code, httpStatus: response.status)
        } else {
          outcome = .unexpectedStatus(response.status)
        }
        observe(
          operation, attempt, failure.serviceCode?.code ?? "HTTP \(response.status)", duration,
          requestID: response.header("x-amzn-requestid"))
      case .failure(let transportFailure):
        failure = .transport(transportFailure)
        outcome = .transport(transportFailure)
        observe(operation, attempt, transportFailure.description, duration)
      }
      if singleUse { throw failure }
      switch retryPolicy.decide(
        attempt: attempt, outcome: outcome, retryAfter: retryAfter, random: random())
      {
      case .dontRetry:
        throw failure
      case .retry(let delay):
        do { try await sleep(delay) } catch { throw .transport(.cancelled) }
        if Task.isCancelled { throw .transport(.cancelled) }
        attempt += 1
      }
    }
  }

  private func observe(
    _ operation: String, _ attempt: Int, _ outcome: String, _ duration: Duration,
    requestID: String? = nil
  ) {
    observer?(
      AttemptRecord(
        operation: operation, attempt: attempt, outcome: outcome, duration: duration,
        requestID: requestID.map {
          String($0.prefix(128).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        }))
  }

  private func send(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
    do {
      return .success(try await transport.send(request))
    } catch {
      return .failure(error)
    }
  }

  package static func decodeSuccess<Output: JSONReadable>(
    operation: String, response: HTTPResponse
  ) throws(CognitoError) -> Output {
    let isBlank = response.body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    do {
      // JSON is UTF-8 (the reader refuses anything else); a blank body is an empty object.
      let document = isBlank ? JSONValue.object([]) : try JSONValue.parse(response.body)
      return try Output(json: document, at: operation)
    } catch {
      throw .malformedResponse(operation: operation, httpStatus: response.status)
    }
  }
}
