import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import Synchronization
import TestSupport
import Testing

/// Records the waits the client asks for instead of sleeping.
final class SleepRecorder: Sendable {
  private let waits = Mutex<[Duration]>([])
  var recorded: [Duration] { waits.withLock { $0 } }
  var sleep: @Sendable (Duration) async throws -> Void {
    { duration in self.waits.withLock { $0.append(duration) } }
  }
}

/// The scripted server's transport options: 5 s to connect and in all, 64 KiB bodies.
let scriptedOptions = SocketTransport.Options(
  connectTimeout: .seconds(5), totalTimeout: .seconds(5), maxResponseBytes: 64 * 1024)

/// Runs `body` with a scripted server and a client aimed at it; stops the server afterwards.
func withScriptedServer<T>(
  _ script: [ScriptedHTTPServer.Action],
  options: SocketTransport.Options = scriptedOptions,
  _ body: (CognitoClient, ScriptedHTTPServer, SleepRecorder) async throws -> T
) async throws -> T {
  let server = try ScriptedHTTPServer(script: script)
  defer { server.stop() }
  let recorder = SleepRecorder()
  let client = CognitoClient(
    endpoint: server.url, transport: SocketTransport(options: options),
    sleep: recorder.sleep, random: { 0.5 })
  return try await body(client, server, recorder)
}

