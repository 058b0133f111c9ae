import AccountCore
public import CognitoClient
public import Foundation
import HTTPStack

/// Seeds moto (started by `scripts/test`) with pools, clients and users for integration tests.
///
/// Admin operations are sent unsigned: moto routes unsigned requests to us-east-1 and does not
/// check signatures. Every test seeds its own pool, so tests share the server but no state.
public struct MotoFixture: Sendable {
  /// The server's base URL.
  public let endpoint: URL

  /// The URL `scripts/test` exported in `COGNITO_TEST_MOTO_URL`, if any.
  public static var configuredEndpoint: URL? {
    ProcessInfo.processInfo.environment["COGNITO_TEST_MOTO_URL"].flatMap(URL.init(string:))
  }

  /// Creates a fixture for the server at `endpoint`.
  public init(endpoint: URL) { self.endpoint = endpoint }

  /// The password every seeded confirmed user has.
  public static let password = "Passw0rd!Zz"
  /// The temporary password of the FORCE_CHANGE_PASSWORD user.
  public static let temporaryPassword = "TempPassw0rd!"

  /// How a seeded pool tracks devices.
  public enum DeviceTracking: Sendable {
    /// Every confirmed device is remembered.
    case always
    /// The user decides whether to remember a device.
    case userPrompt
  }

  /// What ``seedPool()`` created.
  public struct SeededPool: Sendable {
    /// `us-east-1_…`.
    public var userPoolID: String
    /// A client without a secret.
    public var publicClientID: String
    /// A client with a secret.
    public var secretClientID: String
    /// That client's secret.
    public var clientSecret: String
    /// A client without a secret and with refresh-token rotation on.
    public var rotatingClientID: String
    /// CONFIRMED, with standard and custom attributes.
    public var confirmedUser: String
    /// FORCE_CHANGE_PASSWORD.
    public var newPasswordUser: String
    /// UNCONFIRMED (signed up, never confirmed).
    public var unconfirmedUser: String

    /// The app client description for the public client.
    public var publicClient: AppClient {
      AppClient(userPoolID: userPoolID, clientID: publicClientID)
    }
    /// The app client description for the secret client.
    public var secretClient: AppClient {
      AppClient(
        userPoolID: userPoolID, clientID: secretClientID, clientSecret: Sensitive(clientSecret))
    }
    /// The app client description for the rotating client.
    public var rotatingClient: AppClient {
      AppClient(userPoolID: userPoolID, clientID: rotatingClientID)
    }
  }

  /// The attributes the confirmed user starts with (besides `sub`).
  public static let confirmedUserAttributes: [(String, String)] = [
    ("email", "alice@example.com"),
    ("email_verified", "true"),
    ("given_name", "Alice"),
    ("family_name", "Liddell"),
    ("locale", "en-US"),
    ("phone_number", "+15555550100"),
    ("custom:department", "Engineering"),
    ("custom:tier", "gold"),
  ]

