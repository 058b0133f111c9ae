import AccountCore
import Foundation
import TestSupport
import Testing

/// What scripts/moto_iam_seed.py wrote: the IAM-enforcing moto, its pool and its keys.
struct SupportSeed: Decodable {
  struct Key: Decodable {
    var arn: String
    var accessKeyId: String
    var secretAccessKey: String
  }
  var endpoint: String
  var userPoolId: String
  var clientId: String
  var iam: [String: Key]
  var roleArn: String
  var users: [String]
  var named: [String]
  var targets: [String]

  static func load() throws -> SupportSeed {
    let path = try #require(
      ProcessInfo.processInfo.environment["COGNITO_TEST_MOTO_IAM_SEED"],
      "COGNITO_TEST_MOTO_IAM_SEED is not set: run the suite through scripts/test")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(SupportSeed.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  var reader: Key { iam["support-reader"]! }
  var writer: Key { iam["support-writer"]! }
  var seeder: Key { iam["seeder"]! }
}

/// A private home for one support-mode test: keys of one IAM user in the environment, the pool
/// of the IAM-enforcing moto, and the AWS CLI as the independent client.
final class SupportWorld: @unchecked Sendable {
  let seed: SupportSeed
  let root: String
  var environment: [String: String]
  private(set) var transcript = ""

  init(key: KeyPath<SupportSeed, SupportSeed.Key>? = \.reader) throws {
    seed = try SupportSeed.load()
    root = NSTemporaryDirectory() + "support-test-" + UUID().uuidString
    try FileManager.default.createDirectory(
      atPath: root + "/.aws", withIntermediateDirectories: true)
    environment = [
      "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_STATE_HOME": root + "/state",
      "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "no_proxy": "127.0.0.1,localhost",
      "AWS_ENDPOINT_URL": seed.endpoint, "COGNITO_ACCOUNT_USER_POOL_ID": seed.userPoolId,
      "AWS_EC2_METADATA_DISABLED": "true",
    ]
    if let key {
      environment["AWS_ACCESS_KEY_ID"] = seed[keyPath: key].accessKeyId
      environment["AWS_SECRET_ACCESS_KEY"] = seed[keyPath: key].secretAccessKey
    }
  }

  var auditPath: String { root + "/state/cognito-account/audit.jsonl" }

  @discardableResult
  func run(_ arguments: [String], input: String = "", extra: [String: String] = [:]) throws
    -> RunResult
  {
    let result = try runChild(
      CLIWorld.binary, ["admin"] + arguments, input: input,
      environment: environment.merging(extra) { $1 }, scratch: root)
    transcript += result.all
    return result
  }

  /// `aws cognito-idp …` signed with the seeder's keys, parsed: what the pool really holds.
  func aws(_ arguments: [String]) throws -> [String: Any] {
    guard
      let object = try JSONSerialization.jsonObject(with: Data(try awsText(arguments).utf8))
        as? [String: Any]
    else { throw FixtureError("aws \(arguments.first ?? "") printed no JSON object") }
    return object
  }

  /// What `aws cognito-idp …` printed.
  func awsText(_ arguments: [String]) throws -> String {
    let result = try runChild(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["aws", "cognito-idp"] + arguments + [
        "--user-pool-id", seed.userPoolId, "--endpoint-url", seed.endpoint, "--region",
        "us-east-1", "--output", "json",
      ],
      input: "",
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": root,
        "AWS_ACCESS_KEY_ID": seed.seeder.accessKeyId,
        "AWS_SECRET_ACCESS_KEY": seed.seeder.secretAccessKey, "no_proxy": "127.0.0.1,localhost",
      ].merging(
        ProcessInfo.processInfo.environment.filter {
          ["PYENV_ROOT", "PYENV_VERSION"].contains($0.key)
        }
      ) { $1 },
      scratch: root)
    guard result.status == 0 else {
      throw FixtureError("aws \(arguments.first ?? "") failed: \(result.stderr)")
    }
    return result.stdout
  }

  /// A user's attributes as the AWS CLI sees them.
  func attributes(_ username: String) throws -> [String: String] {
    let user = try aws(["admin-get-user", "--username", username])
    var attributes: [String: String] = [:]
    for entry in user["UserAttributes"] as? [[String: Any]] ?? [] {
      attributes[entry["Name"] as! String] = entry["Value"] as? String ?? ""
    }
    return attributes
  }

  func auditEntries() throws -> [[String: Any]] {
    guard let text = try? String(contentsOfFile: auditPath, encoding: .utf8) else { return [] }
    return try text.split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
  }

