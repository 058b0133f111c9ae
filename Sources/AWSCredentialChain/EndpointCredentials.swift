import AccountCore
import Crypto
public import FoundationEssentials
public import HTTPStack
public import SigV4

/// Credentials served over HTTP by the platform: the container endpoint (ECS, EKS Pod Identity)
/// and the EC2 instance metadata service (IMDSv2), and the IAM Identity Center portal that
/// exchanges a cached `aws sso login` token for role credentials.
public enum EndpointCredentials {
  /// The container endpoint named by `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
  /// 169.254.170.2) or `_FULL_URI` (HTTPS, loopback or the container hosts), with the
  /// `Authorization` value from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `_TOKEN`.
  /// Nil when neither variable is set.
  public static func container(environment: [String: String], transport: any HTTPTransport)
    async throws(CredentialError) -> AWSCredentials?
  {
    let source = "the container credentials endpoint"
    let url: URL?
    if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
      url = URL(string: "http://169.254.170.2" + (relative.hasPrefix("/") ? "" : "/") + relative)
    } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
      url = URL(string: full)
      guard let url, url.scheme == "https" || isAllowedPlainHost(url) else {
        throw .incomplete(
          source: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
          reason: "must be HTTPS, a loopback address or 169.254.170.2/.23")
      }
    } else {
      return nil
    }
    guard let url else {
      throw .incomplete(source: source, reason: "the URI in the environment is not a URL")
    }
    var headers: [(name: String, value: String)] = [("Accept", "application/json")]
    if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !path.isEmpty {
      var bytes: [UInt8]?
      defer { bytes?.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
      do {
        bytes = try FileBytes.read(path, limit: 64 << 10)
      } catch {
        throw .incomplete(
          source: source,
          reason: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE cannot be read: \(error.reason)")
      }
      guard let bytes, let token = String(validating: bytes, as: UTF8.self) else {
        throw .incomplete(
          source: source,
          reason: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "
            + (bytes == nil ? "does not exist" : "is not UTF-8 text"))
      }
      headers.append(("Authorization", token.trimmed { $0 == "\n" || $0 == "\r" || $0 == " " }))
    } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
      headers.append(("Authorization", token))
    }
    var request = HTTPRequest(url: url, headers: headers, body: Data())
    request.method = "GET"
    let response = try await send(request, source: source, transport: transport)
    return try decodeCredentialDocument(response.body, source: source)
  }

  /// IMDSv2: a session token (`PUT /latest/api/token`), the role name, then its credentials.
  /// `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves the service; `AWS_EC2_METADATA_DISABLED=true`
  /// turns it off (nil).
  public static func instanceMetadata(
    environment: [String: String], transport: any HTTPTransport
  ) async throws(CredentialError) -> AWSCredentials? {
    if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
    let source = "the EC2 instance metadata service"
    var base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
    while base.hasSuffix("/") { base.removeLast() }
    guard let tokenURL = URL(string: base + "/latest/api/token"),
      let listURL = URL(string: base + "/latest/meta-data/iam/security-credentials/")
    else {
      throw .incomplete(source: source, reason: "AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URL")
    }
    var tokenRequest = HTTPRequest(
      url: tokenURL, headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], body: Data())
    tokenRequest.method = "PUT"
    let token = String(
      decoding: try await send(tokenRequest, source: source, transport: transport).body,
      as: UTF8.self)
    var listRequest = HTTPRequest(
      url: listURL, headers: [("X-aws-ec2-metadata-token", token)], body: Data())
    listRequest.method = "GET"
    let roles = String(
      decoding: try await send(listRequest, source: source, transport: transport).body,
      as: UTF8.self)
    guard
      let role = roles.split(whereSeparator: \.isNewline).first.map(String.init),
      !role.isEmpty, role.unicodeScalars.allSatisfy({ !TerminalText.isUnsafe($0) && $0 != "/" }),
      let roleURL = URL(string: base + "/latest/meta-data/iam/security-credentials/" + role)
    else {
      throw .incomplete(source: source, reason: "this instance has no IAM role")
    }
    var roleRequest = HTTPRequest(
      url: roleURL, headers: [("X-aws-ec2-metadata-token", token)], body: Data())
    roleRequest.method = "GET"
    let response = try await send(roleRequest, source: source, transport: transport)
    return try decodeCredentialDocument(response.body, source: source)
  }

  /// IAM Identity Center: the token `aws sso login` cached for `startURL` or `sessionName`,
  /// exchanged at the portal (`AWS_ENDPOINT_URL_SSO` or `portal.sso.<region>`) for the
  /// credentials of `roleName` in `accountID`.
  public static func sso(
    _ profile: SSOProfile, environment: [String: String], home: String,
    transport: any HTTPTransport, now: Date
  ) async throws(CredentialError) -> AWSCredentials {
    let source = "The IAM Identity Center sign-in of profile '\(profile.profileName)'"
    let hint = "run `aws sso login --profile \(profile.profileName)` and try again"
    let cachePath = home + "/.aws/sso/cache/" + profile.cacheFileName + ".json"
    var cacheBytes: [UInt8]?
    defer { cacheBytes?.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    do {
      cacheBytes = try FileBytes.read(cachePath, limit: 1 << 20)
    } catch {
      throw .expired(
        source: source + " (its cached token \(cachePath) cannot be read: \(error.reason))",
        hint: hint)
    }
    guard let cacheBytes else {
      throw .expired(source: source + " (no cached token in ~/.aws/sso/cache)", hint: hint)
    }
    var data = Data(cacheBytes)
    defer { data.resetBytes(in: 0..<data.count) }
    struct CachedToken: Decodable {
      var accessToken: Sensitive
      var expiresAt: String
    }
    guard let cached = try? JSONDecoder().decode(CachedToken.self, from: data),
      let expiresAt = PlainFormat.epochSeconds(iso8601: cached.expiresAt)
    else {
      throw .incomplete(source: cachePath, reason: "not a token cache (accessToken, expiresAt)")
    }
    guard Double(expiresAt) > now.timeIntervalSince1970 else {
      throw .expired(source: source, hint: hint)
    }
    var base =
      environment["AWS_ENDPOINT_URL_SSO"]
      ?? "https://portal.sso.\(profile.region).amazonaws.com"
    while base.hasSuffix("/") { base.removeLast() }
    let query =
      "account_id=\(SigV4Signer.percentEncode(profile.accountID))"
      + "&role_name=\(SigV4Signer.percentEncode(profile.roleName))"
    guard let url = URL(string: base + "/federation/credentials?" + query) else {
      throw .incomplete(source: source, reason: "AWS_ENDPOINT_URL_SSO is not a URL")
    }
    var request = HTTPRequest(
      url: url, headers: [("x-amz-sso_bearer_token", cached.accessToken.reveal)], body: Data())
    request.method = "GET"
    let response: HTTPResponse
    do {
      response = try await transport.send(request)
    } catch {
      throw .unreachable(source: "the IAM Identity Center portal", reason: error.description)
    }
    if response.status == 401 || response.status == 403 {
      throw .expired(source: source, hint: hint)
    }
    guard (200..<300).contains(response.status) else {
      throw .service(
        source: "The IAM Identity Center portal", code: "HTTP \(response.status)", message: "")
    }
    struct Answer: Decodable {
      struct Role: Decodable {
        var accessKeyId: String
        var secretAccessKey: Sensitive
        var sessionToken: Sensitive
        var expiration: Int64
      }
      var roleCredentials: Role
    }
    guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body) else {
      throw .unreachable(
        source: "the IAM Identity Center portal", reason: "its answer holds no roleCredentials")
    }
    let role = answer.roleCredentials
    return AWSCredentials(
      accessKeyID: role.accessKeyId, secretAccessKey: role.secretAccessKey,
      sessionToken: role.sessionToken,
      expiration: Date(timeIntervalSince1970: Double(role.expiration) / 1000))
  }

  /// What an SSO profile names.
  public struct SSOProfile: Sendable {
    /// The profile.
    public var profileName: String
    /// `sso_session`'s name (cache key), or nil for a legacy profile keyed by its start URL.
    public var sessionName: String?
    /// `sso_start_url`.
    public var startURL: String
    /// `sso_region`.
    public var region: String
    /// `sso_account_id`.
    public var accountID: String
    /// `sso_role_name`.
    public var roleName: String

    /// The cache file's name: SHA-1 of the session name (or, legacy, of the start URL).
    var cacheFileName: String {
      Insecure.SHA1.hash(data: Data((sessionName ?? startURL).utf8)).map {
        PlainFormat.hex($0, width: 2)
      }.joined()
    }
  }

  static func isAllowedPlainHost(_ url: URL) -> Bool {
    guard url.scheme == "http", let host = url.host(percentEncoded: false) else { return false }
    let bare = host.trimmed { $0 == "[" || $0 == "]" }.lowercased()
    return LoopbackHost(bare) != nil || SocketTransport.cloudMetadataHosts.contains(bare)
  }

  static func send(_ request: HTTPRequest, source: String, transport: any HTTPTransport)
    async throws(CredentialError) -> HTTPResponse
  {
    let response: HTTPResponse
    do {
      response = try await transport.send(request)
    } catch {
      throw .unreachable(source: source, reason: error.description)
    }
    guard (200..<300).contains(response.status) else {
      throw .service(source: source, code: "HTTP \(response.status)", message: "")
    }
    return response
  }

  /// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` (and IMDS's `"Code"`).
  static func decodeCredentialDocument(_ body: Data, source: String) throws(CredentialError)
    -> AWSCredentials
  {
    struct Document: Decodable {
      var code: String?
      var accessKeyID: String
      var secretAccessKey: Sensitive
      var token: Sensitive?
      var expiration: String?
      enum CodingKeys: String, CodingKey {
        case code = "Code"
        case accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case token = "Token"
        case expiration = "Expiration"
      }
    }
    guard let document = try? JSONDecoder().decode(Document.self, from: body) else {
      throw .unreachable(source: source, reason: "its answer is not a credentials document")
    }
    if let code = document.code, code != "Success" {
      throw .service(source: source, code: TerminalText.escape(code), message: "")
    }
    return AWSCredentials(
      accessKeyID: document.accessKeyID, secretAccessKey: document.secretAccessKey,
      sessionToken: document.token,
      expiration: document.expiration.flatMap(PlainFormat.epochSeconds(iso8601:)).map {
        Date(timeIntervalSince1970: Double($0))
      })
  }
}
