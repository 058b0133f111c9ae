import AccountCore
import Foundation
import HTTPStack
import Testing

@testable import CognitoClient

@Suite("Decoding Cognito error responses")
struct ErrorDecodingTests {
  func response(_ status: Int, _ body: String, headers: [String: String] = [:]) -> HTTPResponse {
    HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
  }

  @Test(
    "the code comes from __type, stripped of namespace and suffix",
    arguments: [
      ("NotAuthorizedException", ServiceErrorCode.notAuthorized),
      ("com.amazonaws.cognito#TooManyRequestsException", .tooManyRequests),
      ("ForbiddenException:http://internal.amazon.com/coral/", .forbidden),
      ("aws.protocoljson#InternalErrorException:extra", .internalError),
      ("SomethingNewException", .unknown("SomethingNewException")),
    ])
  func typeField(raw: String, expected: ServiceErrorCode) {
    let error = ErrorDecoder.decode(
      response(400, #"{"__type":"\#(raw)","message":"m"}"#), knownSecrets: [])
    #expect(error.serviceCode == expected)
  }

  @Test("an IAM or signature error in query-protocol XML (moto answers so) keeps code and message")
  func xmlErrors() {
    let denied = ErrorDecoder.decode(
      response(
        403,
        #"<?xml version="1.0" encoding="utf-8"?>\#n<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/r is not authorized to perform: cognito-idp:AdminDeleteUserAttributes</Message><Type>Sender</Type></Error></Errors></ErrorResponse>"#,
        headers: ["content-type": "text/html; charset=utf-8"]),
      knownSecrets: [])
    guard case .service(let error) = denied else {
      Issue.record("not a service error: \(denied)")
      return
    }
    #expect(error.code == .unknown("AccessDenied"))
    #expect(error.message.hasSuffix("perform: cognito-idp:AdminDeleteUserAttributes"))
    // An HTML page is still no AWS error, whatever it contains.
    let html = ErrorDecoder.decode(
      response(502, "<html><body><Code>AccessDenied</Code></body></html>"), knownSecrets: [])
    #expect(html == .unexpectedResponse(httpStatus: 502))
  }

  @Test("the X-Amzn-ErrorType header is the fallback, with its trailing colon stripped")
  func headerFallback() {
    let error = ErrorDecoder.decode(
      response(
        400, #"{"message":"Access Token has expired"}"#,
        headers: ["X-Amzn-ErrorType": "NotAuthorizedException:"]), knownSecrets: [])
    #expect(error.serviceCode == .notAuthorized)
    guard case .service(let service) = error else { return }
    #expect(service.message == "Access Token has expired")
  }

  @Test("an empty body with the header still yields the code")
  func emptyBodyHeader() {
    let error = ErrorDecoder.decode(
      response(400, "", headers: ["x-amzn-errortype": "ForbiddenException"]), knownSecrets: [])
    #expect(error.serviceCode == .forbidden)
  }

  @Test("body wins over header")
  func bodyWins() {
    let error = ErrorDecoder.decode(
      response(
        400, #"{"__type":"UserNotFoundException"}"#,
        headers: ["x-amzn-errortype": "NotAuthorizedException"]), knownSecrets: [])
    #expect(error.serviceCode == .userNotFound)
  }

  @Test("Message (capitalised) and reasonCode and the request id are read")
  func otherMembers() {
    let error = ErrorDecoder.decode(
      response(
        400, #"{"__type":"InvalidParameterException","Message":"bad","reasonCode":"X"}"#,
        headers: ["x-amzn-RequestId": "abc-123"]), knownSecrets: [])
    guard case .service(let service) = error else {
      Issue.record("expected a service error")
      return
    }
    #expect(service.message == "bad")
    #expect(service.reasonCode == "X")
    #expect(service.requestID == "abc-123")
    #expect(service.httpStatus == 400)
  }

  @Test("an HTML page is an unexpected response and its body is not kept")
  func htmlPage() {
    let html = "<!doctype html><title>502 Bad Gateway</title><p>secret-internal-host</p>"
    let error = ErrorDecoder.decode(
      response(502, html, headers: ["content-type": "text/html"]), knownSecrets: [])
    #expect(error == .unexpectedResponse(httpStatus: 502))
    #expect(!error.description.contains("secret-internal-host"))
    #expect(error.description == "unexpected response, HTTP 502")
  }

  @Test("an HTML page is never read as a Cognito error, even with the header")
  func htmlWithHeader() {
    let error = ErrorDecoder.decode(
      response(500, "<html>oops</html>", headers: ["x-amzn-errortype": "InternalErrorException"]),
      knownSecrets: [])
    #expect(error == .unexpectedResponse(httpStatus: 500))
  }

  @Test("tokens the request carried are redacted from the message, however short")
  func knownSecretRedacted() {
    let error = ErrorDecoder.decode(
      response(400, #"{"__type":"NotAuthorizedException","message":"d3Jvbmc="}"#),
      knownSecrets: [Sensitive("d3Jvbmc=")])
    #expect(!error.description.contains("d3Jvbmc="))
    #expect(error.description.contains(Redactor.placeholder))
  }

  @Test("every modelled code round-trips through its name")
  func roundTrip() {
    for code in ServiceErrorCode.allModelled {
      #expect(ServiceErrorCode(code: code.code) == code)
      #expect(code.code.hasSuffix("Exception"))
    }
  }
}

@Suite("Redacting secrets from server text")
struct RedactionTests {
  static let jwt =
    "eyJ0eXAiOiJKV1QiLCJraWQiOiJkdW1teSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiI0ZjU1ZWQ2MyJ9.c2lnbmF0dXJl"

  @Test(
    "secret-shaped runs are replaced",
    arguments: [
      "Invalid token \(jwt)",
      "Refresh token 0d0a822a-4a37-4d1f-8668-1674d95bdcf4 revoked",
      "hash VoizEs9feN4UDMVmA97TIuS/4JiFgl9P0kwuZ/98dvA= mismatch",
    ])
  func shaped(text: String) {
    let redacted = Redactor.redact(text)
    #expect(redacted.contains(Redactor.placeholder))
    #expect(!redacted.contains("eyJ"))
    #expect(!redacted.contains("0d0a822a-4a37"))
    #expect(!redacted.contains("VoizEs9feN4"))
  }

  @Test(
    "ordinary messages pass unchanged",
    arguments: [
      "Invalid token",
      "User does not exist.",
      "Invalid user attributes: user.custom:department: Attribute does not exist in the schema.",
      "alice@example.com is not allowed",
      "Incorrect username or password.",
    ])
  func ordinary(text: String) { #expect(Redactor.redact(text) == text) }
}

@Suite("SECRET_HASH")
struct SecretHashTests {
  // Expected values computed with Python's hmac/hashlib/base64, independently of this code.
  @Test(
    "matches independent HMAC-SHA256 values",
    arguments: [
      (
        "alice", "8e48dd02e1a7491582061441c1", "f92a20ef-3127-4a00-86d8-9db07242cd94",
        "VoizEs9feN4UDMVmA97TIuS/4JiFgl9P0kwuZ/98dvA="
      ),
      ("Zoë 🚀", "client123", "s3cr3t+/=", "OcYi0ByBBmFxfA/8mZmQuFrsfvYH/dqFVRjHs1osy+Y="),
    ])
  func vectors(username: String, clientID: String, secret: String, expected: String) {
    #expect(
      SecretHash.compute(username: username, clientID: clientID, clientSecret: Sensitive(secret))
        .reveal == expected)
  }

  @Test("an app client without a secret sends no hash")
  func noSecret() {
    #expect(AppClient(userPoolID: "us-east-1_x", clientID: "c").secretHash(for: "u") == nil)
  }

  @Test("the pool name is the part after the underscore")
  func poolName() {
    #expect(AppClient(userPoolID: "us-east-1_AbC", clientID: "c").poolName == "AbC")
  }
}

@Suite("Sensitive values never print")
struct SensitiveTests {
  @Test("description, interpolation, dump and enclosing structs show no secret")
  func neverPrinted() {
    let token = Sensitive("eyJsecret.value.here")
    let request = GetUserRequest(accessToken: token)
    var dumped = ""
    dump(request, to: &dumped)
    for text in [
      "\(token)", String(describing: token), String(reflecting: token), "\(request)", dumped,
    ] {
      #expect(!text.contains("secret"), "leaked in \(text)")
    }
  }

  @Test("it encodes as the plain string on the wire")
  func encodes() throws {
    let data = GetUserRequest(accessToken: "abc").json.serialized
    #expect(String(decoding: data, as: UTF8.self) == #"{"AccessToken":"abc"}"#)
  }
}

@Suite("Reading JWT claims")
struct JWTClaimsTests {
  @Test("claims of a Cognito access token are read without verification")
  func decode() throws {
    let payload =
      #"{"username":"alice","exp":1796062412,"iat":1796058812,"client_id":"c1","iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool"}"#
    let encoded = Data(payload.utf8).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
    let claims = try #require(JWTClaims(token: Sensitive("eyJhbGciOiJub25lIn0.\(encoded).sig")))
    #expect(claims.canonicalUsername == "alice")
    #expect(claims.expiresAt == 1_796_062_412)
    #expect(claims.issuedAt == 1_796_058_812)
    #expect(claims.userPoolID == "us-east-1_Pool")
  }

  @Test(
    "anything that is not a JWT gives nil",
    arguments: ["", "abc", "a.b", "a.!!!.c", "0d0a822a-4a37"])
  func notJWT(token: String) { #expect(JWTClaims(token: Sensitive(token)) == nil) }
}
