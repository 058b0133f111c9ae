import AccountCore
import CognitoClient
import Foundation
import Keyfile
import TestSupport
import Testing

@Suite("cognito-account as a separate process, against moto")
struct CLITests {
  @Test(
    "login with the public and the secret client, SRP and password flow; then attributes",
    arguments: [false, true], [false, true])
  func loginMatrix(secret: Bool, passwordFlow: Bool) async throws {
    let world = try await CLIWorld(secretClient: secret)
    if passwordFlow {
      try FileManager.default.createDirectory(
        atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
      try "[profiles.default]\nauth_flow = \"USER_PASSWORD_AUTH\"\n".write(
        toFile: world.root + "/config/cognito-account/config.toml", atomically: true,
        encoding: .utf8)
    }
    let flags = secret ? ["--client-secret-file", world.environment["SECRET_FILE"] ?? ""] : []
    let login = try world.login(flags: flags)
    #expect(login.status == 0, "\(login.all)")
    #expect(login.stdout.contains("Signed in as \(world.pool.confirmedUser)"))
    let attributes = try world.run(["attributes"] + flags)
    #expect(attributes.status == 0, "\(attributes.all)")
    #expect(attributes.stdout.contains("custom:department  Engineering"))
    let status = try world.run(["status", "--json"] + flags)
    #expect(status.status == 0)
    let document =
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
    let flow = document?["authFlow"] as? [String: String]
    #expect(flow?["value"] == (passwordFlow ? "USER_PASSWORD_AUTH" : "USER_SRP_AUTH"))
    #expect(flow?["source"] == (passwordFlow ? "profile" : "default"))
    #expect(
      (document?["clientSecret"] as? [String: String])?["value"]?.hasPrefix(secret ? "set" : "none")
        == true)
    #expect(!world.transcript.contains(world.pool.clientSecret))
  }

  @Test("--version: one line, the same from the fast path and through the argument parser")
  func version() async throws {
    let world = try await CLIWorld()
    let fast = try world.run(["--version"])
    let parsed = try world.run(["--no-color", "--version"])
    #expect(fast.status == 0, "\(fast.all)")
    #expect(parsed.status == 0, "\(parsed.all)")
    #expect(fast.stderr.isEmpty && parsed.stderr.isEmpty)
    #expect(fast.stdout == parsed.stdout)
    #expect(fast.stdout.hasSuffix("\n") && fast.stdout.split(separator: "\n").count == 1)
    #expect(fast.stdout.hasPrefix("0."), "a version number: \(fast.stdout)")
  }

  @Test("NEW_PASSWORD_REQUIRED through standard input lines")
  func newPassword() async throws {
    let world = try await CLIWorld()
    let login = try world.login(
      world.pool.newPasswordUser, password: MotoFixture.temporaryPassword,
      extraLines: ["N3w-Passw0rd!x"])
    #expect(login.status == 0, "\(login.all)")
    let again = try world.login(world.pool.newPasswordUser, password: "N3w-Passw0rd!x")
    #expect(again.status == 0, "\(again.all)")
    let short = try world.login(
      world.pool.newPasswordUser, password: "N3w-Passw0rd!x", extraLines: [])
    #expect(short.status == 0)
  }

  @Test("MFA codes through standard input lines: SMS_MFA and SOFTWARE_TOKEN_MFA")
  func mfaThroughStandardInput() async throws {
    let world = try await CLIWorld()
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    try "[profiles.default]\nauth_flow = \"USER_PASSWORD_AUTH\"\n".write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    try world.login()
    let access = try world.storedSession().accessToken.reveal
    let secret = try await world.fixture.enrolSoftwareToken(accessToken: access)
    for totp in [false, true] {
      try await world.fixture.call(
        "AdminSetUserMFAPreference",
        [
          "UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser,
          "SoftwareTokenMfaSettings": ["Enabled": totp, "PreferredMfa": totp],
          "SMSMfaSettings": ["Enabled": !totp, "PreferredMfa": !totp],
        ])
      try world.run(["logout"])
      let missing = try world.login()
      #expect(missing.status == 3)
      #expect(missing.stderr.contains(totp ? "SOFTWARE_TOKEN_MFA code" : "SMS_MFA code"))
      let login = try world.login(extraLines: [totp ? try MotoFixture.totpCode(secret) : "123456"])
      #expect(login.status == 0, "\(login.all)")
      #expect(try world.run(["attributes"]).status == 0)
    }
  }