  /// Creates a pool in us-east-1 with three clients and three users in distinct states. With
  /// `verifyBeforeUpdate`, a changed email or phone_number keeps its old value until the code
  /// sent to the new one is verified (`AttributesRequireVerificationBeforeUpdate`); otherwise it
  /// applies at once and becomes unverified, Cognito's default.
  ///
  /// - Parameters:
  ///   - devices: the pool's `DeviceConfiguration`: `.always` remembers every confirmed device,
  ///     `.userPrompt` leaves it to the user; nil tracks none.
  ///   - requireMFA: MFA required (`MfaConfiguration` ON) with authenticator apps allowed, so
  ///     a user without one gets `MFA_SETUP` at sign-in.
  public func seedPool(
    verifyBeforeUpdate: Bool = false, devices: DeviceTracking? = nil, requireMFA: Bool = false
  ) async throws -> SeededPool {
    let suffix = String(UUID().uuidString.prefix(8)).lowercased()
    var settings: [String: Any] = [:]
    if let devices {
      settings["DeviceConfiguration"] = [
        "ChallengeRequiredOnNewDevice": true,
        "DeviceOnlyRememberedOnUserPrompt": devices == .userPrompt,
      ]
    }
    if verifyBeforeUpdate {
      settings["AutoVerifiedAttributes"] = ["email", "phone_number"]
      settings["UserAttributeUpdateSettings"] = [
        "AttributesRequireVerificationBeforeUpdate": ["email", "phone_number"]
      ]
    }
    let pool = try await call(
      "CreateUserPool",
      settings.merging([
        "PoolName": "test-\(suffix)",
        "Schema": [
          ["Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true],
          ["Name": "given_name", "AttributeDataType": "String", "Mutable": true],
          ["Name": "family_name", "AttributeDataType": "String", "Mutable": true],
          ["Name": "name", "AttributeDataType": "String", "Mutable": true],
          ["Name": "locale", "AttributeDataType": "String", "Mutable": true],
          ["Name": "phone_number", "AttributeDataType": "String", "Mutable": true],
          ["Name": "department", "AttributeDataType": "String", "Mutable": true],
          ["Name": "tier", "AttributeDataType": "String", "Mutable": false],
        ],
      ]) { $1 })
    guard let poolID = (pool["UserPool"] as? [String: Any])?["Id"] as? String else {
      throw FixtureError("CreateUserPool returned no id")
    }
    if requireMFA {
      try await call(
        "SetUserPoolMfaConfig",
        [
          "UserPoolId": poolID, "MfaConfiguration": "ON",
          "SoftwareTokenMfaConfiguration": ["Enabled": true],
        ])
    }
    let flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    let publicClient = try await createClient(poolID, name: "public", secret: false, flows: flows)
    let secretClient = try await createClient(poolID, name: "secret", secret: true, flows: flows)
    let rotating = try await createClient(
      poolID, name: "rotating", secret: false, flows: flows,
      extra: ["RefreshTokenRotation": ["Feature": "ENABLED", "RetryGracePeriodSeconds": 0]])

    let alice = "alice-\(suffix)"
    try await call(
      "AdminCreateUser",
      [
        "UserPoolId": poolID, "Username": alice, "MessageAction": "SUPPRESS",
        "TemporaryPassword": Self.temporaryPassword,
        "UserAttributes": Self.confirmedUserAttributes.map { ["Name": $0.0, "Value": $0.1] },
      ])
    try await call(
      "AdminSetUserPassword",
      ["UserPoolId": poolID, "Username": alice, "Password": Self.password, "Permanent": true])

    let bob = "bob-\(suffix)"
    try await call(
      "AdminCreateUser",
      [
        "UserPoolId": poolID, "Username": bob, "MessageAction": "SUPPRESS",
        "TemporaryPassword": Self.temporaryPassword,
        "UserAttributes": [["Name": "email", "Value": "bob@example.com"]],
      ])

    let carol = "carol-\(suffix)"
    try await call(
      "SignUp",
      [
        "ClientId": publicClient.id, "Username": carol, "Password": Self.password,
        "UserAttributes": [["Name": "email", "Value": "carol@example.com"]],
      ])
    return SeededPool(
      userPoolID: poolID, publicClientID: publicClient.id, secretClientID: secretClient.id,
      clientSecret: secretClient.secret ?? "", rotatingClientID: rotating.id,
      confirmedUser: alice, newPasswordUser: bob, unconfirmedUser: carol)
  }

  private func createClient(
    _ poolID: String, name: String, secret: Bool, flows: [String], extra: [String: Any] = [:]
  ) async throws -> (id: String, secret: String?) {
    var body: [String: Any] = [
      "UserPoolId": poolID, "ClientName": name, "GenerateSecret": secret,
      "ExplicitAuthFlows": flows,
    ]
    body.merge(extra) { $1 }
    let response = try await call("CreateUserPoolClient", body)
    guard let client = response["UserPoolClient"] as? [String: Any],
      let id = client["ClientId"] as? String
    else { throw FixtureError("CreateUserPoolClient returned no id") }
    return (id, client["ClientSecret"] as? String)
  }

  /// Seeding is heavy for moto (one Python process for every test running at once): at most six
  /// fixture requests are in flight, as URLSession allowed per host, each with a minute to answer,
  /// so seeding never starves the programs under test.
  private static let gate = FixtureGate(limit: 6)
  private static let transport = SocketTransport(
    options: .init(
      connectTimeout: .seconds(60), totalTimeout: .seconds(120), maxResponseBytes: 16 << 20))

  /// Sends one unsigned JSON 1.1 request and returns the decoded object; throws on non-2xx.
  @discardableResult
  public func call(_ operation: String, _ body: [String: Any]) async throws -> [String: Any] {
    let request = HTTPRequest(
      url: endpoint,
      headers: [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "AWSCognitoIdentityProviderService.\(operation)"),
      ],
      body: try JSONSerialization.data(withJSONObject: body))
    await Self.gate.enter()
    let result: Result<HTTPResponse, TransportFailure>
    do {
      result = .success(try await Self.transport.send(request))
    } catch {
      result = .failure(error)
    }
    await Self.gate.leave()
    let response = try result.get()
    let (data, status) = (response.body, response.status)
    let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    guard (200..<300).contains(status) else {
      throw FixtureError(
        "\(operation) failed with HTTP \(status): \(object["__type"] ?? "") \(object["message"] ?? "")"
      )
    }
    return object
  }

