import AccountCore
import Foundation
import TestSupport
import Testing

@testable import CognitoClient
@testable import HTTPStack

/// The client-side findings of the security review (issue "Hardening"), one test each.
@Suite("Hardening (client)")
struct HardeningClientTests {
  @Test("1. an error code outside [A-Za-z0-9_.:#-]{1,128} becomes \"unknown error\"")
  func implausibleCodes() {
    let plausible = [
      "NotAuthorizedException", "aws.protocoljson#InvalidParameterException",
      "Validation.Exception-2:x", String(repeating: "A", count: 128),
    ]
    for code in plausible { #expect(ErrorDecoder.isPlausibleCode(code), "\(code)") }
    let implausible = [
      "", "Evil\u{1b}]0;x\u{07}Exception", "Bad Exception", "Bidi\u{202e}Exception",
      String(repeating: "A", count: 129), "Café",
    ]
    for code in implausible { #expect(!ErrorDecoder.isPlausibleCode(code), "\(code)") }
    let response = HTTPResponse(
      status: 400, headers: ["x-amzn-errortype": "Header\u{1b}[31m"],
      body: Data(#"{"__type":"Body\u001b]0;x\u0007","message":"m"}"#.utf8))
    #expect(ErrorDecoder.decode(response, knownSecrets: []).serviceCode?.code == "unknown error")
    // The `:…` suffix some services add is dropped before the check, as before.
    let suffixed = HTTPResponse(
      status: 400,
      headers: [
        "x-amzn-errortype":
          "UserLambdaValidationException:http://internal.amazon.com/coral/com.amazon.coral/"
      ], body: Data())
    #expect(
      ErrorDecoder.decode(suffixed, knownSecrets: []).serviceCode?.code
        == "UserLambdaValidationException")
    let headerOnly = HTTPResponse(
      status: 400, headers: ["x-amzn-errortype": "Header\u{1b}[31m"], body: Data())
    #expect(ErrorDecoder.decode(headerOnly, knownSecrets: []).serviceCode?.code == "unknown error")
  }

  @Test(
    "3. loopback is decided by the parsed address",
    arguments: [
      ("127.0.0.1", true), ("127.255.1.2", true), ("localhost", true), ("LocalHost", true),
      ("::1", true), ("[::1]", true), ("0:0:0:0:0:0:0:1", true),
      ("127.0.0.09", false), ("127.000.000.010", false), ("0177.0.0.1", false),
      ("127.1", false), ("2130706433", false), ("0x7f.0.0.1", false), ("10.0.0.1", false),
      ("::ffff:127.0.0.1", false), ("127.0.0.1.example.com", false), ("localhost.", false),
    ])
  func loopback(host: String, expected: Bool) {
    #expect((LoopbackHost(host) != nil) == expected, "\(host)")
    #expect(CognitoEndpoint.isLoopback(host: host) == expected, "\(host)")
  }

  @Test("3. localhost is reached without a lookup, on 127.0.0.1 or ::1")
  func localhostAddresses() {
    #expect(LoopbackHost("localhost")?.addresses == ["127.0.0.1", "::1"])
    #expect(LoopbackHost("[::1]")?.addresses == ["::1"])
  }

  @Test("5. RespondToAuthChallenge is sent once, whatever comes back")
  func challengeResponseNotRetried() async throws {
    let fault = ScriptedHTTPServer.Action.awsError(
      status: 500, type: "InternalErrorException", message: "boom")
    for script in [[fault, fault, fault], [.resetBeforeResponse, .resetBeforeResponse]] {
      try await withScriptedServer(script) { client, server, recorder in
        let request = RespondToAuthChallengeRequest(
          clientId: "c", challengeName: "SMS_MFA", session: "single-use-session",
          challengeResponses: ["USERNAME": "u", "SMS_MFA_CODE": "123456"])
        _ = await expectCognitoError { _ = try await client.respondToAuthChallenge(request) }
        #expect(server.count(of: "RespondToAuthChallenge") == 1)
        #expect(recorder.recorded.isEmpty)
      }
    }
  }

  @Test("5. a single-use request never goes on a kept connection (it could not be replayed)")
  func singleUseOnFreshConnection() async throws {
    let body = Data(userJSON.utf8)
    try await withScriptedServer([.keepAlive(status: 200, body: body), .json("{}")]) {
      client, server, _ in
      _ = try await client.getUser(accessToken: "t")
      _ = try await client.respondToAuthChallenge(
        RespondToAuthChallengeRequest(
          clientId: "c", challengeName: "SMS_MFA", session: "s", challengeResponses: [:]))
      #expect(server.count(of: "RespondToAuthChallenge") == 1)
      #expect(server.connections == 2, "the kept connection was used")
    }
  }

  @Test("5. a rotating GetTokensFromRefreshToken is sent once, whatever comes back")
  func rotatingRefreshNotRetried() async throws {
    let throttled = ScriptedHTTPServer.Action.awsError(
      status: 400, type: "TooManyRequestsException", message: "slow down")
    try await withScriptedServer([throttled, throttled, throttled]) { client, server, _ in
      let request = GetTokensFromRefreshTokenRequest(
        refreshToken: "old-refresh", clientId: "c", clientSecret: nil)
      let error = await expectCognitoError {
        _ = try await client.getTokensFromRefreshToken(request)
      }
      #expect(error?.serviceCode == .tooManyRequests)
      #expect(server.count(of: "GetTokensFromRefreshToken") == 1)
    }
    // A repeatable call still retries.
    try await withScriptedServer([throttled, .json(userJSON)]) { client, server, _ in
      _ = try await client.getUser(accessToken: "t")
      #expect(server.count(of: "GetUser") == 2)
    }
  }

  @Test("5. OpenSSL refusing the peer check's set-up aborts the connection")
  func peerCheckSetUp() {
    #expect(TLSContext.peerCheckFailure(host: "cognito-idp.us-east-1.amazonaws.com") == nil)
    #expect(TLSContext.peerCheckFailure(host: "127.0.0.1") == nil)
    // A name longer than SNI allows (255 bytes) is refused by SSL_set_tlsext_host_name.
    let long = Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: ".")
    guard case .secureConnectionFailed(let reason)? = TLSContext.peerCheckFailure(host: long)
    else {
      Issue.record("an over-long name was accepted")
      return
    }
    #expect(reason.contains("cannot set up the certificate check"))
  }

  @Test("5. proxy credentials are percent-decoded exactly once")
  func proxyCredentialsDecodedOnce() throws {
    let proxy = try #require(
      try HTTPProxy.fromEnvironment(["https_proxy": "http://us%40er:p%2541ss@proxy.test:3128"]))
    let expected = "Basic " + Data("us@er:p%41ss".utf8).base64EncodedString()
    #expect(proxy.authorization?.reveal == expected)
  }
}
