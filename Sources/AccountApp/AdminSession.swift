public import AWSCredentialChain
public import AccountCore
import AuditLog
public import CognitoClient
public import FoundationEssentials
public import HTTPStack
import SigV4
import Synchronization

/// One user of the pool as the support mode shows it.
public struct AdminUser: Sendable, Hashable {
  /// The user name.
  public var username: String
  /// The `sub` attribute, if present.
  public var sub: String?
  /// `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED`, …
  public var status: String
  /// Whether the user may sign in.
  public var enabled: Bool
  /// Seconds since 1970.
  public var created: Double?
  /// Seconds since 1970.
  public var lastModified: Double?
  /// The attributes, as Cognito lists them.
  public var attributes: [Attribute]
  /// The user's groups (filled by ``AdminSession/user(_:)``, empty in search results).
  public var groups: [String]
  /// `MFAOptions` as Cognito sent them (SMS options of the legacy API), if it did.
  public var mfaOptions: [MFAOptionType]?
  /// `PreferredMfaSetting`, if Cognito sent it (AdminGetUser only).
  public var preferredMfaSetting: String?
  /// `UserMFASettingList`, if Cognito sent it (AdminGetUser only).
  public var userMFASettingList: [String]?

  /// The value of attribute `name`.
  public func value(_ name: String) -> String? {
    attributes.first { $0.name == name }?.value
  }

  /// Equal when name, state, attributes and groups are.
  public static func == (left: AdminUser, right: AdminUser) -> Bool {
    left.username == right.username && left.status == right.status
      && left.enabled == right.enabled && left.attributes == right.attributes
      && left.groups == right.groups
  }

  /// Hashes the user name.
  public func hash(into hasher: inout Hasher) { hasher.combine(username) }

  /// The user as the support screen holds it.
  public var summary: SupportUser {
    SupportUser(
      username: username, sub: sub, status: status, enabled: enabled, created: created,
      attributes: attributes, groups: groups)
  }
}

/// One page of a user search.
public struct UserPage: Sendable {
  /// The users of this page (possibly none: Cognito pages can be short or empty).
  public var users: [AdminUser]
  /// Where the next page starts; nil on the last.
  public var nextToken: String?
}

/// Who the support mode acts as.
public struct AdminIdentity: Sendable, Hashable {
  /// The caller's ARN (`sts:GetCallerIdentity`).
  public var arn: String
  /// The account.
  public var account: String
  /// Where the credentials came from (`profile support (~/.aws/credentials)`, …).
  public var source: String
}

