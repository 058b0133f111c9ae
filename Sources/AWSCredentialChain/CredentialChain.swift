public import AccountCore
public import FoundationEssentials
public import HTTPStack
public import SigV4

/// Credentials and where they came from.
public struct ResolvedCredentials: Sendable {
  /// The credentials.
  public var credentials: AWSCredentials
  /// The source, as `status` names it: `environment variables`, `profile staff
  /// (~/.aws/credentials)`, `profile admin: role arn:… from profile staff`, …
  public var source: String
  /// Gets fresh credentials from the same source (temporary credentials); nil for long-term keys.
  public var renew: (@Sendable () async throws(CredentialError) -> AWSCredentials)?
  /// The `source_identity` the role session was given (who the person is), if any.
  public var sourceIdentity: String?

  /// Creates a value.
  public init(
    credentials: AWSCredentials, source: String,
    renew: (@Sendable () async throws(CredentialError) -> AWSCredentials)? = nil,
    sourceIdentity: String? = nil
  ) {
    self.credentials = credentials
    self.source = source
    self.renew = renew
    self.sourceIdentity = sourceIdentity
  }
}

/// The standard AWS credential chain, in the AWS CLI's order:
///
/// 1. environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`),
///    unless a profile was named explicitly (`--aws-profile`, the `aws_profile` setting);
/// 2. the profile (explicit, else `AWS_PROFILE`, else `default`) in the shared files: `role_arn`
///    (STS `AssumeRole` from `source_profile` or `credential_source`), then IAM Identity
///    Center (`sso_session`), then keys in `credentials`, then `credential_process`, then keys
///    in `config`;
/// 3. the container credentials endpoint;
/// 4. EC2 instance metadata (IMDSv2).
public struct CredentialChain: Sendable {
  /// The process environment (tests pass their own).
  public var environment: [String: String]
  /// The home directory (`~`).
  public var home: String
  /// `--aws-profile` or the `aws_profile` setting; nil to use `AWS_PROFILE` or `default`.
  public var explicitProfile: String?
  /// The region for STS when the profile names none (the pool's).
  public var region: String
  /// Sends STS and SSO requests.
  public var transport: any HTTPTransport
  /// Sends container and instance-metadata requests (short timeouts, link-local allowed).
  public var metadataTransport: any HTTPTransport
  /// Asks the person for the code of an MFA device (`mfa_serial`).
  public var mfaCode: @Sendable (_ serial: String) async throws(CredentialError) -> Sensitive
  /// The clock.
  public var now: @Sendable () -> Date
  /// Whether a `credential_process`'s standard error is discarded (while a full-screen view
  /// owns the terminal) instead of passed through.
  public var quietProcesses = false

  /// Creates a chain.
  public init(
    environment: [String: String], home: String, explicitProfile: String?, region: String,
    transport: any HTTPTransport, metadataTransport: any HTTPTransport,
    mfaCode: @escaping @Sendable (_ serial: String) async throws(CredentialError) -> Sensitive,
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.environment = environment
    self.home = home
    self.explicitProfile = explicitProfile
    self.region = region
    self.transport = transport
    self.metadataTransport = metadataTransport
    self.mfaCode = mfaCode
    self.now = now
  }