/// Expects `body` to throw a CognitoError and returns it.
func expectCognitoError(
  _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) async -> CognitoError? {
  do {
    try await body()
    Issue.record("expected a CognitoError", sourceLocation: sourceLocation)
    return nil
  } catch let error as CognitoError {
    return error
  } catch {
    Issue.record("expected a CognitoError, got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

let userJSON = #"{"Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}"#

@Suite("The client against a scripted server (real bytes on loopback)")
struct ScriptedServerTests {
  @Test("requests are AWS JSON 1.1 exactly: POST /, content type, target, no signature")
  func wireFormat() async throws {
    try await withScriptedServer([.json(userJSON)]) { client, server, _ in
      let user = try await client.getUser(accessToken: "token-abc")
      #expect(user.username == "alice")
      #expect(user.userAttributes == [AttributeType(name: "email", value: "a@example.com")])
      #expect(user.mfaOptions == nil)
      let request = try #require(server.requests.first)
      #expect(request.method == "POST")
      #expect(request.path == "/")
      #expect(request.headers["content-type"] == "application/x-amz-json-1.1")
      #expect(request.headers["x-amz-target"] == "AWSCognitoIdentityProviderService.GetUser")
      #expect(request.headers["authorization"] == nil)
      #expect(request.headers["x-amz-date"] == nil)
      #expect(request.json?["AccessToken"] as? String == "token-abc")
    }
  }

  @Test("an empty body and {} are both an empty success")
  func emptySuccess() async throws {
    try await withScriptedServer([
      .respond(status: 200, headers: [], body: Data()), .json("{}"),
    ]) { client, server, _ in
      try await client.deleteUserAttributes(names: ["given_name"], accessToken: "t")
      try await client.deleteUserAttributes(names: ["custom:team", "locale"], accessToken: "t")
      #expect(server.count(of: "DeleteUserAttributes") == 2)
      #expect(
        server.requests[1].json?["UserAttributeNames"] as? [String] == ["custom:team", "locale"])
    }
  }

  @Test("TooManyRequestsException then success: retried once, succeeds")
  func throttledOnce() async throws {
    try await withScriptedServer([
      .awsError(type: "TooManyRequestsException", message: "Rate exceeded"), .json(userJSON),
    ]) { client, server, sleeps in
      _ = try await client.getUser(accessToken: "t")
      #expect(server.count(of: "GetUser") == 2)
      #expect(sleeps.recorded == [.milliseconds(125)])
    }
  }

  @Test("three throttles in a row: gives up after 3 attempts with TooManyRequests")
  func throttledThrice() async throws {
    let throttle = ScriptedHTTPServer.Action.awsError(
      type: "TooManyRequestsException", message: "Rate exceeded")
    try await withScriptedServer([throttle, throttle, throttle, .json("{}")]) {
      client, server, sleeps in
      let error = await expectCognitoError {
        try await client.deleteUserAttributes(names: ["locale"], accessToken: "t")
      }
      #expect(error?.serviceCode == .tooManyRequests)
      #expect(server.count(of: "DeleteUserAttributes") == 3)
      #expect(sleeps.recorded == [.milliseconds(125), .milliseconds(250)])
    }
  }

  @Test("HTTP 429 with Retry-After waits as asked")
  func retryAfter() async throws {
    try await withScriptedServer([
      .respond(status: 429, headers: [("Retry-After", "2")], body: Data("slow down".utf8)),
      .json(userJSON),
    ]) { client, server, sleeps in
      _ = try await client.getUser(accessToken: "t")
      #expect(sleeps.recorded == [.seconds(2)])
      #expect(server.requests.count == 2)
    }
  }

  @Test("InternalErrorException (500 JSON) is retried, then reported")
  func internalError() async throws {
    let fault = ScriptedHTTPServer.Action.awsError(
      status: 500, type: "InternalErrorException", message: "Internal error")
    try await withScriptedServer([fault, fault, fault]) { client, server, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error?.serviceCode == .internalError)
      #expect(server.requests.count == 3)
    }
  }

  @Test(
    "errors that are not retried: one request each",
    arguments: [
      ("PasswordResetRequiredException", ServiceErrorCode.passwordResetRequired),
      ("ForbiddenException", .forbidden),
      ("NotAuthorizedException", .notAuthorized),
      ("UserNotConfirmedException", .userNotConfirmed),
    ])
  func notRetried(type: String, expected: ServiceErrorCode) async throws {
    try await withScriptedServer([.awsError(type: type, message: "no"), .json(userJSON)]) {
      client, server, sleeps in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error?.serviceCode == expected)
      #expect(server.requests.count == 1)
      #expect(sleeps.recorded.isEmpty)
    }
  }

  @Test("an HTML 502 is 'unexpected response, HTTP 502', retried, and its body never shown")
  func htmlBadGateway() async throws {
    let page = ScriptedHTTPServer.Action.respond(
      status: 502, headers: [("Content-Type", "text/html")],
      body: Data("<html><h1>502 Bad Gateway</h1><p>upstream lb-internal-7</p></html>".utf8))
    try await withScriptedServer([page, page, page]) { client, server, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .unexpectedResponse(httpStatus: 502))
      #expect(error?.description.contains("lb-internal") == false)
      #expect(server.requests.count == 3)
    }
  }

  @Test("truncated JSON with a matching length is a malformed response, not retried")
  func truncatedJSON() async throws {
    try await withScriptedServer([.json(#"{"Username":"alice","UserAttri"#), .json(userJSON)]) {
      client, server, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .malformedResponse(operation: "GetUser", httpStatus: 200))
      #expect(server.requests.count == 1)
    }
  }

  @Test("a success body that is not UTF-8 is unreadable, even for an empty answer")
  func invalidUTF8() async throws {
    let bytes = Data([0x7B, 0x22, 0x55, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])
    try await withScriptedServer([.respond(status: 200, headers: [], body: bytes)]) {
      client, _, _ in
      let error = await expectCognitoError {
        try await client.deleteUserAttributes(names: ["locale"], accessToken: "t")
      }
      #expect(error == .malformedResponse(operation: "DeleteUserAttributes", httpStatus: 200))
    }
  }

  @Test("a body cut short of its Content-Length is a reset connection")
  func shortBody() async throws {
    let head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 500\r\n\r\n"
    let cut = ScriptedHTTPServer.Action.raw(Data((head + #"{"Username":"al"#).utf8))
    try await withScriptedServer([cut, cut, cut]) { client, server, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .transport(.connectionReset))
      #expect(server.requests.count == 3)
    }
  }

  @Test("a body over the size cap is refused, and not retried")
  func oversized() async throws {
    let huge = Data(repeating: UInt8(ascii: "a"), count: 200 * 1024)
    try await withScriptedServer([
      .respond(status: 200, headers: [], body: huge), .json(userJSON),
    ]) { client, server, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .transport(.responseTooLarge(limit: 64 * 1024)))
      #expect(server.requests.count == 1)
    }
  }

  @Test("a chunked body over the cap (no Content-Length) is refused too")
  func oversizedChunked() async throws {
    var raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    let chunk = String(repeating: "b", count: 16 * 1024)
    for _ in 0..<8 { raw += String(16 * 1024, radix: 16) + "\r\n" + chunk + "\r\n" }
    raw += "0\r\n\r\n"
    try await withScriptedServer([.raw(Data(raw.utf8))]) { client, _, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .transport(.responseTooLarge(limit: 64 * 1024)))
    }
  }

  @Test("a connection reset is retried, then reported")
  func reset() async throws {
    try await withScriptedServer([.resetBeforeResponse, .resetBeforeResponse, .json(userJSON)]) {
      client, server, _ in
      _ = try await client.getUser(accessToken: "t")
      #expect(server.requests.count == 3)
    }
    try await withScriptedServer([
      .resetBeforeResponse, .resetBeforeResponse, .resetBeforeResponse,
    ]) { client, _, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .transport(.connectionReset))
    }
  }

  @Test("a response slower than the timeout is a timeout")
  func slow() async throws {
    let late = ScriptedHTTPServer.Action.stall(
      seconds: 2, then: Data("HTTP/1.1 200 OK\r\n\r\n{}".utf8))
    try await withScriptedServer(
      [late, late, late],
      options: .init(
        connectTimeout: .milliseconds(500), totalTimeout: .milliseconds(700),
        maxResponseBytes: 1024)
    ) { client, server, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .transport(.timedOut))
      #expect(server.requests.count == 3)
    }
  }

  @Test("nothing listening: cannot connect, not retried")
  func nothingListening() async throws {
    let server = try ScriptedHTTPServer(script: [])
    let url = server.url
    server.stop()
    let client = CognitoClient(endpoint: url, sleep: { _ in }, random: { 0 })
    let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
    #expect(error == .transport(.cannotConnect))
  }

  @Test("a redirect is not followed (a token must not travel elsewhere)")
  func redirect() async throws {
    try await withScriptedServer([
      .respond(status: 307, headers: [("Location", "http://127.0.0.1:9/steal")], body: Data())
    ]) { client, server, _ in
      let error = await expectCognitoError { _ = try await client.getUser(accessToken: "t") }
      #expect(error == .unexpectedResponse(httpStatus: 307))
      #expect(server.requests.count == 1)
    }
  }

  @Test("an echoed token never reaches the error text")
  func echoedToken() async throws {
    let token = "eyJraWQiOiJkdW1teSJ9.eyJ1c2VybmFtZSI6ImFsaWNlIn0.c2ln"
    try await withScriptedServer([.awsError(type: "NotAuthorizedException", message: token)]) {
      client, _, _ in
      let error = await expectCognitoError {
        _ = try await client.updateUserAttributes(
          [AttributeType(name: "locale", value: "fr")], accessToken: Sensitive(token))
      }
      #expect(error?.serviceCode == .notAuthorized)
      #expect(error?.description.contains("eyJ") == false)
      #expect("\(String(describing: error))".contains("eyJ") == false)
    }
  }
}