/// The support mode: IAM credentials from the standard chain, SigV4-signed administrator calls
/// on one user pool, and the audit log every write goes through (an intent line before the
/// call, an outcome line after; no log line, no call). Read-only unless the settings allow writes.
public actor AdminSession {
  /// What the session was opened with.
  public struct Context: Sendable {
    /// The cognito-account profile (for the audit log).
    public var profile: String
    /// The pool.
    public var userPoolID: String
    /// The Cognito endpoint.
    public var endpoint: URL
    /// The signing region.
    public var region: String
    /// Whether writes are refused.
    public var readOnly: Bool
    /// The audit log's path.
    public var auditLogPath: String
    /// The `source_identity` of the AWS profile, if any (for the audit log).
    public var sourceIdentity: String?

    /// Creates a context.
    public init(
      profile: String, userPoolID: String, endpoint: URL, region: String, readOnly: Bool,
      auditLogPath: String, sourceIdentity: String? = nil
    ) {
      self.profile = profile
      self.userPoolID = userPoolID
      self.endpoint = endpoint
      self.region = region
      self.readOnly = readOnly
      self.auditLogPath = auditLogPath
      self.sourceIdentity = sourceIdentity
    }
  }

  /// What the session was opened with.
  public nonisolated let context: Context
  private let credentials: CredentialCache
  private let admin: CognitoAdminClient
  private let sts: STSClient
  private let audit: AuditLog
  private let lastRequestID: LastRequestID
  private var identity: AdminIdentity?

  /// Resolves credentials through `chain` and opens the session (nothing is sent to Cognito).
  public static func open(
    _ context: Context, chain: CredentialChain, transport: any HTTPTransport,
    userAgent: String, observer: (@Sendable (CognitoClient.AttemptRecord) -> Void)? = nil
  ) async throws(AccountError) -> AdminSession {
    let resolved: ResolvedCredentials
    do {
      resolved = try await chain.resolve()
    } catch {
      throw .credentials(message: error.description)
    }
    guard
      let stsEndpoint = STSClient.endpoint(region: context.region, environment: chain.environment)
    else { throw .configuration(message: "AWS_ENDPOINT_URL_STS is not a URL") }
    var context = context
    context.sourceIdentity = context.sourceIdentity ?? resolved.sourceIdentity
    return AdminSession(
      context: context, credentials: CredentialCache(resolved),
      sts: STSClient(endpoint: stsEndpoint, region: context.region, transport: transport),
      transport: transport, userAgent: userAgent, observer: observer)
  }

  init(
    context: Context, credentials: CredentialCache, sts: STSClient, transport: any HTTPTransport,
    userAgent: String, observer: (@Sendable (CognitoClient.AttemptRecord) -> Void)?
  ) {
    self.context = context
    self.credentials = credentials
    self.sts = sts
    self.audit = AuditLog(path: context.auditLogPath)
    let lastRequestID = LastRequestID()
    self.lastRequestID = lastRequestID
    let signer = SigV4Signer(region: context.region, service: "cognito-idp")
    let client = CognitoClient(
      endpoint: context.endpoint, transport: transport, userAgent: userAgent,
      observer: { record in
        lastRequestID.set(record.requestID)
        observer?(record)
      },
      signer: { [credentials] request throws(CognitoError) in
        let current: AWSCredentials
        do throws(CredentialError) {
          current = try await credentials.current()
        } catch {
          throw .credentials(error.description)
        }
        return signer.sign(request, credentials: current, date: Date())
      })
    self.admin = CognitoAdminClient(client: client, userPoolID: context.userPoolID)
  }

  /// Who the credentials belong to (asked once, then kept).
  public func whoAmI() async throws(AccountError) -> AdminIdentity {
    if let identity { return identity }
    let caller: STSClient.CallerIdentity
    do {
      caller = try await sts.callerIdentity(try await credentials.current())
    } catch .service(_, let code, let message) {
      let kind = AccountError.kind(of: ServiceErrorCode(code: code))
      throw .service(ServiceProblem(kind: kind, code: code, message: message))
    } catch .expired {
      throw .service(
        ServiceProblem(
          kind: .expiredCredentials, code: "ExpiredToken",
          message: "from \(await credentials.source)"))
    } catch {
      throw .credentials(message: error.description)
    }
    let found = AdminIdentity(
      arn: caller.arn, account: caller.account, source: await credentials.source)
    identity = found
    return found
  }

  /// One page of users matching `filter` (all users without one).
  public func listUsers(filter: UserFilter?, limit: Int, nextToken: String?)
    async throws(AccountError) -> UserPage
  {
    let size = min(max(limit, 1), SupportRules.maximumPageSize)
    let page = try await call("ListUsers") { [admin] () async throws(CognitoError) in
      try await admin.listUsers(
        filter: filter?.description, limit: size, paginationToken: nextToken)
    }
    return UserPage(
      users: (page.users ?? []).map(Self.user(from:)),
      nextToken: page.paginationToken.flatMap { $0.isEmpty ? nil : $0 })
  }

  /// One user, with groups.
  public func user(_ username: String) async throws(AccountError) -> AdminUser {
    let answer = try await call("AdminGetUser") { [admin] () async throws(CognitoError) in
      try await admin.getUser(username)
    }
    let groups = try await call("AdminListGroupsForUser") { [admin] () async throws(CognitoError) in
      try await admin.groups(of: username)
    }
    let attributes = (answer.userAttributes ?? []).map {
      Attribute(name: $0.name, value: $0.value ?? "")
    }
    return AdminUser(
      username: answer.username,
      sub: attributes.first { $0.name == "sub" }?.value,
      status: answer.userStatus ?? "", enabled: answer.enabled ?? true,
      created: answer.userCreateDate, lastModified: answer.userLastModifiedDate,
      attributes: attributes, groups: groups.compactMap(\.groupName),
      mfaOptions: answer.mfaOptions, preferredMfaSetting: answer.preferredMfaSetting,
      userMFASettingList: answer.userMFASettingList)
  }

  /// The attribute actions (plan, remove, edit) on `username`, every write audited with
  /// `reason`; planning reads only, so it works read-only too.
  public nonisolated func attributeActions(for username: String, sub: String?, reason: String)
    -> AttributeActions<AdminUserPort>
  {
    AttributeActions(
      port: AdminUserPort(session: self, username: username, sub: sub, reason: reason))
  }

  /// Performs `action` on `user`, audited with `reason`.
  public func perform(_ action: SupportAction, on user: AdminUser, reason: String)
    async throws(AccountError)
  {
    let admin = self.admin
    let username = user.username
    try await audited(
      action.operation, username: username, sub: user.sub, attributes: nil, reason: reason
    ) { () async throws(CognitoError) in
      switch action {
      case .signOut: try await admin.signOut(username)
      case .disable: try await admin.disable(username)
      case .enable: try await admin.enable(username)
      case .resetPassword: try await admin.resetPassword(username)
      }
    }
  }

  /// Runs a write: refused when read-only; an intent line, the call, an outcome line.
  func audited<T: Sendable>(
    _ operation: String, username: String, sub: String?, attributes: [String]?, reason: String,
    _ body: () async throws(CognitoError) -> T
  ) async throws(AccountError) -> T {
    guard !context.readOnly else { throw .adminReadOnly(action: operation) }
    let reason = try SupportRules.checkReason(reason)
    let identity = try await whoAmI()
    var entry = AuditEntry(
      phase: "intent", id: AuditLog.newID(), time: AuditLog.timestamp(), caller: identity.arn,
      sourceIdentity: context.sourceIdentity, credentials: identity.source,
      profile: context.profile,
      userPool: context.userPoolID, username: username, sub: sub, operation: operation,
      attributes: attributes, reason: reason)
    do {
      try audit.append(entry)
    } catch {
      throw .configuration(message: "\(error.description); nothing was changed")
    }
    entry.phase = "outcome"
    lastRequestID.set(nil)
    let result: Result<T, CognitoError>
    do {
      result = .success(try await body())
      entry.result = "ok"
      entry.requestID = lastRequestID.get()
    } catch {
      result = .failure(error)
      entry.result = error.serviceCode?.code ?? "failed"
      if case .service(let service) = error { entry.requestID = service.requestID }
    }
    entry.time = AuditLog.timestamp()
    do {
      try audit.append(entry)
    } catch {
      // The call went out: say so, and that its outcome is missing from the log.
      let what = (try? result.get()) != nil ? "was made" : "failed"
      throw .configuration(
        message: "\(operation) \(what), but its outcome could not be written to the audit log: "
          + error.description)
    }
    switch result {
    case .success(let value): return value
    case .failure(let error): throw await translate(error, operation: operation)
    }
  }

  /// A client error as the person reads it: the IAM action named when denied, and the
  /// credentials' source when they have expired.
  func translate(_ error: CognitoError, operation: String) async -> AccountError {
    var translated = AccountError(error, endpoint: context.endpoint, operation: operation)
    if case .service(var problem) = translated, problem.kind == .expiredCredentials {
      problem.message = "from \(await credentials.source)"
      translated = .service(problem)
    }
    return translated
  }

  /// A read, its errors translated (naming the operation if IAM denies it).
  func call<T: Sendable>(_ operation: String, _ body: () async throws(CognitoError) -> T)
    async throws(AccountError) -> T
  {
    do {
      return try await body()
    } catch {
      throw await translate(error, operation: operation)
    }
  }

  nonisolated var adminClient: CognitoAdminClient { admin }

  static func user(from listed: UserType) -> AdminUser {
    let attributes = (listed.attributes ?? []).map {
      Attribute(name: $0.name, value: $0.value ?? "")
    }
    return AdminUser(
      username: listed.username ?? "", sub: attributes.first { $0.name == "sub" }?.value,
      status: listed.userStatus ?? "", enabled: listed.enabled ?? true,
      created: listed.userCreateDate, lastModified: listed.userLastModifiedDate,
      attributes: attributes, groups: [], mfaOptions: listed.mfaOptions)
  }
}