  /// The name of the profile the chain reads (explicit, `AWS_PROFILE`, or `default`).
  public var profileName: String {
    explicitProfile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["AWS_DEFAULT_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
  }

  /// Finds credentials, trying each source in order.
  public func resolve() async throws(CredentialError) -> ResolvedCredentials {
    var tried: [String] = []
    if explicitProfile == nil {
      if let fromEnvironment = try environmentCredentials() { return fromEnvironment }
      tried.append("environment variables")
    }
    let config = try SharedConfig.load(environment: environment, home: home)
    let name = profileName
    let named =
      explicitProfile != nil || environment["AWS_PROFILE"].map { !$0.isEmpty } == true
      || environment["AWS_DEFAULT_PROFILE"].map { !$0.isEmpty } == true
    if let settings = config.profile(name) {
      // An unnamed default profile that holds only settings (a region, say) gives no
      // credentials: the chain goes on to the platform's, as the AWS CLI does.
      if named || Self.holdsCredentials(settings) {
        var visited: [String] = []
        return try await resolveProfile(name, config: config, visited: &visited)
      }
    } else if named {
      throw .profileNotFound(name, files: [config.credentials.path, config.config.path])
    }
    tried.append(
      "profile default in \(display(config.credentials.path)) and \(display(config.config.path))")
    if let container = try await EndpointCredentials.container(
      environment: environment, transport: metadataTransport)
    {
      return ResolvedCredentials(
        credentials: container, source: "the container credentials endpoint",
        renew: renewal { [environment, metadataTransport] () async throws(CredentialError) in
          try await EndpointCredentials.container(
            environment: environment, transport: metadataTransport)
        })
    }
    tried.append("the container endpoint")
    if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" {
      do {
        if let instance = try await EndpointCredentials.instanceMetadata(
          environment: environment, transport: metadataTransport)
        {
          return ResolvedCredentials(
            credentials: instance, source: "EC2 instance metadata (IMDSv2)",
            renew: renewal { [environment, metadataTransport] () async throws(CredentialError) in
              try await EndpointCredentials.instanceMetadata(
                environment: environment, transport: metadataTransport)
            })
        }
      } catch .unreachable, .service {
        // Not on EC2 (or no role): the last source simply has nothing.
      }
      tried.append("EC2 instance metadata")
    }
    throw .notFound(tried: tried)
  }

  /// Whether a profile names any source of credentials.
  static func holdsCredentials(_ settings: [String: String]) -> Bool {
    [
      "aws_access_key_id", "aws_secret_access_key", "credential_process", "role_arn",
      "sso_session", "sso_start_url",
    ].contains { settings[$0] != nil }
  }