  @Test("a challenge whose answer line is missing is a clear local refusal")
  func missingAnswerLine() async throws {
    let world = try await CLIWorld()
    let login = try world.login(world.pool.newPasswordUser, password: MotoFixture.temporaryPassword)
    #expect(login.status == 3)
    #expect(login.stderr.contains("standard input ended before the new password"))
  }

  @Test("wrong password and unconfirmed user: Cognito errors with the next step (exit 4)")
  func signInErrors() async throws {
    let world = try await CLIWorld()
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    try "[profiles.default]\nauth_flow = \"USER_PASSWORD_AUTH\"\n".write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    let wrong = try world.login(password: "Wr0ng-Password!")
    #expect(wrong.status == 4)
    #expect(wrong.stderr.contains("NotAuthorizedException"))
    #expect(!wrong.all.contains("Wr0ng-Password!"))
    let unconfirmed = try world.login(world.pool.unconfirmedUser)
    #expect(unconfirmed.status == 4)
    #expect(unconfirmed.stderr.contains("UserNotConfirmedException"))
    #expect(unconfirmed.stderr.contains("confirm it from the sign-up email"))
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
  }

  @Test("attributes --json matches 'aws cognito-idp get-user' field by field")
  func jsonMatchesAWSCLI() async throws {
    let world = try await CLIWorld()
    try world.login()
    let ours = try world.run(["attributes", "--json"])
    #expect(ours.status == 0, "\(ours.all)")
    let token = try world.storedSession().accessToken.reveal
    let input = world.root + "/get-user.json"
    _ = FileManager.default.createFile(
      atPath: input, contents: Data(#"{"AccessToken": "\#(token)"}"#.utf8),
      attributes: [.posixPermissions: 0o600])
    let theirs = try world.runProcess(
      URL(fileURLWithPath: "/usr/bin/env"),
      [
        "aws", "cognito-idp", "get-user", "--cli-input-json", "file://" + input,
        "--endpoint-url", world.fixture.endpoint.absoluteString, "--output", "json",
      ],
      input: "", environment: world.awsEnvironment)
    #expect(theirs.status == 0, "\(theirs.stderr)")
    let a = try #require(
      try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? NSDictionary)
    let b = try #require(
      try JSONSerialization.jsonObject(with: Data(theirs.stdout.utf8)) as? NSDictionary)
    #expect(
      Set(a.allKeys.compactMap { $0 as? String }) == Set(b.allKeys.compactMap { $0 as? String }))
    for key in b.allKeys { #expect(a[key] as? NSObject == b[key] as? NSObject, "\(key)") }
  }

  @Test("delete one, several, a custom, an unknown and a protected name; AWS CLI checks the server")
  func deleteCases() async throws {
    let world = try await CLIWorld()
    try world.login()
    let one = try world.run(["delete", "given_name", "--yes"])
    #expect(one.status == 0, "\(one.all)")
    #expect(one.stdout.contains("removed: given_name"))
    var seen = try world.awsAttributes()
    #expect(seen["given_name"] == nil)
    #expect(seen["family_name"] == "Liddell")

    let several = try world.run([
      "delete", "custom:department", "locale", "custom:nope", "--yes", "--json",
    ])
    #expect(several.status == 0, "\(several.all)")
    let report =
      try JSONSerialization.jsonObject(with: Data(several.stdout.utf8)) as? [String: [String]]
    #expect(report?["removed"] == ["custom:department", "locale"])
    #expect(report?["notPresent"] == ["custom:nope"])
    #expect(report?["notRemoved"] == [])
    seen = try world.awsAttributes()
    #expect(seen["custom:department"] == nil && seen["locale"] == nil)
    #expect(seen["email"] == "alice@example.com" && seen["custom:tier"] == "gold")

    let protected = try world.run(["delete", "sub", "--yes"])
    #expect(protected.status == 3)
    #expect(protected.stderr.contains("permanent identifier"))
    let verified = try world.run(["delete", "email_verified", "--yes"])
    #expect(verified.status == 3)
    let unprefixed = try world.run(["delete", "department", "--yes"])
    #expect(unprefixed.status == 3)
    #expect(unprefixed.stderr.contains("custom:department"))
    let long = try world.run(["delete", "custom:" + String(repeating: "x", count: 30), "--yes"])
    #expect(long.status == 3)
    #expect(try world.awsAttributes()["sub"] != nil)
  }

  @Test("--dry-run and a missing --yes without a terminal change nothing")
  func nothingChanges() async throws {
    let world = try await CLIWorld()
    try world.login()
    let before = try world.awsAttributes()
    let dry = try world.run(["delete", "given_name", "phone_number", "--dry-run"])
    #expect(dry.status == 0)
    #expect(dry.stdout.contains("Would send DeleteUserAttributes for 2"))
    let unconfirmed = try world.run(["delete", "given_name"])
    #expect(unconfirmed.status == 3)
    #expect(unconfirmed.stderr.contains("--yes"))
    let readOnly = try world.run(["delete", "given_name", "--yes", "--read-only"])
    #expect(readOnly.status == 3)
    #expect(readOnly.stderr.contains("Read-only"))
    #expect(try world.awsAttributes() == before)
  }

  @Test("logout, then attributes exits 2; logout --everywhere kills the old access token")
  func logout() async throws {
    let world = try await CLIWorld()
    try world.login()
    let token = try world.storedSession().accessToken
    let out = try world.run(["logout"])
    #expect(out.status == 0, "\(out.all)")
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
    let after = try world.run(["attributes"])
    #expect(after.status == 2)
    #expect(after.stderr.contains("cognito-account login"))
    // RevokeToken also revoked the access tokens issued from that refresh token.
    let client = CognitoClient(endpoint: world.fixture.endpoint)
    #expect(
      await serviceCode { () throws(CognitoError) in
        _ = try await client.getUser(accessToken: token)
      } == .notAuthorized)

    try world.login()
    let second = try world.storedSession().accessToken
    #expect(try world.run(["logout", "--everywhere"]).status == 0)
    #expect(
      await serviceCode { () throws(CognitoError) in
        _ = try await client.getUser(accessToken: second)
      } == .notAuthorized)
    #expect(try world.run(["logout"]).stdout.contains("Not signed in"))
  }

  @Test("logout with the server unreachable still removes the keyfile, with a warning")
  func logoutOffline() async throws {
    let world = try await CLIWorld()
    try world.login()
    // The endpoint the session was made at no longer answers (nothing listens on port 9).
    let unreachable = try #require(URL(string: "http://127.0.0.1:9/"))
    try world.rebindSession(to: unreachable)
    let result = try world.run(
      ["logout"],
      extra: ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": unreachable.absoluteString])
    #expect(result.status == 0)
    #expect(result.stderr.contains("Warning: the refresh token could not be revoked"))
    #expect(!FileManager.default.fileExists(atPath: world.keyfilePath))
  }

  @Test("an expired access token is refreshed before the call (seen in the log file)")
  func proactiveRefresh() async throws {
    let world = try await CLIWorld()
    try world.login()
    var session = try world.storedSession()
    session.accessTokenExpiresAt = Int(Date().timeIntervalSince1970) - 600
    try world.replaceSession(session)
    let log = world.root + "/run.log"
    let result = try world.run(["attributes", "--log-file", log])
    #expect(result.status == 0, "\(result.all)")
    let lines = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    #expect(lines.contains("op=InitiateAuth"))
    #expect(lines.contains("op=GetUser attempt=1 result=\"HTTP 200\""))
    #expect(try world.storedSession().accessTokenExpiresAt > session.accessTokenExpiresAt)
    #expect(mode(log) == 0o600)
  }

  @Test("a rejected access token triggers one refresh and one retry")
  func refreshOnNotAuthorized() async throws {
    let world = try await CLIWorld()
    try world.login()
    var session = try world.storedSession()
    session.accessToken = Sensitive("revoked.elsewhere.token")
    try world.replaceSession(session)
    let result = try world.run(["attributes"])
    #expect(result.status == 0, "\(result.all)")
  }

  @Test("refresh-token rotation: the rotated token is stored and the old one is dead")
  func rotation() async throws {
    let world = try await CLIWorld(rotating: true)
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    try "[profiles.default]\nrefresh_token_rotation = true\n".write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    try world.login()
    var session = try world.storedSession()
    let oldRefresh = session.refreshToken
    session.accessTokenExpiresAt = 0
    try world.replaceSession(session)
    #expect(try world.run(["attributes"]).status == 0)
    #expect(try world.storedSession().refreshToken != oldRefresh)
  }

  @Test(
    "over HTTPS: an untrusted certificate is one clear line (exit 1); AWS_CA_BUNDLE and https_proxy work"
  )
  func https() async throws {
    let world = try await CLIWorld()
    let front = try TLSFront(upstream: world.fixture.endpoint)
    defer { front.stop() }
    world.environment["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] = front.url.absoluteString
    let untrusted = try world.login()
    #expect(untrusted.status == 1)
    #expect(
      untrusted.stderr.contains("the TLS connection failed (certificate not trusted: ")
        && untrusted.stderr.contains("AWS_CA_BUNDLE"), "\(untrusted.all)")
    #expect(untrusted.stderr.split(separator: "\n").count == 1)

    world.environment["AWS_CA_BUNDLE"] = front.caFile
    world.environment["https_proxy"] = "http://127.0.0.1:\(front.authProxyPort)"
    world.environment["no_proxy"] = ""
    let refused = try world.login()
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("HTTP 407") && refused.stderr.contains("https_proxy"))

    world.environment["https_proxy"] = "http://tester:pa%20ss@127.0.0.1:\(front.authProxyPort)"
    #expect(try world.login().status == 0)
    let status = try world.run(["status"])
    #expect(status.stdout.contains("proxy          127.0.0.1:\(front.authProxyPort) (https_proxy)"))
    #expect(status.stdout.contains("trust store    \(front.caFile) (AWS_CA_BUNDLE)"))
    #expect(!status.all.contains("pa ss") && !status.all.contains("pa%20ss"))
    let listed = try world.run(["attributes", "--json"])
    #expect(listed.status == 0, "\(listed.all)")
    #expect(listed.stdout.contains(world.pool.confirmedUser))
    #expect(front.proxyLog().filter { $0.hasSuffix("allowed") }.count >= 2)

    // The system trust store, as OpenSSL's variables point to it: a hashed directory, a bundle.
    world.environment["AWS_CA_BUNDLE"] = nil
    world.environment["https_proxy"] = nil
    let directory = world.root + "/certs"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let hash = try world.runProcess(
      URL(fileURLWithPath: "/usr/bin/openssl"), ["x509", "-hash", "-noout", "-in", front.caFile],
      input: "", environment: world.environment
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    try FileManager.default.createSymbolicLink(
      atPath: directory + "/\(hash).0", withDestinationPath: front.caFile)
    let viaDirectory = try world.run(["attributes"], extra: ["SSL_CERT_DIR": directory])
    #expect(viaDirectory.status == 0, "\(viaDirectory.all)")
    let viaFile = try world.run(["attributes"], extra: ["SSL_CERT_FILE": front.caFile])
    #expect(viaFile.status == 0, "\(viaFile.all)")
    #expect(try world.run(["attributes"]).status == 1)
  }

  @Test("a session revoked elsewhere ends cleanly with exit 2, never a crash")
  func revokedElsewhere() async throws {
    let world = try await CLIWorld()
    try world.login()
    try await world.fixture.call(
      "AdminUserGlobalSignOut",
      ["UserPoolId": world.pool.userPoolID, "Username": world.pool.confirmedUser])
    let result = try world.run(["attributes"])
    #expect(result.status == 2, "\(result.all)")
    #expect(result.stderr.contains("Session ended"))
  }

  @Test("usage errors exit 64; no subcommand without a terminal exits 3")
  func usage() async throws {
    let world = try await CLIWorld()
    #expect(try world.run(["frobnicate"]).status == 64)
    #expect(try world.run(["delete"]).status == 64)
    #expect(try world.run(["attributes", "--bogus"]).status == 64)
    let bare = try world.run([])
    #expect(bare.status == 3)
    #expect(bare.stderr.contains("subcommand"))
    #expect(try world.run(["--help"]).stdout.contains("64  usage error"))
  }

  @Test("settings: flag beats environment beats profile beats default; unknown profile is refused")
  func precedence() async throws {
    let world = try await CLIWorld()
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    try """
    default_profile = "work"
    [profiles.work]
    region = "eu-west-1"
    read_only = true
    """.write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    func status(_ arguments: [String], _ extra: [String: String] = [:]) throws -> [String: Any] {
      let result = try world.run(["status", "--json"] + arguments, extra: extra)
      return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        ?? [:]
    }
    let fromProfile = try status([])
    #expect((fromProfile["region"] as? [String: String])?["source"] == "profile")
    #expect((fromProfile["readOnly"] as? [String: String])?["value"] == "yes")
    #expect((fromProfile["profile"] as? [String: String])?["value"] == "work")
    let fromEnvironment = try status([], ["AWS_REGION": "ap-south-1"])
    #expect((fromEnvironment["region"] as? [String: String])?["value"] == "ap-south-1")
    let fromFlag = try status(["--region", "ca-central-1"], ["AWS_REGION": "ap-south-1"])
    #expect((fromFlag["region"] as? [String: String])?["source"] == "flag")
    let missing = try world.run(["status", "--profile", "nope"])
    #expect(missing.status == 3)
    #expect(missing.stderr.contains("profile 'nope' is not defined"))
  }

  @Test("nothing written to stdout, stderr or the log holds a token, password or secret")
  func noSecretsInOutput() async throws {
    let world = try await CLIWorld(secretClient: true)
    let flags = ["--client-secret-file", world.environment["SECRET_FILE"] ?? ""]
    let log = world.root + "/secret-scan.log"
    try world.login(flags: flags + ["--log-file", log])
    let session = try world.storedSession()
    for arguments in [
      ["status"], ["status", "--json"], ["attributes"], ["attributes", "--json"],
      ["delete", "given_name", "--yes"], ["logout", "--everywhere"],
    ] {
      try world.run(arguments + flags + ["--log-file", log])
    }
    let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    #expect(logText.contains("op=GetUser"))
    let everything = world.transcript + logText
    for secret in [
      MotoFixture.password, world.pool.clientSecret, CLIWorld.passphrase,
      session.accessToken.reveal, session.refreshToken.reveal, session.idToken?.reveal ?? "-",
    ] {
      #expect(!everything.contains(secret), "a secret leaked")
      #expect(
        !everything.contains(Data(secret.utf8).base64EncodedString()), "a secret leaked in Base64")
    }
  }
}

func mode(_ path: String) -> UInt32 {
  var info = stat()
  _ = stat(path, &info)
  return UInt32(info.st_mode & 0o777)
}

/// The service exception `body` fails with, or `nil` when it succeeds or fails otherwise.
func serviceCode(_ body: () async throws(CognitoError) -> Void) async -> ServiceErrorCode? {
  do {
    try await body()
    return nil
  } catch {
    return error.serviceCode
  }
}