/// One user's attributes through the administrator operations; writes go through the audit log.
public struct AdminUserPort: AttributePort {
  let session: AdminSession
  /// The user.
  public let username: String
  let sub: String?
  let reason: String

  /// The user's attributes now.
  public func readAttributes() async throws(AccountError) -> [Attribute] {
    try await session.user(username).attributes
  }

  /// Removes the named attributes in one call.
  public func deleteAttributes(_ names: [String]) async throws(AccountError) {
    let admin = session.adminClient
    let username = self.username
    try await session.audited(
      "AdminDeleteUserAttributes", username: username, sub: sub, attributes: names,
      reason: reason
    ) { () async throws(CognitoError) in
      try await admin.deleteAttributes(names, of: username)
    }
  }

  /// Sets the values in one call.
  public func updateAttributes(_ values: [AttributeType]) async throws(AccountError)
    -> [CodeDelivery]
  {
    let admin = session.adminClient
    let username = self.username
    try await session.audited(
      "AdminUpdateUserAttributes", username: username, sub: sub,
      attributes: values.map(\.name), reason: reason
    ) { () async throws(CognitoError) in
      try await admin.updateAttributes(values, of: username)
    }
    return []
  }
}

/// The request id of the latest attempt, for the audit log's outcome line.
final class LastRequestID: Sendable {
  private let value = Mutex<String?>(nil)
  func set(_ id: String?) { value.withLock { $0 = id } }
  func get() -> String? { value.withLock { $0 } }
}