  /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`), or nil.
  func environmentCredentials() throws(CredentialError) -> ResolvedCredentials? {
    let keyID = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
    let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    switch (keyID, secret) {
    case (nil, nil):
      return nil
    case (.some, nil):
      throw .incomplete(
        source: "environment variables",
        reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    case (nil, .some):
      throw .incomplete(
        source: "environment variables",
        reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
    case (.some(let keyID), .some(let secret)):
      let token = (environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"])
        .flatMap { $0.isEmpty ? nil : Sensitive($0) }
      return ResolvedCredentials(
        credentials: AWSCredentials(
          accessKeyID: keyID, secretAccessKey: Sensitive(secret), sessionToken: token),
        source: "environment variables")
    }
  }

  /// One profile's credentials, following `source_profile` (loops refused).
  func resolveProfile(_ name: String, config: SharedConfig, visited: inout [String])
    async throws(CredentialError) -> ResolvedCredentials
  {
    guard let settings = config.profile(name) else {
      throw .profileNotFound(name, files: [config.credentials.path, config.config.path])
    }
    guard !visited.contains(name) else {
      throw .incomplete(
        source: "profile '\(TerminalText.escape(name))'",
        reason:
          "source_profile goes round in a loop (\((visited + [name]).joined(separator: " → ")))")
    }
    visited.append(name)
    let label = "profile \(TerminalText.escape(name))"
    if let roleARN = settings["role_arn"], !roleARN.isEmpty {
      return try await assumeRole(
        roleARN, profile: name, settings: settings, config: config, visited: &visited)
    }
    if let sso = try ssoProfile(name, settings: settings, config: config) {
      let (environment, home, transport, now) = (self.environment, self.home, transport, now)
      let fetch: @Sendable () async throws(CredentialError) -> AWSCredentials = {
        () async throws(CredentialError) in
        try await EndpointCredentials.sso(
          sso, environment: environment, home: home, transport: transport, now: now())
      }
      return ResolvedCredentials(
        credentials: try await fetch(), source: "\(label): IAM Identity Center", renew: fetch)
    }
    if let keys = try staticKeys(settings, label: label) {
      if config.credentials.sections[name]?["aws_access_key_id"] != nil
        || settings["credential_process"] == nil
      {
        return ResolvedCredentials(
          credentials: keys, source: "\(label) (\(display(config.fileHoldingKeys(of: name))))")
      }
    }
    if let command = settings["credential_process"], !command.isEmpty {
      let quiet = quietProcesses
      let fetch: @Sendable () async throws(CredentialError) -> AWSCredentials = {
        () async throws(CredentialError) in
        try CredentialProcess.run(command, profile: name, discardingErrors: quiet)
      }
      let credentials = try await fetch()
      return ResolvedCredentials(
        credentials: credentials, source: "\(label): credential_process",
        renew: credentials.expiration == nil ? nil : fetch)
    }
    throw .incomplete(
      source: label,
      reason:
        "holds no credentials (aws_access_key_id, credential_process, role_arn or sso_session)")
  }

  private func staticKeys(_ settings: [String: String], label: String) throws(CredentialError)
    -> AWSCredentials?
  {
    let keyID = settings["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
    let secret = settings["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
    guard keyID != nil || secret != nil else { return nil }
    guard let keyID, let secret else {
      throw .incomplete(
        source: label,
        reason: keyID == nil
          ? "has aws_secret_access_key but no aws_access_key_id"
          : "has aws_access_key_id but no aws_secret_access_key")
    }
    return AWSCredentials(
      accessKeyID: keyID, secretAccessKey: Sensitive(secret),
      sessionToken: settings["aws_session_token"].flatMap { $0.isEmpty ? nil : Sensitive($0) })
  }

  private func ssoProfile(_ name: String, settings: [String: String], config: SharedConfig)
    throws(CredentialError) -> EndpointCredentials.SSOProfile?
  {
    let label = "profile \(TerminalText.escape(name))"
    var startURL = settings["sso_start_url"]
    var region = settings["sso_region"]
    let sessionName = settings["sso_session"]
    if let sessionName {
      guard let session = config.ssoSession(sessionName) else {
        throw .incomplete(
          source: label,
          reason: "names sso_session '\(TerminalText.escape(sessionName))', which "
            + "\(display(config.config.path)) does not define")
      }
      startURL = session["sso_start_url"] ?? startURL
      region = session["sso_region"] ?? region
    }
    guard sessionName != nil || startURL != nil else { return nil }
    guard let startURL, let region, let account = settings["sso_account_id"],
      let role = settings["sso_role_name"]
    else {
      throw .incomplete(
        source: label,
        reason: "needs sso_start_url, sso_region, sso_account_id and sso_role_name")
    }
    return EndpointCredentials.SSOProfile(
      profileName: name, sessionName: sessionName, startURL: startURL, region: region,
      accountID: account, roleName: role)
  }

  private func assumeRole(
    _ roleARN: String, profile name: String, settings: [String: String], config: SharedConfig,
    visited: inout [String]
  ) async throws(CredentialError) -> ResolvedCredentials {
    let label = "profile \(TerminalText.escape(name))"
    let base: ResolvedCredentials
    if let sourceProfile = settings["source_profile"], !sourceProfile.isEmpty {
      // A source profile with its own keys is used for them, even when it has a role_arn
      // too (botocore's rule); otherwise it is resolved in full (its role, SSO, process).
      if sourceProfile != name, let sourceSettings = config.profile(sourceProfile),
        let keys = try staticKeys(sourceSettings, label: "profile \(sourceProfile)")
      {
        base = ResolvedCredentials(credentials: keys, source: "profile \(sourceProfile)")
      } else if sourceProfile == name, let keys = try staticKeys(settings, label: label) {
        base = ResolvedCredentials(credentials: keys, source: label)
      } else {
        base = try await resolveProfile(sourceProfile, config: config, visited: &visited)
      }
    } else if let credentialSource = settings["credential_source"] {
      switch credentialSource {
      case "Environment":
        guard let fromEnvironment = try environmentCredentials() else {
          throw .incomplete(
            source: label, reason: "credential_source = Environment, but the variables are unset")
        }
        base = fromEnvironment
      case "EcsContainer":
        guard
          let container = try await EndpointCredentials.container(
            environment: environment, transport: metadataTransport)
        else {
          throw .incomplete(
            source: label, reason: "credential_source = EcsContainer outside a container")
        }
        base = ResolvedCredentials(credentials: container, source: "the container endpoint")
      case "Ec2InstanceMetadata":
        guard
          let instance = try await EndpointCredentials.instanceMetadata(
            environment: environment, transport: metadataTransport)
        else {
          throw .incomplete(source: label, reason: "instance metadata is disabled")
        }
        base = ResolvedCredentials(credentials: instance, source: "EC2 instance metadata")
      default:
        throw .incomplete(
          source: label,
          reason: "credential_source must be Environment, EcsContainer or Ec2InstanceMetadata")
      }
    } else {
      throw .incomplete(
        source: label, reason: "has role_arn but neither source_profile nor credential_source")
    }
    let stsRegion =
      settings["region"] ?? environment["AWS_REGION"]
      ?? environment["AWS_DEFAULT_REGION"] ?? region
    guard let endpoint = STSClient.endpoint(region: stsRegion, environment: environment) else {
      throw .incomplete(source: "AWS_ENDPOINT_URL_STS", reason: "is not a URL")
    }
    let client = STSClient(endpoint: endpoint, region: stsRegion, transport: transport, now: now)
    let request = STSClient.AssumeRoleRequest(
      roleARN: roleARN,
      sessionName: settings["role_session_name"] ?? Self.defaultSessionName(environment),
      externalID: settings["external_id"],
      sourceIdentity: settings["source_identity"],
      durationSeconds: settings["duration_seconds"].flatMap { Int($0) })
    let mfaSerial = settings["mfa_serial"]
    let mfaCode = self.mfaCode
    let fetch: @Sendable () async throws(CredentialError) -> AWSCredentials = {
      () async throws(CredentialError) in
      var request = request
      if let mfaSerial { request.mfa = (mfaSerial, try await mfaCode(mfaSerial)) }
      var baseCredentials = base.credentials
      if let renew = base.renew, let expiration = baseCredentials.expiration,
        expiration.timeIntervalSinceNow < 300
      {
        baseCredentials = try await renew()
      }
      return try await client.assumeRole(request, credentials: baseCredentials).credentials
    }
    return ResolvedCredentials(
      credentials: try await fetch(),
      source: "\(label): role \(TerminalText.escape(roleARN)) from \(base.source)", renew: fetch,
      sourceIdentity: request.sourceIdentity ?? base.sourceIdentity)
  }

  /// `cognito-account-<login name>`, within STS's `[\w+=,.@-]{2,64}`.
  static func defaultSessionName(_ environment: [String: String]) -> String {
    let user = environment["LOGNAME"] ?? environment["USER"] ?? "user"
    let allowed = user.unicodeScalars.filter {
      $0.isASCII
        && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
          || "+=,.@-_".unicodeScalars.contains($0))
    }
    return String(("cognito-account-" + String(String.UnicodeScalarView(allowed))).prefix(64))
  }

  private func renewal(
    _ fetch: @escaping @Sendable () async throws(CredentialError) -> AWSCredentials?
  ) -> @Sendable () async throws(CredentialError) -> AWSCredentials {
    { () async throws(CredentialError) in
      guard let credentials = try await fetch() else {
        throw .notFound(tried: ["the same source again"])
      }
      return credentials
    }
  }

  private func display(_ path: String) -> String {
    path.hasPrefix(home + "/") ? "~" + path.dropFirst(home.count) : path
  }
}

/// Keeps credentials current: temporary ones are renewed from their source five minutes before
/// they expire, so a long session on the screen never signs with dead keys.
public actor CredentialCache {
  private var resolved: ResolvedCredentials
  private let now: @Sendable () -> Date
  /// How long before expiry renewal starts.
  public static let renewalMargin: TimeInterval = 300

  /// Starts with credentials just resolved.
  public init(_ resolved: ResolvedCredentials, now: @escaping @Sendable () -> Date = { Date() }) {
    self.resolved = resolved
    self.now = now
  }

  /// Where the credentials come from.
  public var source: String { resolved.source }

  /// Credentials good for at least the renewal margin, renewed if need be. Callers that
  /// arrive during a renewal wait for it: one renewal (one MFA prompt) at a time.
  public func current() async throws(CredentialError) -> AWSCredentials {
    guard let expiration = resolved.credentials.expiration,
      expiration.timeIntervalSince(now()) < Self.renewalMargin
    else { return resolved.credentials }
    guard let renew = resolved.renew else {
      if expiration > now() { return resolved.credentials }
      throw .expired(
        source: "The AWS credentials from \(resolved.source)",
        hint: "get new ones from their source and try again")
    }
    let task =
      renewal
      ?? Task { () async -> Result<AWSCredentials, CredentialError> in
        do throws(CredentialError) {
          return .success(try await renew())
        } catch {
          return .failure(error)
        }
      }
    renewal = task
    defer { renewal = nil }
    let fresh = try await task.value.get()
    resolved.credentials = fresh
    return fresh
  }

  private var renewal: Task<Result<AWSCredentials, CredentialError>, Never>?
}
