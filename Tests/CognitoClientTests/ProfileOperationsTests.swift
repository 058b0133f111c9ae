import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import TestSupport
import Testing

/// A signed-in user of a fresh pool: the fixture, the pool, the client and the access token.
private struct SignedInUser {
  let fixture: MotoFixture
  let pool: MotoFixture.SeededPool
  let client: CognitoClient
  let token: Sensitive

  init(verifyBeforeUpdate: Bool = false) async throws {
    fixture = try motoFixture()
    pool = try await fixture.seedPool(verifyBeforeUpdate: verifyBeforeUpdate)
    client = motoClient(fixture)
    let auth = CognitoAuthenticator(client: client, appClient: pool.publicClient)
    token = try #require(try await signIn(auth, pool.confirmedUser).0.accessToken)
  }

  func attributes() async throws -> [String: String] {
    try await fixture.adminAttributes(poolID: pool.userPoolID, username: pool.confirmedUser)
  }

  func code(_ attribute: String) async throws -> Sensitive {
    Sensitive(
      try await fixture.verificationCode(
        poolID: pool.userPoolID, username: pool.confirmedUser, attribute: attribute))
  }
}

@Suite("Profile operations against moto: update, verify, change password")
struct ProfileOperationsTests {
  @Test("a plain attribute changes at once and sends no code")
  func plainUpdate() async throws {
    let user = try await SignedInUser()
    let answer = try await user.client.updateUserAttributes(
      [AttributeType(name: "given_name", value: "Alicia"), .init(name: "nickname", value: "al")],
      accessToken: user.token)
    #expect(answer.codeDeliveryDetailsList == nil)
    let after = try await user.attributes()
    #expect(after["given_name"] == "Alicia" && after["nickname"] == "al")
  }

  @Test("default pool: a new email applies at once, becomes unverified, and the code verifies it")
  func emailAtOnce() async throws {
    let user = try await SignedInUser()
    let answer = try await user.client.updateUserAttributes(
      [AttributeType(name: "email", value: "zed@example.org")], accessToken: user.token)
    let delivery = try #require(answer.codeDeliveryDetailsList?.first)
    #expect(delivery.attributeName == "email" && delivery.deliveryMedium == "EMAIL")
    #expect(delivery.destination == "z***@e***")
    var after = try await user.attributes()
    #expect(after["email"] == "zed@example.org" && after["email_verified"] == "false")
    try await user.client.verifyUserAttribute(
      name: "email", code: try await user.code("email"), accessToken: user.token)
    after = try await user.attributes()
    #expect(after["email"] == "zed@example.org" && after["email_verified"] == "true")
  }

  @Test("verification-gated pool: the old email stays until the code for the new one is verified")
  func emailGated() async throws {
    let user = try await SignedInUser(verifyBeforeUpdate: true)
    let answer = try await user.client.updateUserAttributes(
      [AttributeType(name: "email", value: "zed@example.org")], accessToken: user.token)
    #expect(answer.codeDeliveryDetailsList?.first?.destination == "z***@e***")
    var after = try await user.attributes()
    #expect(after["email"] == "alice@example.com" && after["email_verified"] == "true")
    try await user.client.verifyUserAttribute(
      name: "email", code: try await user.code("email"), accessToken: user.token)
    after = try await user.attributes()
    #expect(after["email"] == "zed@example.org" && after["email_verified"] == "true")
  }

  @Test("codes: wrong, reused and expired are refused; five wrong tries end in LimitExceeded")
  func codeErrors() async throws {
    let user = try await SignedInUser()
    _ = try await user.client.updateUserAttributes(
      [AttributeType(name: "email", value: "zed@example.org")], accessToken: user.token)
    let wrong = await expectCognitoError {
      try await user.client.verifyUserAttribute(
        name: "email", code: Sensitive("000000x"), accessToken: user.token)
    }
    #expect(wrong?.serviceCode == .codeMismatch)
    let code = try await user.code("email")
    try await user.client.verifyUserAttribute(name: "email", code: code, accessToken: user.token)
    let reused = await expectCognitoError {
      try await user.client.verifyUserAttribute(name: "email", code: code, accessToken: user.token)
    }
    #expect(reused?.serviceCode == .codeMismatch)

    let resent = try await user.client.getUserAttributeVerificationCode(
      name: "phone_number", accessToken: user.token)
    #expect(resent.codeDeliveryDetails?.deliveryMedium == "SMS")
    #expect(resent.codeDeliveryDetails?.destination == "+*******0100")
    try await user.fixture.expireVerificationCodes(poolID: user.pool.userPoolID)
    let expired = await expectCognitoError {
      try await user.client.verifyUserAttribute(
        name: "phone_number", code: try await user.code("phone_number"), accessToken: user.token)
    }
    #expect(expired?.serviceCode == .expiredCode)

    _ = try await user.client.getUserAttributeVerificationCode(
      name: "phone_number", accessToken: user.token)
    for _ in 0..<5 {
      let error = await expectCognitoError {
        try await user.client.verifyUserAttribute(
          name: "phone_number", code: Sensitive("999999x"), accessToken: user.token)
      }
      #expect(error?.serviceCode == .codeMismatch)
    }
    let limited = await expectCognitoError {
      try await user.client.verifyUserAttribute(
        name: "phone_number", code: try await user.code("phone_number"), accessToken: user.token)
    }
    #expect(limited?.serviceCode == .limitExceeded, "the right code no longer works either")
    #expect(try await user.attributes()["phone_number_verified"] != "true")
  }

