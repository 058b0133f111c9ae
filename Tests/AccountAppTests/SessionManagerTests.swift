import AccountApp
import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import Keyfile
import Synchronization
import TestSupport
import Testing

/// A session layer wired to in-process fakes: a scripted transport and an in-memory store.
struct FakeAccount {
  static let endpoint = "http://127.0.0.1:9/"
  static let pool = "us-east-1_Fake"
  static let client = "fake-client"
  /// The fixed "now" of these tests (local clock).
  static let now = 1_800_000_000

  let transport: ScriptedTransport
  let store: InMemorySessionStore
  let actions: AccountActions

  init(
    stored: StoredSession?, rotation: Bool = false,
    _ respond: @escaping @Sendable (HTTPRequest) async throws(TransportFailure) -> HTTPResponse
  ) throws {
    transport = ScriptedTransport(respond)
    store = InMemorySessionStore(stored)
    var flags = CommandLineSettings()
    flags.userPoolID = Self.pool
    flags.clientID = Self.client
    flags.endpointURL = Self.endpoint
    let home = NSTemporaryDirectory() + "fake-account-" + UUID().uuidString
    if rotation {
      try FileManager.default.createDirectory(
        atPath: home + "/cognito-account", withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      _ = FileManager.default.createFile(
        atPath: home + "/cognito-account/config.toml",
        contents: Data("[profiles.default]\nrefresh_token_rotation = true\n".utf8),
        attributes: [.posixPermissions: 0o600])
    }
    let settings = try SettingsResolver.resolve(
      flags, environment: ["HOME": home, "XDG_CONFIG_HOME": home])
    let client = CognitoClient(
      endpoint: try #require(URL(string: Self.endpoint)), transport: transport,
      sleep: { _ in }, random: { 0 })
    actions = AccountActions(
      session: try SessionManager(
        settings: settings, client: client, keyfile: store,
        now: { Date(timeIntervalSince1970: TimeInterval(Self.now)) }))
  }

  /// A stored session for `username` whose access token expires at `expiresAt` (server time),
  /// with the local clock `drift` seconds ahead of the server's.
  static func session(
    _ username: String = "zoe", expiresAt: Int, drift: Int = 0, access: String = "access-1"
  ) -> StoredSession {
    StoredSession(
      endpoint: endpoint, region: "us-east-1", userPoolID: pool, clientID: client,
      username: username, accessToken: Sensitive(access), idToken: nil,
      refreshToken: "refresh-1", accessTokenExpiresAt: expiresAt, idTokenExpiresAt: nil,
      refreshTokenExpiresAt: nil, clockDrift: drift, issuedAt: now - 60)
  }

  /// A token answer, as InitiateAuth or GetTokensFromRefreshToken send it.
  static func tokens(access: String, refresh: String? = nil) -> HTTPResponse {
    let jwt = unsignedJWT(
      #"{"username":"zoe","iat":\#(now),"exp":\#(now + 3600),"token_use":"access","jti":"\#(access)"}"#
    )
    let refreshMember = refresh.map { #","RefreshToken":"\#($0)""# } ?? ""
    return ScriptedTransport.json(
      #"{"AuthenticationResult":{"AccessToken":"\#(jwt)","ExpiresIn":3600\#(refreshMember)}}"#)
  }

  static let user = ScriptedTransport.json(
    #"{"Username":"zoe","UserAttributes":[{"Name":"given_name","Value":"Zoe"}]}"#)

  /// The access token a GetUser request carried.
  static func accessToken(of request: HTTPRequest) -> String {
    ScriptedTransport.body(request)["AccessToken"] as? String ?? ""
  }
}

@Suite("The session layer in-process (scripted transport, in-memory store)")
struct SessionManagerTests {
  @Test("NotAuthorized on a call: one refresh, one retry with the new token, saved once")
  func retryAfterNotAuthorized() async throws {
    let calls = CallCounter()
    let account = try FakeAccount(stored: FakeAccount.session(expiresAt: FakeAccount.now + 3000)) {
      request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "GetUser" where calls.next() == 1:
        return ScriptedTransport.awsError("NotAuthorizedException", "Access Token has been revoked")
      case "GetUser": return FakeAccount.user
      case "InitiateAuth": return FakeAccount.tokens(access: "access-2")
      default: return ScriptedTransport.awsError("UnexpectedOperation")
      }
    }
    let user = try await account.actions.load()
    #expect(user.username == "zoe")
    #expect(account.transport.operations == ["GetUser", "InitiateAuth", "GetUser"])
    let refresh = ScriptedTransport.body(account.transport.requests[1])
    #expect(refresh["AuthFlow"] as? String == "REFRESH_TOKEN_AUTH")
    let retried = FakeAccount.accessToken(of: account.transport.requests[2])
    #expect(retried != "access-1" && retried == account.store.session?.accessToken.reveal)
    #expect(account.store.saves == 1)
    #expect(account.store.session?.refreshToken.reveal == "refresh-1", "kept without rotation")
  }

  @Test("single flight: five calls with a due token make one refresh")
  func singleFlight() async throws {
    let account = try FakeAccount(stored: FakeAccount.session(expiresAt: FakeAccount.now - 10)) {
      request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "InitiateAuth":
        try? await Task.sleep(for: .milliseconds(100))
        return FakeAccount.tokens(access: "access-2")
      default: return FakeAccount.user
      }
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<5 { group.addTask { _ = try await account.actions.load() } }
      try await group.waitForAll()
    }
    let operations = account.transport.operations
    #expect(operations.filter { $0 == "InitiateAuth" }.count == 1, "\(operations)")
    #expect(operations.filter { $0 == "GetUser" }.count == 5)
    #expect(account.store.saves == 1)
  }

  @Test(
    "clock drift: expiry is judged on the server's clock, with 60 s of margin",
    arguments: [
      // Local clock an hour fast: the token has 30 min left on the server's clock.
      (3600, FakeAccount.now - 3600 + 1800, false),
      // Local clock an hour slow: expired on the server's clock, though not on ours.
      (-3600, FakeAccount.now + 1800, true),
      // Inside the margin: refreshed first.
      (0, FakeAccount.now + 59, true),
      (0, FakeAccount.now + 61, false),
    ])
  func drift(drift: Int, expiresAt: Int, refreshes: Bool) async throws {
    let account = try FakeAccount(
      stored: FakeAccount.session(expiresAt: expiresAt, drift: drift)
    ) { request throws(TransportFailure) in
      ScriptedTransport.operation(request) == "InitiateAuth"
        ? FakeAccount.tokens(access: "access-2") : FakeAccount.user
    }
    _ = try await account.actions.load()
    #expect(account.transport.operations.contains("InitiateAuth") == refreshes)
  }

  @Test("rotation: GetTokensFromRefreshToken, sent once, and the new refresh token is kept")
  func rotation() async throws {
    let account = try FakeAccount(
      stored: FakeAccount.session(expiresAt: FakeAccount.now - 10), rotation: true
    ) { request throws(TransportFailure) in
      ScriptedTransport.operation(request) == "GetTokensFromRefreshToken"
        ? FakeAccount.tokens(access: "access-2", refresh: "refresh-2") : FakeAccount.user
    }
    _ = try await account.actions.load()
    #expect(account.transport.operations == ["GetTokensFromRefreshToken", "GetUser"])
    #expect(account.store.session?.refreshToken.reveal == "refresh-2")
  }

  @Test("a refused refresh ends the session, with the exception's name")
  func refreshRefused() async throws {
    let account = try FakeAccount(stored: FakeAccount.session(expiresAt: FakeAccount.now - 10)) {
      _ throws(TransportFailure) in
      ScriptedTransport.awsError("NotAuthorizedException", "Refresh Token has expired")
    }
    await #expect(throws: AccountError.sessionEnded(code: "NotAuthorizedException")) {
      _ = try await account.actions.load()
    }
    #expect(account.transport.operations == ["InitiateAuth"])
  }

  @Test("a session made for another user, pool or endpoint sends nothing")
  func bindingChecked() async throws {
    var other = FakeAccount.session(expiresAt: FakeAccount.now + 3000)
    other.endpoint = "http://127.0.0.1:10/"
    let account = try FakeAccount(stored: other) { _ throws(TransportFailure) in FakeAccount.user }
    do {
      _ = try await account.actions.load()
      Issue.record("the session was used")
    } catch {
      guard case .sessionMismatch(let message) = error else {
        Issue.record("expected sessionMismatch, got \(error)")
        return
      }
      #expect(message.contains("made for us-east-1_Fake at http://127.0.0.1:10/"))
    }
    #expect(account.transport.requests.isEmpty)
  }
}

@Suite("Error translation at the session boundary")
struct ErrorTranslationTests {
  @Test(
    "each client error becomes the user's error, keeping the exception name",
    arguments: [
      (
        CognitoError.service(
          ServiceError(code: .tooManyRequests, message: "Rate exceeded", httpStatus: 400)),
        AccountError.service(
          ServiceProblem(
            kind: .rateLimited, code: "TooManyRequestsException", message: "Rate exceeded"))
      ),
      (
        .unexpectedResponse(httpStatus: 429),
        .service(ServiceProblem(kind: .rateLimited, code: "HTTP 429", message: ""))
      ),
      (.invalidConfiguration("bad"), .configuration(message: "bad")),
    ])
  func translation(error: CognitoError, expected: AccountError) {
    #expect(AccountError(error) == expected)
  }

  @Test("network failures name the host and what to check")
  func network() throws {
    let url = try #require(URL(string: "https://cognito-idp.eu-west-1.amazonaws.com/"))
    guard
      case .network(let proxy) = AccountError(.transport(.proxyRefused(status: 407)), endpoint: url)
    else {
      Issue.record("not a network error")
      return
    }
    #expect(proxy.contains("cognito-idp.eu-west-1.amazonaws.com"))
    #expect(proxy.contains("check the user name and password in https_proxy"))
    guard case .unexpectedResponse(let html) = AccountError(.unexpectedResponse(httpStatus: 502))
    else {
      Issue.record("not an unexpected response")
      return
    }
    #expect(html.contains("HTTP 502, not a Cognito answer"))
  }
}

/// Counts calls across tasks.
final class CallCounter: Sendable {
  private let count = Mutex(0)
  /// The number of this call, from 1.
  func next() -> Int {
    count.withLock {
      $0 += 1
      return $0
    }
  }
}