@Suite("Challenges moto cannot produce, against a scripted server")
struct ScriptedChallengeTests {
  @Test("SELECT_MFA_TYPE, then EMAIL_OTP, then tokens; SECRET_HASH on every step")
  func selectThenEmail() async throws {
    let session1 = "session-one-0123456789"
    let session2 = "session-two-0123456789"
    try await withScriptedServer([
      .json(
        #"{"ChallengeName":"SELECT_MFA_TYPE","Session":"\#(session1)","ChallengeParameters":{"USERNAME":"alice-canonical","MFAS_CAN_CHOOSE":"[\"SMS_MFA\",\"EMAIL_OTP\"]"}}"#
      ),
      .json(
        #"{"ChallengeName":"EMAIL_OTP","Session":"\#(session2)","ChallengeParameters":{"CODE_DELIVERY_DESTINATION":"a***@e***.com"}}"#
      ),
      .json(
        #"{"AuthenticationResult":{"AccessToken":"a.b.c","IdToken":"i.d.t","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#
      ),
    ]) { client, server, _ in
      let app = AppClient(userPoolID: "us-east-1_P", clientID: "cid", clientSecret: "sec")
      let auth = CognitoAuthenticator(client: client, appClient: app)
      let first = try await auth.signIn(
        username: "alice@example.com", password: "pw", flow: .userPasswordAuth)
      guard case .challenge(let select) = first else {
        Issue.record("expected SELECT_MFA_TYPE")
        return
      }
      #expect(select.kind == .selectMFAType(options: ["SMS_MFA", "EMAIL_OTP"]))
      #expect(select.username == "alice-canonical")
      let second = try await auth.respond(to: select, with: .mfaType("EMAIL_OTP"))
      guard case .challenge(let email) = second else {
        Issue.record("expected EMAIL_OTP")
        return
      }
      #expect(email.kind == .emailOTP)
      #expect(email.codeDestination == "a***@e***.com")
      let third = try await auth.respond(to: email, with: .code("123456"))
      guard case .signedIn(let tokens, _) = third else {
        Issue.record("expected tokens")
        return
      }
      #expect(tokens.refreshToken?.reveal == "r")

      let bodies = server.requests.compactMap(\.json)
      let initial = bodies[0]["AuthParameters"] as? [String: String]
      #expect(
        initial?["SECRET_HASH"]
          == SecretHash.compute(username: "alice@example.com", clientID: "cid", clientSecret: "sec")
          .reveal)
      let answer1 = bodies[1]["ChallengeResponses"] as? [String: String]
      #expect(bodies[1]["ChallengeName"] as? String == "SELECT_MFA_TYPE")
      #expect(bodies[1]["Session"] as? String == session1)
      #expect(answer1?["ANSWER"] == "EMAIL_OTP")
      #expect(answer1?["USERNAME"] == "alice-canonical")
      let canonicalHash = SecretHash.compute(
        username: "alice-canonical", clientID: "cid", clientSecret: "sec"
      ).reveal
      #expect(answer1?["SECRET_HASH"] == canonicalHash)
      let answer2 = bodies[2]["ChallengeResponses"] as? [String: String]
      #expect(bodies[2]["ChallengeName"] as? String == "EMAIL_OTP")
      #expect(answer2?["EMAIL_OTP_CODE"] == "123456")
      #expect(answer2?["SECRET_HASH"] == canonicalHash)
    }
  }

  @Test("an MFA type that was not offered is refused locally")
  func unofferedType() async throws {
    try await withScriptedServer([]) { client, server, _ in
      let auth = CognitoAuthenticator(
        client: client, appClient: AppClient(userPoolID: "us-east-1_P", clientID: "c"))
      let challenge = PendingChallenge(
        kind: .selectMFAType(options: ["SMS_MFA"]), name: "SELECT_MFA_TYPE", session: "s",
        username: "u", codeDestination: nil)
      let error = await expectCognitoError {
        _ = try await auth.respond(to: challenge, with: .mfaType("EMAIL_OTP"))
      }
      #expect(error != nil)
      #expect(server.requests.isEmpty)
    }
  }

  @Test(
    "unsupported challenges (and MFA_SETUP answered with a code) are named, never sent",
    arguments: ["MFA_SETUP", "CUSTOM_CHALLENGE", "WEB_AUTHN", "DEVICE_SRP_AUTH"])
  func unsupported(name: String) async throws {
    try await withScriptedServer([
      .json(#"{"ChallengeName":"\#(name)","Session":"s","ChallengeParameters":{}}"#)
    ]) { client, server, _ in
      let auth = CognitoAuthenticator(
        client: client, appClient: AppClient(userPoolID: "us-east-1_P", clientID: "c"))
      let step = try await auth.signIn(username: "u", password: "p", flow: .userPasswordAuth)
      guard case .challenge(let challenge) = step else {
        Issue.record("expected a challenge")
        return
      }
      // MFA_SETUP is set up by SessionManager (an authenticator app); a code cannot answer it.
      #expect(challenge.kind == (name == "MFA_SETUP" ? .mfaSetup(options: []) : .unsupported))
      let error = await expectCognitoError {
        _ = try await auth.respond(to: challenge, with: .code("1"))
      }
      #expect(error?.description.contains(name) == true)
      #expect(server.requests.count == 1)
    }
  }
}
