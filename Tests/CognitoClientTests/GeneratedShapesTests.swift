import AccountCore
import CognitoClient
import Foundation
import TestSupport
import Testing

@Suite("Wire shapes generated from botocore's service model")
struct GeneratedShapesTests {
  @Test("regenerating from the pinned botocore gives exactly the committed files")
  func upToDate() throws {
    let output = NSTemporaryDirectory() + "generated-shapes-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: output) }
    _ = try ReferenceScript.run("generate_shapes.py", arguments: [output], input: Data())
    let committed = ReferenceScript.repositoryRoot.appendingPathComponent(
      "Sources/CognitoClient/Generated")
    let names = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
    #expect(
      names == (try FileManager.default.contentsOfDirectory(atPath: committed.path).sorted()))
    for name in names {
      let fresh = try String(contentsOfFile: output + "/" + name, encoding: .utf8)
      let kept = try String(
        contentsOf: committed.appendingPathComponent(name), encoding: .utf8)
      #expect(fresh == kept, "\(name) is not what scripts/generate_shapes.py writes: run it")
    }
  }

  @Test("every exception of the operations used is a case; anything else is kept raw")
  func exceptions() {
    #expect(ServiceErrorCode.allModelled.count == 33)
    #expect(ServiceErrorCode(code: "EnableSoftwareTokenMFAException") == .enableSoftwareTokenMFA)
    #expect(ServiceErrorCode(code: "RefreshTokenReuseException") == .refreshTokenReuse)
    #expect(ServiceErrorCode(code: "MFAMethodNotFoundException") == .mfaMethodNotFound)
    #expect(ServiceErrorCode(code: "BrandNewException") == .unknown("BrandNewException"))
    #expect(ServiceErrorCode.softwareTokenMFANotFound.code == "SoftwareTokenMFANotFoundException")
  }

  @Test("requests encode only the members given; secrets are Sensitive and never print")
  func encoding() throws {
    let request = InitiateAuthRequest(
      authFlow: .userSrpAuth, authParameters: ["USERNAME": "u", "SRP_A": "ab"], clientId: "c")
    let json = String(decoding: request.json.serialized, as: UTF8.self)
    #expect(
      json
        == #"{"AuthFlow":"USER_SRP_AUTH","AuthParameters":{"SRP_A":"ab","USERNAME":"u"},"ClientId":"c"}"#
    )
    let tokens = try InitiateAuthResponse(
      json: JSONValue.parse(
        Array(#"{"AuthenticationResult":{"AccessToken":"secret-token","ExpiresIn":3600}}"#.utf8)),
      at: "InitiateAuth")
    #expect(tokens.authenticationResult?.accessToken?.reveal == "secret-token")
    #expect(!"\(tokens)".contains("secret-token"))
  }
}
