import AWSCredentialChain
import AccountCore
import Foundation
import HTTPStack
import SigV4
import TestSupport
import Testing

/// A home directory with `~/.aws` files, made for one test.
struct AWSHome {
  let path: String

  init(credentials: String? = nil, config: String? = nil) throws {
    path = NSTemporaryDirectory() + "aws-home-" + UUID().uuidString
    try FileManager.default.createDirectory(
      atPath: path + "/.aws/sso/cache", withIntermediateDirectories: true)
    if let credentials { try write(".aws/credentials", credentials) }
    if let config { try write(".aws/config", config) }
  }

  func write(_ relative: String, _ text: String, mode: Int = 0o600) throws {
    try text.write(toFile: path + "/" + relative, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes(
      [.posixPermissions: mode], ofItemAtPath: path + "/" + relative)
  }

  func chain(
    _ environment: [String: String] = [:], profile: String? = nil,
    mfa: @escaping @Sendable (String) async throws(CredentialError) -> Sensitive = { _ in "000000" }
  ) -> CredentialChain {
    CredentialChain(
      environment: ["AWS_EC2_METADATA_DISABLED": "true"].merging(environment) { $1 },
      home: path, explicitProfile: profile, region: "us-east-1",
      transport: SocketTransport(), metadataTransport: SocketTransport(options: .cloudMetadata),
      mfaCode: mfa)
  }
}

/// The error `body` throws, or nil (recorded as an issue) when it throws none.
func caughtError(
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () async throws(CredentialError) -> Void
) async -> CredentialError? {
  do {
    try await body()
    Issue.record("no error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

@Suite("The AWS credential chain")
struct CredentialChainTests {
  static let staticFiles = """
    [default]
    aws_access_key_id = AKIADEFAULT
    aws_secret_access_key = default-secret

    # a comment
    [staff]
    aws_access_key_id=AKIASTAFF
    aws_secret_access_key =  staff/secret+key
    aws_session_token = staff-token
    """

  @Test("environment keys come first, unless a profile is named explicitly")
  func environmentFirst() async throws {
    let home = try AWSHome(credentials: Self.staticFiles)
    let environment = [
      "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
      "AWS_SESSION_TOKEN": "env-token", "AWS_PROFILE": "staff",
    ]
    let fromEnvironment = try await home.chain(environment).resolve()
    #expect(fromEnvironment.credentials.accessKeyID == "AKIAENV")
    #expect(fromEnvironment.credentials.sessionToken?.reveal == "env-token")
    #expect(fromEnvironment.source == "environment variables")
    let explicit = try await home.chain(environment, profile: "staff").resolve()
    #expect(explicit.credentials.accessKeyID == "AKIASTAFF")
    #expect(explicit.credentials.secretAccessKey.reveal == "staff/secret+key")
    #expect(explicit.source == "profile staff (~/.aws/credentials)")
    let viaVariable = try await home.chain(["AWS_PROFILE": "staff"]).resolve()
    #expect(viaVariable.credentials.accessKeyID == "AKIASTAFF")
    let byDefault = try await home.chain().resolve()
    #expect(byDefault.credentials.accessKeyID == "AKIADEFAULT")
  }

  @Test("half a key pair in the environment is an error naming the missing half")
  func halfEnvironment() async throws {
    let home = try AWSHome()
    do {
      let error = await caughtError {
        () async throws(CredentialError) in
        _ = try await home.chain(["AWS_ACCESS_KEY_ID": "AKIA"]).resolve()
      }
      #expect(
        error.map({ "\($0)".contains("AWS_SECRET_ACCESS_KEY is not") }) == true,
        "\(String(describing: error))")
    }
  }

  @Test("config-file profiles, merged with the credentials file, which wins")
  func configProfiles() async throws {
    let home = try AWSHome(
      credentials: "[ops]\naws_secret_access_key = from-credentials\n",
      config: """
        [profile ops]
        aws_access_key_id = AKIAOPS
        aws_secret_access_key = from-config
        region = eu-west-1
        s3 =
          max_concurrent_requests = 10
        """)
    let resolved = try await home.chain(profile: "ops").resolve()
    #expect(resolved.credentials.accessKeyID == "AKIAOPS")
    #expect(resolved.credentials.secretAccessKey.reveal == "from-credentials")
  }

  @Test("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files")
  func movedFiles() async throws {
    let home = try AWSHome()
    try home.write(
      "elsewhere", "[moved]\naws_access_key_id = AKIAMOVED\naws_secret_access_key = s\n")
    let resolved = try await home.chain(
      ["AWS_SHARED_CREDENTIALS_FILE": home.path + "/elsewhere", "AWS_PROFILE": "moved"]
    ).resolve()
    #expect(resolved.credentials.accessKeyID == "AKIAMOVED")
  }

  @Test("a named profile that does not exist, and a broken file, each say where")
  func missingAndBroken() async throws {
    let home = try AWSHome(credentials: Self.staticFiles)
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await home.chain(profile: "nobody").resolve()
      }
      #expect(
        error.map({
          if case .profileNotFound("nobody", _) = $0 { return true } else { return false }
        }) == true, "\(String(describing: error))")
    }
    let broken = try AWSHome(credentials: "[ok]\naws_access_key_id = A\nthis line is wrong\n")
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await broken.chain(profile: "ok").resolve()
      }
      #expect(
        error.map({
          if case .invalidFile(let path, 3, _) = $0 { return path.hasSuffix(".aws/credentials") }
          return false
        }) == true, "\(String(describing: error))")
    }
    let noSecret = try AWSHome(credentials: "[half]\naws_access_key_id = AKIA\n")
    do {
      let error = await caughtError {
        () async throws(CredentialError) in
        _ = try await noSecret.chain(profile: "half").resolve()
      }
      #expect(
        error.map({ "\($0)".contains("no aws_secret_access_key") }) == true,
        "\(String(describing: error))")
    }
  }

  @Test("a directory or a named pipe in a credentials file's place is an error saying why")
  func unreadableFiles() async throws {
    let home = try AWSHome()
    try FileManager.default.createDirectory(
      atPath: home.path + "/.aws/credentials", withIntermediateDirectories: true)
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await home.chain(profile: "any").resolve()
      }
      #expect(
        error
          == .invalidFile(
            path: home.path + "/.aws/credentials", line: 0, reason: "cannot be read: Is a directory"
          ),
        "\(String(describing: error))")
    }
    // A named pipe with no writer would block a plain open for ever.
    let other = try AWSHome()
    let fifo = other.path + "/config-pipe"
    #expect(mkfifo(fifo, 0o600) == 0)
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await other.chain(["AWS_CONFIG_FILE": fifo], profile: "any").resolve()
      }
      #expect(
        error
          == .invalidFile(
            path: fifo, line: 0, reason: "cannot be read: a named pipe or a socket, not a file"),
        "\(String(describing: error))")
      #expect(
        error?.description == fifo + ": cannot be read: a named pipe or a socket, not a file")
    }
    // A path the process cannot follow (here a symbolic-link loop; a directory it may not
    // search is the same for a user other than root) is a missing file, as the AWS CLI takes
    // it: the profile is then simply not found.
    let loop = other.path + "/loop"
    #expect(symlink(loop, loop) == 0)
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await other.chain(["AWS_CONFIG_FILE": loop], profile: "any").resolve()
      }
      #expect(
        error.map({
          if case .profileNotFound("any", _) = $0 { return true } else { return false }
        }) == true, "\(String(describing: error))")
    }
    let container = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds"]
    for (tokenFile, reason) in [
      (home.path + "/no-token", "does not exist"),
      (fifo, "cannot be read: a named pipe or a socket, not a file"),
    ] {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await other.chain(
          container.merging(["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile]) { $1 }
        ).resolve()
      }
      #expect(
        error.map({ "\($0)".hasSuffix("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + reason) })
          == true, "\(String(describing: error))")
    }
  }

  @Test("credential_process: quoted paths, its JSON, and each way it can fail")
  func credentialProcess() async throws {
    let home = try AWSHome()
    try FileManager.default.createDirectory(
      atPath: home.path + "/dir with space", withIntermediateDirectories: true)
    let script = home.path + "/dir with space/creds"
    try home.write(
      "dir with space/creds",
      """
      #!/bin/sh
      case "$1" in
        good) echo '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2099-01-01T00:00:00Z"}' ;;
        v2) echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}' ;;
        junk) echo 'not json proc-secret' ;;
        fail) echo 'proc-secret' ; exit 3 ;;
      esac
      """, mode: 0o700)
    try home.write(
      ".aws/config",
      """
      [profile good]
      credential_process = "\(script)" good
      [profile v2]
      credential_process = '\(script)' v2
      [profile junk]
      credential_process = "\(script)" junk
      [profile fail]
      credential_process = "\(script)" fail
      [profile missing]
      credential_process = /nonexistent/tool --flag
      """)
    let good = try await home.chain(profile: "good").resolve()
    #expect(good.credentials.accessKeyID == "ASIAPROC")
    #expect(good.credentials.sessionToken?.reveal == "proc-token")
    #expect(good.credentials.expiration == Date(timeIntervalSince1970: 4_070_908_800))
    #expect(good.source == "profile good: credential_process")
    #expect(good.renew != nil)
    for (profile, fragment) in [
      ("v2", "Version 2, not 1"), ("junk", "not credentials"), ("fail", "status 3"),
      ("missing", "cannot run /nonexistent/tool"),
    ] {
      do {
        let error = await caughtError {
          () async throws(CredentialError) in
          _ = try await home.chain(profile: profile).resolve()
        }
        #expect(
          error.map({ "\($0)".contains(fragment) && !"\($0)".contains("proc-secret") }) == true,
          "\(String(describing: error))")
      }
    }
  }

  @Test("IAM Identity Center: the cached token, its expiry, and the portal call")
  func sso() async throws {
    let server = try ScriptedHTTPServer(script: [
      .json(
        #"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":4070908800000}}"#
      )
    ])
    defer { server.stop() }
    let home = try AWSHome(
      config: """
        [profile dev]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Support Role
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        """)
    let environment = ["AWS_ENDPOINT_URL_SSO": server.url.absoluteString]
    do {
      let error = await caughtError {
        () async throws(CredentialError) in
        _ = try await home.chain(environment, profile: "dev").resolve()
      }
      #expect(
        error.map({ "\($0)".contains("aws sso login --profile dev") }) == true,
        "\(String(describing: error))")
    }
    let name = try ReferenceScript.run(
      "sha1.py", input: Data("corp".utf8))
    let cache = ".aws/sso/cache/" + String(decoding: name, as: UTF8.self) + ".json"
    // A cache that is there but cannot be read says why, and still how to sign in again.
    try FileManager.default.createDirectory(
      atPath: home.path + "/" + cache, withIntermediateDirectories: false)
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await home.chain(environment, profile: "dev").resolve()
      }
      #expect(
        error.map({
          if case .expired(let source, let hint) = $0 {
            return source.hasSuffix(cache + " cannot be read: Is a directory)")
              && hint.contains("aws sso login --profile dev")
          }
          return false
        }) == true, "\(String(describing: error))")
    }
    try FileManager.default.removeItem(atPath: home.path + "/" + cache)
    try home.write(cache, #"{"accessToken": "bearer-123", "expiresAt": "2001-01-01T00:00:00Z"}"#)
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await home.chain(environment, profile: "dev").resolve()
      }
      #expect(
        error.map({
          if case .expired(_, let hint) = $0 { return hint.contains("aws sso login --profile dev") }
          return false
        }) == true, "\(String(describing: error))")
    }
    try home.write(cache, #"{"accessToken": "bearer-123", "expiresAt": "2099-01-01T00:00:00UTC"}"#)
    let resolved = try await home.chain(environment, profile: "dev").resolve()
    #expect(resolved.credentials.accessKeyID == "ASIASSO")
    #expect(resolved.source == "profile dev: IAM Identity Center")
    let request = try #require(server.requests.first)
    #expect(request.method == "GET")
    #expect(
      request.path == "/federation/credentials?account_id=111122223333&role_name=Support%20Role")
    #expect(request.headers["x-amz-sso_bearer_token"] == "bearer-123")
  }

  @Test("the container endpoint, with its authorization token file")
  func container() async throws {
    let server = try ScriptedHTTPServer(script: [
      .json(
        #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"c-secret","Token":"c-token","Expiration":"2099-01-01T00:00:00Z"}"#
      )
    ])
    defer { server.stop() }
    let home = try AWSHome()
    try home.write("token", "Bearer abc\n")
    let resolved = try await home.chain([
      "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url.absoluteString + "v2/credentials",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": home.path + "/token",
    ]).resolve()
    #expect(resolved.credentials.accessKeyID == "ASIACONT")
    #expect(resolved.source == "the container credentials endpoint")
    #expect(server.requests.first?.path == "/v2/credentials")
    #expect(server.requests.first?.headers["authorization"] == "Bearer abc")
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await home.chain([
          "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"
        ]).resolve()
      }
      #expect(
        error.map({ "\($0)".contains("must be HTTPS") }) == true, "\(String(describing: error))")
    }
  }

  @Test("IMDSv2: a token, then the role, then its credentials, each request carrying the token")
  func instanceMetadata() async throws {
    let server = try ScriptedHTTPServer(script: [
      .respond(status: 200, headers: [], body: Data("imds-token-1".utf8)),
      .respond(status: 200, headers: [], body: Data("support-instance-role\n".utf8)),
      .json(
        #"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"i-secret","Token":"i-token","Expiration":"2099-01-01T00:00:00Z"}"#
      ),
    ])
    defer { server.stop() }
    let home = try AWSHome()
    let resolved = try await home.chain([
      "AWS_EC2_METADATA_DISABLED": "false",
      "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url.absoluteString,
    ]).resolve()
    #expect(resolved.credentials.accessKeyID == "ASIAIMDS")
    #expect(resolved.source == "EC2 instance metadata (IMDSv2)")
    let requests = server.requests
    #expect(requests.map(\.method) == ["PUT", "GET", "GET"])
    #expect(requests[0].path == "/latest/api/token")
    #expect(requests[0].headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
    #expect(requests[2].path == "/latest/meta-data/iam/security-credentials/support-instance-role")
    #expect(requests[1].headers["x-aws-ec2-metadata-token"] == "imds-token-1")
    #expect(requests[2].headers["x-aws-ec2-metadata-token"] == "imds-token-1")
  }

  @Test("nothing anywhere: an error listing every source tried")
  func nothing() async throws {
    let home = try AWSHome()
    let closed = try ScriptedHTTPServer(script: [])
    let port = closed.port
    closed.stop()
    do {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await home.chain([
          "AWS_EC2_METADATA_DISABLED": "false",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)",
        ]).resolve()
      }
      #expect(
        error.map({
          guard case .notFound(let tried) = $0 else { return false }
          return tried.count == 4 && tried.last == "EC2 instance metadata"
        }) == true, "\(String(describing: error))")
    }
  }

  @Test("AssumeRole sends the session name, external id, MFA code and source identity, signed")
  func assumeRoleParameters() async throws {
    let answer = """
      <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
      <Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role&amp;secret</SecretAccessKey>
      <SessionToken>role-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
      <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/Support/alice</Arn></AssumedRoleUser>
      </AssumeRoleResult></AssumeRoleResponse>
      """
    let server = try ScriptedHTTPServer(script: [
      .respond(status: 200, headers: [("Content-Type", "text/xml")], body: Data(answer.utf8))
    ])
    defer { server.stop() }
    let home = try AWSHome(
      credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n",
      config: """
        [profile support]
        role_arn = arn:aws:iam::1:role/Support
        source_profile = base
        role_session_name = alice
        external_id = ext-42
        mfa_serial = arn:aws:iam::1:mfa/alice
        source_identity = alice@example.com
        duration_seconds = 1800
        region = eu-west-1
        """)
    let asked = Counter()
    let resolved = try await home.chain(
      ["AWS_ENDPOINT_URL_STS": server.url.absoluteString], profile: "support",
      mfa: { serial throws(CredentialError) in
        #expect(serial == "arn:aws:iam::1:mfa/alice")
        _ = asked.next()
        return "123456"
      }
    ).resolve()
    #expect(resolved.credentials.accessKeyID == "ASIAROLE")
    #expect(resolved.credentials.secretAccessKey.reveal == "role&secret")
    #expect(resolved.credentials.sessionToken?.reveal == "role-token")
    #expect(resolved.sourceIdentity == "alice@example.com")
    #expect(
      resolved.source == "profile support: role arn:aws:iam::1:role/Support from profile base")
    #expect(asked.next() == 2)
    let request = try #require(server.requests.first)
    let form = Dictionary(
      uniqueKeysWithValues: String(decoding: request.body, as: UTF8.self).split(separator: "&").map
      {
        let pair = $0.split(separator: "=", maxSplits: 1)
        return (String(pair[0]), String(pair[1]).removingPercentEncoding ?? "")
      })
    #expect(form["Action"] == "AssumeRole")
    #expect(form["RoleArn"] == "arn:aws:iam::1:role/Support")
    #expect(form["RoleSessionName"] == "alice")
    #expect(form["ExternalId"] == "ext-42")
    #expect(form["SerialNumber"] == "arn:aws:iam::1:mfa/alice")
    #expect(form["TokenCode"] == "123456")
    #expect(form["SourceIdentity"] == "alice@example.com")
    #expect(form["DurationSeconds"] == "1800")
    let authorization = try #require(request.headers["authorization"])
    #expect(authorization.contains("Credential=AKIABASE/"))
    #expect(authorization.contains("/eu-west-1/sts/aws4_request"))
  }

  @Test("a default profile with settings only falls through to the platform; a named one does not")
  func settingsOnlyProfile() async throws {
    let server = try ScriptedHTTPServer(script: [
      .json(
        #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"c","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#
      )
    ])
    defer { server.stop() }
    let home = try AWSHome(
      config: "[default]\nregion = eu-west-1\n[profile regional]\nregion = eu-west-1\n")
    let container = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url.absoluteString + "creds"]
    #expect(try await home.chain(container).resolve().credentials.accessKeyID == "ASIACONT")
    for environment in [["AWS_PROFILE": "regional"], ["AWS_DEFAULT_PROFILE": "regional"]] {
      let error = await caughtError { () async throws(CredentialError) in
        _ = try await home.chain(environment.merging(container) { $1 }).resolve()
      }
      #expect("\(String(describing: error))".contains("holds no credentials"))
    }
    let missing = await caughtError { () async throws(CredentialError) in
      _ = try await home.chain(["AWS_DEFAULT_PROFILE": "absent"]).resolve()
    }
    #expect(
      missing.map { if case .profileNotFound("absent", _) = $0 { true } else { false } } == true)
  }

  @Test("a source profile's own keys are used even when it has a role_arn too; credential_source")
  func sourceProfileKeysWin() async throws {
    let answer = """
      <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken></Credentials>
      </AssumeRoleResult></AssumeRoleResponse>
      """
    let server = try ScriptedHTTPServer(script: [
      .respond(status: 200, headers: [], body: Data(answer.utf8)),
      .respond(status: 200, headers: [], body: Data(answer.utf8)),
    ])
    defer { server.stop() }
    let home = try AWSHome(
      credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n",
      config: """
        [profile base]
        role_arn = arn:aws:iam::1:role/Other
        source_profile = nowhere
        [profile target]
        role_arn = arn:aws:iam::1:role/Target
        source_profile = base
        [profile fromenv]
        role_arn = arn:aws:iam::1:role/Target
        credential_source = Environment
        """)
    let environment = ["AWS_ENDPOINT_URL_STS": server.url.absoluteString]
    let resolved = try await home.chain(environment, profile: "target").resolve()
    #expect(resolved.credentials.accessKeyID == "ASIAROLE")
    #expect(server.requests.count == 1)
    #expect(server.requests[0].headers["authorization"]?.contains("Credential=AKIABASE/") == true)
    _ = try await home.chain(
      environment.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "e"]) { $1 },
      profile: "fromenv"
    ).resolve()
    #expect(server.requests[1].headers["authorization"]?.contains("Credential=AKIAENV/") == true)
  }

  @Test("source_profile loops are refused")
  func loop() async throws {
    let home = try AWSHome(
      config: """
        [profile a]
        role_arn = arn:aws:iam::1:role/A
        source_profile = b
        [profile b]
        role_arn = arn:aws:iam::1:role/B
        source_profile = a
        """)
    do {
      let error = await caughtError {
        () async throws(CredentialError) in
        _ = try await home.chain(profile: "a").resolve()
      }
      #expect(
        error.map({ "\($0)".contains("loop (a → b → a)") }) == true, "\(String(describing: error))")
    }
  }

  @Test("the cache renews temporary credentials five minutes before they expire, not before")
  func renewal() async throws {
    let clock = Clock()
    let counter = Counter()
    let resolved = ResolvedCredentials(
      credentials: AWSCredentials(
        accessKeyID: "ASIA0", secretAccessKey: "s", sessionToken: "t",
        expiration: Date(timeIntervalSince1970: 1000)),
      source: "test",
      renew: { () async throws(CredentialError) in
        let n = counter.next()
        return AWSCredentials(
          accessKeyID: "ASIA\(n)", secretAccessKey: "s", sessionToken: "t",
          expiration: Date(timeIntervalSince1970: 1000 + Double(n) * 3600))
      })
    let cache = CredentialCache(resolved, now: { clock.now })
    clock.now = Date(timeIntervalSince1970: 699)
    #expect(try await cache.current().accessKeyID == "ASIA0")
    clock.now = Date(timeIntervalSince1970: 701)
    #expect(try await cache.current().accessKeyID == "ASIA1")
    #expect(try await cache.current().accessKeyID == "ASIA1")
    let longTerm = CredentialCache(
      ResolvedCredentials(
        credentials: AWSCredentials(
          accessKeyID: "ASIAX", secretAccessKey: "s", expiration: Date(timeIntervalSince1970: 500)),
        source: "environment variables"),
      now: { clock.now })
    do {
      let error = await caughtError {
        () async throws(CredentialError) in
        _ = try await longTerm.current()
      }
      #expect(
        error.map({ if case .expired = $0 { return true } else { return false } }) == true,
        "\(String(describing: error))")
    }
  }
}

final class Clock: @unchecked Sendable {
  private let lock = NSLock()
  private var value = Date(timeIntervalSince1970: 0)
  var now: Date {
    get { lock.withLock { value } }
    set { lock.withLock { value = newValue } }
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func next() -> Int {
    lock.withLock {
      value += 1
      return value
    }
  }
}