  /// No secret key of any IAM user anywhere in what the program printed or logged.
  func expectNoSecrets(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let audit = (try? String(contentsOfFile: auditPath, encoding: .utf8)) ?? ""
    for key in seed.iam.values {
      #expect(!transcript.contains(key.secretAccessKey), sourceLocation: sourceLocation)
      #expect(!audit.contains(key.secretAccessKey), sourceLocation: sourceLocation)
    }
  }
}

@Suite("Support mode against moto with IAM enforced", .serialized)
struct AdminCLITests {
  @Test("whoami names the identity, the credential source and READ-ONLY")
  func whoAmI() throws {
    let world = try SupportWorld()
    let result = try world.run(["whoami", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let document =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    #expect(document["Arn"] as? String == world.seed.reader.arn)
    #expect(document["CredentialSource"] as? String == "environment variables")
    #expect(document["ReadOnly"] as? Bool == true)
    try world.expectNoSecrets()
  }

  @Test("a profile with role_arn and source_profile assumes the role (STS AssumeRole)")
  func assumeRole() throws {
    let world = try SupportWorld(key: nil)
    try """
    [writer]
    aws_access_key_id = \(world.seed.writer.accessKeyId)
    aws_secret_access_key = \(world.seed.writer.secretAccessKey)
    """.write(toFile: world.root + "/.aws/credentials", atomically: true, encoding: .utf8)
    try """
    [profile support]
    role_arn = \(world.seed.roleArn)
    source_profile = writer
    role_session_name = alice
    """.write(toFile: world.root + "/.aws/config", atomically: true, encoding: .utf8)
    let result = try world.run(["whoami", "--aws-profile", "support"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("arn:aws:sts::123456789012:assumed-role/support-role/alice"))
    #expect(
      result.stdout.contains("profile support: role \(world.seed.roleArn) from profile writer"))
    let viaVariable = try world.run(
      ["users", "--filter", "zack", "--json"], extra: ["AWS_PROFILE": "support"])
    #expect(viaVariable.status == 0, "\(viaVariable.stderr)")
    try world.expectNoSecrets()
  }

  @Test("search by prefix: the rows, and byte for byte the JSON, of the AWS CLI's list-users")
  func searchMatchesAWSCLI() throws {
    let world = try SupportWorld()
    let table = try world.run(["users", "--filter", "zoe"])
    #expect(table.status == 0, "\(table.stderr)")
    let rows = table.stdout.split(separator: "\n").dropFirst()
    let expectedNames = world.seed.named.filter { $0.hasPrefix("zoe") }.sorted()
    #expect(rows.map { String($0.split(separator: " ")[0]) }.sorted() == expectedNames)
    let ours = try world.run(["users", "--filter", #"email ^= "zoe""#, "--json"])
    #expect(ours.stdout == (try world.awsText(["list-users", "--filter", #"email ^= "zoe""#])))
  }

  @Test("paging through the whole pool: every user once, pages of 60, --limit stops early")
  func paging() throws {
    let world = try SupportWorld()
    let all = try world.run(["users", "--json"])
    #expect(all.status == 0, "\(all.stderr)")
    let users = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as! [String: Any]
    let names = (users["Users"] as! [[String: Any]]).map { $0["Username"] as! String }
    #expect(Set(names).count == names.count)
    #expect(Set(names).isSuperset(of: world.seed.users + world.seed.named))
    #expect(names.count >= 2_000)
    let limited = try world.run(["users", "--limit", "61"])
    #expect(limited.stdout.split(separator: "\n").count == 62)
  }

  @Test("show --json prints, byte for byte, what the AWS CLI's admin-get-user prints")
  func showMatchesAWSCLI() throws {
    let world = try SupportWorld()
    let target = world.seed.named[0]
    let ours = try world.run(["show", target, "--json"])
    #expect(ours.status == 0, "\(ours.stderr)")
    #expect(ours.stdout == (try world.awsText(["admin-get-user", "--username", target])))
  }

  @Test("read-only by default, a reason required, and nothing sent or logged when refused")
  func refusals() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[0]
    let readOnly = try world.run(["delete", target, "phone_number", "--reason", "T-1", "--yes"])
    #expect(readOnly.status == 3)
    #expect(readOnly.stderr.contains("Read-only support mode"))
    let noReason = try world.run(["delete", target, "phone_number", "--yes", "--allow-writes"])
    #expect(noReason.status == 3)
    #expect(noReason.stderr.contains("needs a reason"))
    let controlReason = try world.run([
      "delete", target, "phone_number", "--yes", "--allow-writes", "--reason", "a\u{1b}[2Jb",
    ])
    #expect(controlReason.status == 3)
    let protected = try world.run([
      "delete", target, "sub", "--yes", "--allow-writes", "--reason", "x",
    ])
    #expect(protected.status == 3)
    let noTerminal = try world.run([
      "delete", target, "phone_number", "--allow-writes", "--reason", "x",
    ])
    #expect(noTerminal.status == 3)
    #expect(noTerminal.stderr.contains("without confirmation"))
    #expect(try world.auditEntries().isEmpty)
    #expect(try world.attributes(target)["phone_number"] != nil)
  }

  @Test("delete with a reason: removed, checked by the AWS CLI, an intent and an outcome logged")
  func deleteAudited() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[1]
    let before = try world.attributes(target)
    let result = try world.run([
      "delete", target, "phone_number", "given_name", "--reason", "TICKET-42 customer asked",
      "--yes", "--allow-writes", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let after = try world.attributes(target)
    #expect(after["phone_number"] == nil && after["given_name"] == nil)
    #expect(after["email"] == before["email"])
    let entries = try world.auditEntries()
    #expect(entries.map { $0["phase"] as? String } == ["intent", "outcome"])
    #expect(entries.allSatisfy { $0["caller"] as? String == world.seed.writer.arn })
    #expect(entries.allSatisfy { $0["reason"] as? String == "TICKET-42 customer asked" })
    #expect(entries.allSatisfy { $0["sub"] as? String == before["sub"] })
    #expect(entries.allSatisfy { $0["attributes"] as? [String] == ["phone_number", "given_name"] })
    #expect(entries.last?["result"] as? String == "ok")
    let audit = try String(contentsOfFile: world.auditPath, encoding: .utf8)
    #expect(!audit.contains(before["phone_number"]!) && !audit.contains(before["given_name"]!))
    let shown = try world.run(["audit"])
    #expect(
      shown.stdout.contains("AdminDeleteUserAttributes \(target) phone_number,given_name → ok"))
    try world.expectNoSecrets()
  }

  @Test("set: old -> new, and --mark-verified sets email_verified in the same call")
  func setAudited() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[2]
    let result = try world.run([
      "set", target, "email=changed@example.org", "family_name=Renamed", "--reason", "T-7",
      "--mark-verified", "--yes", "--allow-writes",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let after = try world.attributes(target)
    #expect(after["email"] == "changed@example.org")
    #expect(after["email_verified"] == "true")
    #expect(after["family_name"] == "Renamed")
    #expect(
      try world.auditEntries().first?["attributes"] as? [String]
        == ["email", "family_name", "email_verified"])
  }

  @Test("sign-out, disable, enable and reset-password, each audited and seen by the AWS CLI")
  func accountActions() throws {
    let world = try SupportWorld(key: \.writer)
    let target = world.seed.targets[3]
    for action in ["signout", "disable"] {
      let result = try world.run([action, target, "--reason", "T-9", "--yes", "--allow-writes"])
      #expect(result.status == 0, "\(action): \(result.stderr)")
    }
    #expect(try world.aws(["admin-get-user", "--username", target])["Enabled"] as? Bool == false)
    #expect(
      try world.run(["enable", target, "--reason", "T-9", "--yes", "--allow-writes"]).status == 0)
    #expect(try world.aws(["admin-get-user", "--username", target])["Enabled"] as? Bool == true)
    #expect(
      try world.run(["reset-password", target, "--reason", "T-9", "--yes", "--allow-writes"]).status
        == 0)
    #expect(
      try world.aws(["admin-get-user", "--username", target])["UserStatus"] as? String
        == "RESET_REQUIRED")
    let operations = try world.auditEntries().filter { $0["phase"] as? String == "outcome" }
      .map { $0["operation"] as? String }
    #expect(
      operations == [
        "AdminUserGlobalSignOut", "AdminDisableUser", "AdminEnableUser", "AdminResetUserPassword",
      ])
  }

  @Test("AccessDenied names the missing IAM action; the audit log keeps intent and outcome")
  func accessDenied() throws {
    let world = try SupportWorld(key: \.reader)
    let target = world.seed.targets[4]
    let result = try world.run([
      "delete", target, "phone_number", "--reason", "T-3", "--yes", "--allow-writes",
    ])
    #expect(result.status == 4)
    #expect(result.stderr.contains("lacks cognito-idp:AdminDeleteUserAttributes"))
    let entries = try world.auditEntries()
    #expect(entries.map { $0["phase"] as? String } == ["intent", "outcome"])
    #expect(entries.last?["result"] as? String == "AccessDenied")
    #expect(try world.attributes(target)["phone_number"] != nil)
  }

  @Test("a wrong secret, no credentials at all, and expired credentials each say what to do")
  func credentialFailures() throws {
    let world = try SupportWorld(key: \.reader)
    let wrong = try world.run(
      ["show", world.seed.targets[5]], extra: ["AWS_SECRET_ACCESS_KEY": "not-the-secret"])
    #expect(wrong.status == 4)
    #expect(wrong.stderr.contains("SignatureDoesNotMatch"))
    #expect(wrong.stderr.contains("did not accept the credentials"))
    let none = try SupportWorld(key: nil)
    let missing = try none.run(["users"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("No AWS credentials found (tried: environment variables"))
    let expired = try ScriptedHTTPServer(script: [
      .awsError(
        status: 400, type: "ExpiredTokenException",
        message: "The security token included in the request is expired")
    ])
    defer { expired.stop() }
    let late = try world.run(
      ["show", "zoe"], extra: ["AWS_ENDPOINT_URL": expired.url.absoluteString])
    #expect(late.status == 4)
    #expect(late.stderr.contains("Your AWS credentials (from environment variables) have expired"))
    #expect(
      expired.requests.first?.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 ") == true)
    try world.expectNoSecrets()
  }

  @Test("credential_process in an AWS profile supplies the keys")
  func credentialProcess() throws {
    let world = try SupportWorld(key: nil)
    let script = world.root + "/creds.sh"
    try """
    #!/bin/sh
    echo '{"Version": 1, "AccessKeyId": "\(world.seed.reader.accessKeyId)", "SecretAccessKey": "\(world.seed.reader.secretAccessKey)"}'
    """.write(toFile: script, atomically: true, encoding: .utf8)
    chmod(script, 0o700)
    try "[profile tool]\ncredential_process = \(script)\n".write(
      toFile: world.root + "/.aws/config", atomically: true, encoding: .utf8)
    let result = try world.run(["whoami"], extra: ["AWS_PROFILE": "tool"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("profile tool: credential_process"))
    #expect(result.stdout.contains(world.seed.reader.arn))
    try world.expectNoSecrets()
  }

  @Test("TooManyRequests while paging: backed off, retried signed, and the listing completes")
  func throttledPaging() throws {
    let world = try SupportWorld(key: \.reader)
    func page(_ names: [String], token: String?) -> ScriptedHTTPServer.Action {
      let users = names.map {
        #"{"Username":"\#($0)","Attributes":[{"Name":"email","Value":"\#($0)@example.com"}],"Enabled":true,"UserStatus":"CONFIRMED","UserCreateDate":1796284800.5}"#
      }.joined(separator: ",")
      return .json(
        #"{"Users":[\#(users)]"# + (token.map { #","PaginationToken":"\#($0)""# } ?? "") + "}")
    }
    let server = try ScriptedHTTPServer(script: [
      page(["ann", "bob"], token: "next-1"),
      .awsError(status: 400, type: "TooManyRequestsException", message: "Too many requests"),
      page(["cy"], token: nil),
    ])
    defer { server.stop() }
    let result = try world.run(
      ["users"], extra: ["AWS_ENDPOINT_URL": server.url.absoluteString])
    #expect(result.status == 0, "\(result.stderr)")
    let names = result.stdout.split(separator: "\n").dropFirst().map {
      String($0.split(separator: " ")[0])
    }
    #expect(names == ["ann", "bob", "cy"])
    let requests = server.requests
    #expect(requests.count == 3)
    #expect(
      requests.allSatisfy { $0.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 ") == true })
    #expect(requests[1].json?["PaginationToken"] as? String == "next-1")
    #expect(requests[2].json?["PaginationToken"] as? String == "next-1")
    #expect(requests[1].headers["x-amz-date"] != nil)
  }

  @Test("status shows the support settings and where each came from")
  func statusSettings() throws {
    let world = try SupportWorld(key: nil)
    try FileManager.default.createDirectory(
      atPath: world.root + "/config/cognito-account", withIntermediateDirectories: true)
    func settings() throws -> [String: Any] {
      // status describes the self-service session too, which needs an app client.
      let result = try runChild(
        CLIWorld.binary, ["status", "--json"], input: "",
        environment: world.environment.merging(
          ["COGNITO_ACCOUNT_CLIENT_ID": world.seed.clientId]) { $1 }, scratch: world.root)
      return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }
    let defaults = try settings()
    #expect(
      (defaults["adminReadOnly"] as? [String: String]) == ["value": "yes", "source": "default"])
    #expect(
      (defaults["auditLog"] as? [String: String])?["value"]
        == world.root + "/state/cognito-account/audit.jsonl")
    try """
    [profiles.default]
    user_pool_id = "\(world.seed.userPoolId)"
    aws_profile = "ops"
    admin_read_only = false
    audit_log = "~/audit.jsonl"
    """.write(
      toFile: world.root + "/config/cognito-account/config.toml", atomically: true, encoding: .utf8)
    let configured = try settings()
    #expect(
      (configured["awsProfile"] as? [String: String]) == ["value": "ops", "source": "profile"])
    #expect(
      (configured["adminReadOnly"] as? [String: String]) == ["value": "no", "source": "profile"])
    #expect((configured["auditLog"] as? [String: String])?["value"] == world.root + "/audit.jsonl")
  }
}
