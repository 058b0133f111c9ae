public import AccountCore
public import FoundationEssentials
public import HTTPStack
public import SigV4

/// The two AWS Security Token Service calls the support mode needs, over STS's query protocol
/// (a form-encoded, SigV4-signed POST; XML answers): `AssumeRole` and `GetCallerIdentity`.
public struct STSClient: Sendable {
  /// Where requests go: `AWS_ENDPOINT_URL_STS`, else `https://sts.<region>.amazonaws.com/`.
  public let endpoint: URL
  /// The signing region.
  public let region: String
  private let transport: any HTTPTransport
  private let now: @Sendable () -> Date

  /// Creates a client.
  public init(
    endpoint: URL, region: String, transport: any HTTPTransport,
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.endpoint = endpoint
    self.region = region
    self.transport = transport
    self.now = now
  }

  /// The regional endpoint for `region`, or the override the environment names.
  public static func endpoint(region: String, environment: [String: String]) -> URL? {
    if let override = environment["AWS_ENDPOINT_URL_STS"] ?? environment["AWS_ENDPOINT_URL"],
      !override.isEmpty
    {
      return URL(string: override)
    }
    return URL(string: "https://sts.\(region).amazonaws.com/")
  }

  /// Who the credentials belong to.
  public struct CallerIdentity: Sendable, Hashable {
    /// `arn:aws:iam::123456789012:user/alice` or `arn:aws:sts::…:assumed-role/Role/session`.
    public var arn: String
    /// The account number.
    public var account: String
    /// The unique id of the user or role session.
    public var userID: String
  }

  /// `sts:GetCallerIdentity`.
  public func callerIdentity(_ credentials: AWSCredentials) async throws(CredentialError)
    -> CallerIdentity
  {
    let xml = try await call(
      [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")], credentials: credentials)
    guard let arn = XMLText.first("Arn", in: xml) else {
      throw .unreachable(source: "AWS STS", reason: "GetCallerIdentity answered without an Arn")
    }
    return CallerIdentity(
      arn: arn, account: XMLText.first("Account", in: xml) ?? "",
      userID: XMLText.first("UserId", in: xml) ?? "")
  }

  /// What `sts:AssumeRole` takes.
  public struct AssumeRoleRequest: Sendable {
    /// The role.
    public var roleARN: String
    /// The session name CloudTrail shows.
    public var sessionName: String
    /// `external_id`, when the role's trust policy asks for one.
    public var externalID: String?
    /// `mfa_serial` and the code typed for it.
    public var mfa: (serial: String, code: Sensitive)?
    /// `source_identity`: the person, fixed for the session and carried through role chains.
    public var sourceIdentity: String?
    /// Seconds the credentials last (900–43200); nil for the role's default of one hour.
    public var durationSeconds: Int?

    /// Creates a request.
    public init(
      roleARN: String, sessionName: String, externalID: String? = nil,
      mfa: (serial: String, code: Sensitive)? = nil, sourceIdentity: String? = nil,
      durationSeconds: Int? = nil
    ) {
      self.roleARN = roleARN
      self.sessionName = sessionName
      self.externalID = externalID
      self.mfa = mfa
      self.sourceIdentity = sourceIdentity
      self.durationSeconds = durationSeconds
    }
  }

  /// `sts:AssumeRole`: temporary credentials for the role, and the assumed-role ARN.
  public func assumeRole(_ request: AssumeRoleRequest, credentials: AWSCredentials)
    async throws(CredentialError) -> (credentials: AWSCredentials, arn: String)
  {
    var parameters = [
      ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", request.roleARN),
      ("RoleSessionName", request.sessionName),
    ]
    if let externalID = request.externalID { parameters.append(("ExternalId", externalID)) }
    if let mfa = request.mfa {
      parameters += [("SerialNumber", mfa.serial), ("TokenCode", mfa.code.reveal)]
    }
    if let identity = request.sourceIdentity { parameters.append(("SourceIdentity", identity)) }
    if let duration = request.durationSeconds {
      parameters.append(("DurationSeconds", String(duration)))
    }
    let xml = try await call(parameters, credentials: credentials)
    guard let keyID = XMLText.first("AccessKeyId", in: xml),
      let secret = XMLText.first("SecretAccessKey", in: xml),
      let token = XMLText.first("SessionToken", in: xml)
    else {
      throw .unreachable(source: "AWS STS", reason: "AssumeRole answered without credentials")
    }
    let expiration = XMLText.first("Expiration", in: xml).flatMap {
      PlainFormat.epochSeconds(iso8601: $0)
    }.map { Date(timeIntervalSince1970: Double($0)) }
    return (
      AWSCredentials(
        accessKeyID: keyID, secretAccessKey: Sensitive(secret), sessionToken: Sensitive(token),
        expiration: expiration),
      XMLText.first("Arn", in: xml) ?? request.roleARN
    )
  }

  private func call(_ parameters: [(String, String)], credentials: AWSCredentials)
    async throws(CredentialError) -> String
  {
    let body = parameters.map {
      "\(SigV4Signer.percentEncode($0.0))=\(SigV4Signer.percentEncode($0.1))"
    }.joined(separator: "&")
    let request = HTTPRequest(
      url: endpoint,
      headers: [
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("User-Agent", "cognito-account"),
      ],
      body: Data(body.utf8))
    let signed = SigV4Signer(region: region, service: "sts").sign(
      request, credentials: credentials, date: now())
    let response: HTTPResponse
    do {
      response = try await transport.send(signed)
    } catch {
      throw .unreachable(source: "AWS STS", reason: error.description)
    }
    let text = String(decoding: response.body, as: UTF8.self)
    guard (200..<300).contains(response.status) else {
      let code = XMLText.first("Code", in: text) ?? "HTTP \(response.status)"
      let message = XMLText.first("Message", in: text) ?? ""
      if code == "ExpiredToken" || code == "ExpiredTokenException" {
        throw .expired(
          source: "The credentials used for AWS STS",
          hint: "refresh them (for example `aws sso login`) and try again")
      }
      throw .service(source: "AWS STS", code: code, message: message)
    }
    return text
  }
}