  /// Enrols an authenticator app for the token's user, as an app would: the secret the harness
  /// hands out (AssociateSoftwareToken), then the RFC 6238 code pyotp computes for it.
  /// Returns the secret (for the codes of later sign-ins).
  @discardableResult
  public func enrolSoftwareToken(accessToken: String) async throws -> String {
    let answer = try await call("AssociateSoftwareToken", ["AccessToken": accessToken])
    guard let secret = answer["SecretCode"] as? String else {
      throw FixtureError("AssociateSoftwareToken answered without a SecretCode")
    }
    let code = String(
      decoding: try ReferenceScript.run("totp_code.py", arguments: [secret], input: Data()),
      as: UTF8.self
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try await call("VerifySoftwareToken", ["AccessToken": accessToken, "UserCode": code])
    return secret
  }

  /// The RFC 6238 code for `secret` now (pyotp).
  public static func totpCode(_ secret: String) throws -> String {
    String(
      decoding: try ReferenceScript.run("totp_code.py", arguments: [secret], input: Data()),
      as: UTF8.self
    ).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The verification code the harness last sent for `attribute` of `username` (a test-only
  /// operation of scripts/moto_server.py: moto sends no mail).
  public func verificationCode(poolID: String, username: String, attribute: String) async throws
    -> String
  {
    let answer = try await call(
      "HarnessVerificationCode",
      ["UserPoolId": poolID, "Username": username, "AttributeName": attribute])
    guard let code = answer["Code"] as? String else { throw FixtureError("no code in \(answer)") }
    return code
  }

  /// Makes every verification code sent so far in the pool expire now (test-only, like the
  /// above; other tests' pools are left alone).
  public func expireVerificationCodes(poolID: String) async throws {
    try await call("HarnessExpireVerificationCodes", ["UserPoolId": poolID])
  }

  /// The user's attributes as an independent client (AdminGetUser) sees them.
  public func adminAttributes(poolID: String, username: String) async throws -> [String: String] {
    let user = try await call("AdminGetUser", ["UserPoolId": poolID, "Username": username])
    var attributes: [String: String] = [:]
    for entry in user["UserAttributes"] as? [[String: Any]] ?? [] {
      if let name = entry["Name"] as? String { attributes[name] = entry["Value"] as? String ?? "" }
    }
    return attributes
  }
}

/// A fixture step failed.
public struct FixtureError: Error, CustomStringConvertible {
  /// What went wrong.
  public var description: String
  /// Creates the error.
  public init(_ description: String) { self.description = description }
}

/// A counting gate for async callers: at most `limit` inside at once, the rest wait in order.
actor FixtureGate {
  private let limit: Int
  private var inside = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) { self.limit = limit }

  func enter() async {
    if inside < limit {
      inside += 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  func leave() {
    if waiting.isEmpty {
      inside -= 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}