  @Test("unknown and immutable attributes are InvalidParameter naming the attribute")
  func refusedNames() async throws {
    let user = try await SignedInUser()
    for (name, words) in [("custom:nope", "does not exist"), ("custom:tier", "immutable")] {
      let error = await expectCognitoError {
        _ = try await user.client.updateUserAttributes(
          [AttributeType(name: name, value: "x")], accessToken: user.token)
      }
      #expect(error?.serviceCode == .invalidParameter)
      guard case .service(let service) = error else { continue }
      let message = service.message
      #expect(message.contains(name) && message.contains(words), "\(message)")
    }
    #expect(try await user.attributes()["custom:tier"] == "gold")
  }

  @Test("ChangePassword: wrong current, weak new, then success and the new password signs in")
  func changePassword() async throws {
    let user = try await SignedInUser()
    let wrong = await expectCognitoError {
      try await user.client.changePassword(
        previous: Sensitive("not-it-1A!"), proposed: Sensitive("N3w-Passw0rd!"),
        accessToken: user.token)
    }
    #expect(wrong?.serviceCode == .notAuthorized)
    let weak = await expectCognitoError {
      try await user.client.changePassword(
        previous: Sensitive(MotoFixture.password), proposed: Sensitive("short"),
        accessToken: user.token)
    }
    #expect(weak?.serviceCode == .invalidPassword)
    try await user.client.changePassword(
      previous: Sensitive(MotoFixture.password), proposed: Sensitive("N3w-Passw0rd!"),
      accessToken: user.token)
    let auth = CognitoAuthenticator(client: user.client, appClient: user.pool.publicClient)
    // The password flow: moto checks the password there (its SRP does not).
    let (tokens, _) = try await signIn(
      auth, user.pool.confirmedUser, "N3w-Passw0rd!", flow: .userPasswordAuth)
    #expect(tokens.accessToken != nil)
    let old = await expectCognitoError {
      _ = try await signIn(auth, user.pool.confirmedUser, flow: .userPasswordAuth)
    }
    #expect(old?.serviceCode == .notAuthorized)
  }

  @Test(
    "each new request's JSON is what boto3 sends for the same call (members and types)",
    arguments: [
      "UpdateUserAttributes", "GetUserAttributeVerificationCode", "VerifyUserAttribute",
      "ChangePassword",
    ])
  func sameJSONAsBoto3(operation: String) throws {
    let client = CognitoClient(endpoint: URL(string: "http://127.0.0.1:9/")!)
    let token = Sensitive("eyJ.access.token")
    let ours: Data
    let params: [String: Any]
    switch operation {
    case "UpdateUserAttributes":
      let attributes = [
        AttributeType(name: "email", value: "z@example.org"), .init(name: "x", value: ""),
      ]
      ours = try client.makeRequest(
        operation: operation,
        input: UpdateUserAttributesRequest(userAttributes: attributes, accessToken: token)
      ).body
      params = [
        "AccessToken": token.reveal,
        "UserAttributes": [
          ["Name": "email", "Value": "z@example.org"], ["Name": "x", "Value": ""],
        ],
      ]
    case "GetUserAttributeVerificationCode":
      ours = try client.makeRequest(
        operation: operation,
        input: GetUserAttributeVerificationCodeRequest(accessToken: token, attributeName: "email")
      ).body
      params = ["AccessToken": token.reveal, "AttributeName": "email"]
    case "VerifyUserAttribute":
      ours = try client.makeRequest(
        operation: operation,
        input: VerifyUserAttributeRequest(
          accessToken: token, attributeName: "phone_number", code: Sensitive("123456"))
      ).body
      params = ["AccessToken": token.reveal, "AttributeName": "phone_number", "Code": "123456"]
    default:
      ours = try client.makeRequest(
        operation: operation,
        input: ChangePasswordRequest(
          previousPassword: Sensitive("Old-1!"), proposedPassword: Sensitive("New-1!"),
          accessToken: token)
      ).body
      params = [
        "AccessToken": token.reveal, "PreviousPassword": "Old-1!", "ProposedPassword": "New-1!",
      ]
    }
    let theirs = try ReferenceScript.run(
      "boto_request.py",
      arguments: [
        operation,
        String(decoding: try JSONSerialization.data(withJSONObject: params), as: UTF8.self),
      ],
      input: Data())
    let a = try #require(try JSONSerialization.jsonObject(with: ours) as? NSDictionary)
    let b = try #require(try JSONSerialization.jsonObject(with: theirs) as? NSDictionary)
    #expect(a == b, "ours \(a) boto3 \(b)")
  }
}
