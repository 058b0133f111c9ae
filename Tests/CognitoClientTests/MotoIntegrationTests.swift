import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import TestSupport
import Testing

/// The moto server scripts/test started; a test fails clearly when it is missing.
func motoFixture() throws -> MotoFixture {
  let endpoint = try #require(
    MotoFixture.configuredEndpoint,
    "COGNITO_TEST_MOTO_URL is not set: run the suite through scripts/test, which starts moto")
  return MotoFixture(endpoint: endpoint)
}

/// A client aimed at moto that never waits between retries.
func motoClient(_ fixture: MotoFixture) -> CognitoClient {
  CognitoClient(endpoint: fixture.endpoint, sleep: { _ in }, random: { 0 })
}

/// Signs in and returns the tokens, failing the test on a challenge.
func signIn(
  _ auth: CognitoAuthenticator, _ username: String, _ password: String = MotoFixture.password,
  flow: SignInFlow = .userSRPAuth
) async throws -> (AuthenticationResultType, String) {
  let step = try await auth.signIn(username: username, password: Sensitive(password), flow: flow)
  guard case .signedIn(let result, let canonical) = step else {
    throw FixtureError("expected tokens, got a challenge")
  }
  return (result, canonical)
}

@Suite("Every operation against moto")
struct MotoIntegrationTests {
  @Test(
    "sign-in with SRP and with the password flow, through the public and the secret client",
    arguments: [SignInFlow.userSRPAuth, .userPasswordAuth], [false, true])
  func signInFlows(flow: SignInFlow, secret: Bool) async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let auth = CognitoAuthenticator(
      client: motoClient(fixture), appClient: secret ? pool.secretClient : pool.publicClient)
    let (tokens, username) = try await signIn(auth, pool.confirmedUser, flow: flow)
    #expect(username == pool.confirmedUser)
    let access = try #require(tokens.accessToken)
    #expect(tokens.refreshToken != nil)
    #expect(tokens.idToken != nil)
    #expect(tokens.expiresIn == 3600)
    let claims = try #require(JWTClaims(token: access))
    #expect(claims.clientID == (secret ? pool.secretClientID : pool.publicClientID))
    #expect(claims.userPoolID == pool.userPoolID)
    let user = try await motoClient(fixture).getUser(accessToken: access)
    #expect(user.username == pool.confirmedUser)
  }

  @Test("a pool's public key set: 200 for a pool that exists, 404 (missing) for one that does not")
  func lookUpUserPool() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    #expect(await client.lookUpUserPool(pool.userPoolID) == .exists)
    #expect(await client.lookUpUserPool("us-east-1_NoSuchPool1") == .missing)
    #expect(await client.lookUpUserPool("../etc/passwd") == .missing, "never sent as a path")
  }

  @Test("SRP without SECRET_HASH on the secret client is refused by the server")
  func srpNeedsSecretHash() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    var noSecret = pool.secretClient
    noSecret.clientSecret = nil
    let auth = CognitoAuthenticator(client: motoClient(fixture), appClient: noSecret)
    let error = await expectCognitoError {
      _ = try await signIn(auth, pool.confirmedUser)
    }
    #expect(error?.serviceCode == .notAuthorized)
  }

  @Test("GetUser returns every seeded attribute, in the service model's shape")
  func getUser() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let auth = CognitoAuthenticator(client: motoClient(fixture), appClient: pool.publicClient)
    let (tokens, _) = try await signIn(auth, pool.confirmedUser)
    let user = try await motoClient(fixture).getUser(accessToken: try #require(tokens.accessToken))
    let attributes = Dictionary(
      user.userAttributes.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
    for (name, value) in MotoFixture.confirmedUserAttributes {
      #expect(attributes[name] == value, "attribute \(name)")
    }
    #expect(attributes["sub"]?.isEmpty == false)
    #expect(user.mfaOptions == [])
  }

  @Test("NEW_PASSWORD_REQUIRED, through both flows; a weak new password is InvalidPassword")
  func newPasswordRequired() async throws {
    let fixture = try motoFixture()
    for flow in [SignInFlow.userPasswordAuth, .userSRPAuth] {
      let pool = try await fixture.seedPool()
      let auth = CognitoAuthenticator(client: motoClient(fixture), appClient: pool.secretClient)
      let step = try await auth.signIn(
        username: pool.newPasswordUser, password: Sensitive(MotoFixture.temporaryPassword),
        flow: flow)
      guard case .challenge(let challenge) = step else {
        Issue.record("expected NEW_PASSWORD_REQUIRED")
        continue
      }
      #expect(challenge.kind == .newPasswordRequired)
      #expect(challenge.username == pool.newPasswordUser)
      let weak = await expectCognitoError {
        _ = try await auth.respond(to: challenge, with: .newPassword("short"))
      }
      #expect(weak?.serviceCode == .invalidPassword)
      // The session was not consumed by the refusal; sign in again for a fresh one.
      guard
        case .challenge(let again) = try await auth.signIn(
          username: pool.newPasswordUser, password: Sensitive(MotoFixture.temporaryPassword),
          flow: flow)
      else {
        Issue.record("expected NEW_PASSWORD_REQUIRED again")
        continue
      }
      let done = try await auth.respond(to: again, with: .newPassword("N3wPassw0rd!x"))
      guard case .signedIn(let tokens, _) = done else {
        Issue.record("expected tokens after the new password")
        continue
      }
      #expect(tokens.accessToken != nil)
      _ = try await signIn(auth, pool.newPasswordUser, "N3wPassw0rd!x", flow: flow)
    }
  }

  @Test(
    "sign-in errors: wrong password, unconfirmed user, unknown user, unknown client",
    arguments: [SignInFlow.userSRPAuth, .userPasswordAuth])
  func signInErrors(flow: SignInFlow) async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let auth = CognitoAuthenticator(client: motoClient(fixture), appClient: pool.publicClient)
    if flow == .userPasswordAuth {
      // moto checks no SRP proof, so a wrong password is only detectable in the password flow.
      let wrong = await expectCognitoError {
        _ = try await signIn(auth, pool.confirmedUser, "Wr0ngPassword!", flow: flow)
      }
      #expect(wrong?.serviceCode == .notAuthorized)
    }
    let unconfirmed = await expectCognitoError {
      _ = try await signIn(auth, pool.unconfirmedUser, flow: flow)
    }
    #expect(unconfirmed?.serviceCode == .userNotConfirmed)
    let unknownUser = await expectCognitoError {
      _ = try await signIn(auth, "nobody-\(UUID().uuidString)", flow: flow)
    }
    #expect(unknownUser?.serviceCode == .userNotFound)
    let badClient = CognitoAuthenticator(
      client: motoClient(fixture),
      appClient: AppClient(userPoolID: pool.userPoolID, clientID: "doesnotexist0000000000000"))
    let unknownClient = await expectCognitoError {
      _ = try await signIn(badClient, pool.confirmedUser, flow: flow)
    }
    #expect(unknownClient?.serviceCode == .resourceNotFound)
  }

  @Test("DeleteUserAttributes removes one, then several; the rest stay (checked by AdminGetUser)")
  func deleteAttributes() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let auth = CognitoAuthenticator(client: client, appClient: pool.publicClient)
    let (tokens, _) = try await signIn(auth, pool.confirmedUser)
    let access = try #require(tokens.accessToken)
    try await client.deleteUserAttributes(names: ["given_name"], accessToken: access)
    var seen = try await fixture.adminAttributes(
      poolID: pool.userPoolID, username: pool.confirmedUser)
    #expect(seen["given_name"] == nil)
    #expect(seen["family_name"] == "Liddell")
    try await client.deleteUserAttributes(
      names: ["custom:department", "locale"], accessToken: access)
    seen = try await fixture.adminAttributes(poolID: pool.userPoolID, username: pool.confirmedUser)
    #expect(seen["custom:department"] == nil)
    #expect(seen["locale"] == nil)
    for name in ["email", "family_name", "phone_number", "custom:tier", "sub"] {
      #expect(seen[name] != nil, "\(name) must remain")
    }
  }

  @Test("deleting an unknown or unprefixed name is InvalidParameter and changes nothing")
  func deleteUnknown() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let (tokens, _) = try await signIn(
      CognitoAuthenticator(client: client, appClient: pool.publicClient), pool.confirmedUser)
    let access = try #require(tokens.accessToken)
    let before = try await fixture.adminAttributes(
      poolID: pool.userPoolID, username: pool.confirmedUser)
    for names in [["custom:nope"], ["department"], ["family_name", "nope"]] {
      let error = await expectCognitoError {
        try await client.deleteUserAttributes(names: names, accessToken: access)
      }
      #expect(error?.serviceCode == .invalidParameter, "\(names)")
    }
    let after = try await fixture.adminAttributes(
      poolID: pool.userPoolID, username: pool.confirmedUser)
    #expect(before == after)
  }

  @Test("UpdateUserAttributes restores a removed attribute")
  func updateAttributes() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let (tokens, _) = try await signIn(
      CognitoAuthenticator(client: client, appClient: pool.publicClient), pool.confirmedUser)
    let access = try #require(tokens.accessToken)
    try await client.deleteUserAttributes(names: ["custom:department"], accessToken: access)
    _ = try await client.updateUserAttributes(
      [AttributeType(name: "custom:department", value: "Engineering")], accessToken: access)
    let seen = try await fixture.adminAttributes(
      poolID: pool.userPoolID, username: pool.confirmedUser)
    #expect(seen["custom:department"] == "Engineering")
  }

  @Test("REFRESH_TOKEN_AUTH: public client; secret client with the canonical username's hash")
  func refresh() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    for app in [pool.publicClient, pool.secretClient] {
      let auth = CognitoAuthenticator(client: client, appClient: app)
      let (tokens, username) = try await signIn(auth, pool.confirmedUser)
      let refreshed = try await auth.refresh(
        refreshToken: try #require(tokens.refreshToken), username: username, rotation: false)
      #expect(refreshed.refreshToken == nil)
      let access = try #require(refreshed.accessToken)
      #expect(access != tokens.accessToken)
      _ = try await client.getUser(accessToken: access)
    }
    // A hash over some other name (an alias, say) is refused by the server.
    let auth = CognitoAuthenticator(client: client, appClient: pool.secretClient)
    let (tokens, _) = try await signIn(auth, pool.confirmedUser)
    let error = await expectCognitoError {
      _ = try await auth.refresh(
        refreshToken: try #require(tokens.refreshToken), username: "alice@example.com",
        rotation: false)
    }
    #expect(error?.serviceCode == .notAuthorized)
  }

  @Test("GetTokensFromRefreshToken with rotation: a new refresh token; the old one stops working")
  func rotation() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let auth = CognitoAuthenticator(client: client, appClient: pool.rotatingClient)
    let (tokens, username) = try await signIn(auth, pool.confirmedUser)
    let old = try #require(tokens.refreshToken)
    let rotated = try await auth.refresh(refreshToken: old, username: username, rotation: true)
    let new = try #require(rotated.refreshToken)
    #expect(new != old)
    _ = try await client.getUser(accessToken: try #require(rotated.accessToken))
    let reuse = await expectCognitoError {
      _ = try await auth.refresh(refreshToken: old, username: username, rotation: true)
    }
    #expect(reuse?.serviceCode == .notAuthorized)
    _ = try await auth.refresh(refreshToken: new, username: username, rotation: true)
  }

  @Test("GlobalSignOut: the access token and the refresh token stop working")
  func globalSignOut() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let auth = CognitoAuthenticator(client: client, appClient: pool.publicClient)
    let (tokens, username) = try await signIn(auth, pool.confirmedUser)
    let access = try #require(tokens.accessToken)
    try await client.globalSignOut(accessToken: access)
    let getUser = await expectCognitoError { _ = try await client.getUser(accessToken: access) }
    #expect(getUser?.serviceCode == .notAuthorized)
    let refresh = await expectCognitoError {
      _ = try await auth.refresh(
        refreshToken: try #require(tokens.refreshToken), username: username, rotation: false)
    }
    #expect(refresh?.serviceCode == .notAuthorized)
  }

  @Test("RevokeToken: the refresh token and its access tokens stop working; wrong secret refused")
  func revokeToken() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let auth = CognitoAuthenticator(client: client, appClient: pool.secretClient)
    let (tokens, username) = try await signIn(auth, pool.confirmedUser)
    let refreshToken = try #require(tokens.refreshToken)
    let wrongSecret = await expectCognitoError {
      try await client.revokeToken(refreshToken, clientID: pool.secretClientID, clientSecret: "no")
    }
    #expect(wrongSecret?.serviceCode == .unauthorized)
    try await client.revokeToken(
      refreshToken, clientID: pool.secretClientID, clientSecret: Sensitive(pool.clientSecret))
    let access = await expectCognitoError {
      _ = try await client.getUser(accessToken: try #require(tokens.accessToken))
    }
    #expect(access?.serviceCode == .notAuthorized)
    let refresh = await expectCognitoError {
      _ = try await auth.refresh(refreshToken: refreshToken, username: username, rotation: false)
    }
    #expect(refresh?.serviceCode == .notAuthorized)
  }

  @Test("token errors: garbage, deleted user, disabled user; echoed tokens are redacted")
  func tokenErrors() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let garbage = await expectCognitoError { _ = try await client.getUser(accessToken: "garbage") }
    #expect(garbage?.serviceCode == .notAuthorized)

    let auth = CognitoAuthenticator(client: client, appClient: pool.publicClient)
    let (tokens, _) = try await signIn(auth, pool.confirmedUser)
    let access = try #require(tokens.accessToken)
    // moto echoes the raw token in UpdateUserAttributes' error message.
    let echoed = await expectCognitoError {
      _ = try await client.updateUserAttributes(
        [AttributeType(name: "locale", value: "fr")], accessToken: Sensitive("x" + access.reveal))
    }
    #expect(echoed?.serviceCode == .notAuthorized)
    #expect(echoed?.description.contains(String(access.reveal.prefix(20))) == false)

    try await fixture.call(
      "AdminDisableUser", ["UserPoolId": pool.userPoolID, "Username": pool.confirmedUser])
    let disabled = await expectCognitoError { _ = try await client.getUser(accessToken: access) }
    #expect(disabled?.serviceCode == .notAuthorized)
    try await fixture.call(
      "AdminDeleteUser", ["UserPoolId": pool.userPoolID, "Username": pool.confirmedUser])
    let deleted = await expectCognitoError {
      try await client.deleteUserAttributes(names: ["locale"], accessToken: access)
    }
    #expect(deleted?.serviceCode == .userNotFound)
  }

  @Test("SOFTWARE_TOKEN_MFA and SMS_MFA challenges, answered with SECRET_HASH")
  func mfaChallenges() async throws {
    let fixture = try motoFixture()
    let pool = try await fixture.seedPool()
    let client = motoClient(fixture)
    let auth = CognitoAuthenticator(client: client, appClient: pool.secretClient)
    let (tokens, _) = try await signIn(auth, pool.confirmedUser)
    let access = try #require(tokens.accessToken).reveal
    let secret = try await fixture.enrolSoftwareToken(accessToken: access)
    for expected in [PendingChallenge.Kind.softwareTokenMFA, .smsMFA] {
      let totp = expected == .softwareTokenMFA
      try await fixture.call(
        "AdminSetUserMFAPreference",
        [
          "UserPoolId": pool.userPoolID, "Username": pool.confirmedUser,
          "SoftwareTokenMfaSettings": ["Enabled": totp, "PreferredMfa": totp],
          "SMSMfaSettings": ["Enabled": !totp, "PreferredMfa": !totp],
        ])
      let step = try await auth.signIn(
        username: pool.confirmedUser, password: Sensitive(MotoFixture.password),
        flow: .userPasswordAuth)
      guard case .challenge(let challenge) = step else {
        Issue.record("expected an MFA challenge")
        continue
      }
      #expect(challenge.kind == expected)
      // The harness checks an authenticator's code against the enrolled secret.
      let code = totp ? try MotoFixture.totpCode(secret) : "123456"
      let done = try await auth.respond(to: challenge, with: .code(Sensitive(code)))
      guard case .signedIn(let result, _) = done else {
        Issue.record("expected tokens after the MFA code")
        continue
      }
      #expect(result.accessToken != nil)
    }
  }
}
