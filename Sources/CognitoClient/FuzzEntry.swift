import AccountCore
package import FoundationEssentials
import HTTPStack

/// The response-decoding paths, driven by arbitrary bytes: for the fuzzer and its regression
/// tests. The first byte picks the status and header; the rest is the body, and is also parsed
/// as a raw HTTP/1.1 response split after as many bytes as the first byte says.
package enum ResponseFuzzing {
  /// Decodes `data` as every operation's success shape and as an error response.
  package static func exercise(_ data: Data) {
    guard let selector = data.first else { return }
    let body = data.dropFirst()
    let statuses = [200, 400, 429, 500, 502]
    let status = statuses[Int(selector) % statuses.count]
    var headers: [String: String] = [:]
    if selector & 0x08 != 0 { headers["x-amzn-errortype"] = "NotAuthorizedException:" }
    if selector & 0x10 != 0 {
      headers["retry-after"] = String(decoding: body.prefix(8), as: UTF8.self)
    }
    let response = HTTPResponse(status: status, headers: headers, body: Data(body))
    func decode<T: JSONReadable>(_ type: T.Type, _ operation: String) {
      _ = try? CognitoClient.decodeSuccess(operation: operation, response: response) as T
    }
    decode(GetUserResponse.self, "GetUser")
    decode(DeleteUserAttributesResponse.self, "DeleteUserAttributes")
    decode(UpdateUserAttributesResponse.self, "UpdateUserAttributes")
    decode(GetUserAttributeVerificationCodeResponse.self, "GetUserAttributeVerificationCode")
    decode(VerifyUserAttributeResponse.self, "VerifyUserAttribute")
    decode(ChangePasswordResponse.self, "ChangePassword")
    decode(InitiateAuthResponse.self, "InitiateAuth")
    decode(RespondToAuthChallengeResponse.self, "RespondToAuthChallenge")
    decode(GetTokensFromRefreshTokenResponse.self, "GetTokensFromRefreshToken")
    let error = ErrorDecoder.decode(response, knownSecrets: [Sensitive("secret-token-value")])
    _ = error.description
    _ = RetryPolicy.parseRetryAfter(response.header("retry-after"))
    let text = String(decoding: body, as: UTF8.self)
    _ = JWTClaims(token: Sensitive(text))
    _ = Redactor.redact(text, knownSecrets: [Sensitive("x")])
    _ = CognitoAuthenticator.parseList(text)
    // The same bytes as they would arrive on the socket, in two pieces.
    var parser = HTTPResponseParser(maxBodyBytes: 4096, maxHeadBytes: 4096)
    let cut = body.startIndex + min(Int(selector), body.count)
    do {
      if try parser.consume(body[..<cut]) == nil, try parser.consume(body[cut...]) == nil {
        _ = try parser.finish()
      }
    } catch {}
  }
}
