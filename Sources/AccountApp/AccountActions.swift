public import AccountCore
public import CognitoClient
public import Keyfile

/// Every user-visible action, written once: the CLI's commands and the screen's effects call
/// these and differ only in how they ask and how they show. Each returns a report value; the
/// rules it applies (validation, protected names, what needs a typed confirmation) are pure, in
/// ``RemovalRules`` and ``AttributeRules``.
public struct AccountActions: Sendable {
  private let session: SessionManager

  /// Actions on the session `session` keeps.
  public init(session: SessionManager) { self.session = session }

  /// Where the session is kept (`nil` with `--no-store`).
  public var keyfilePath: String? { session.keyfilePath }

  /// The stored session (memory, else the keyfile), without refreshing or sending anything.
  public func storedSession() async throws(AccountError) -> StoredSession {
    try await session.storedSession()
  }

  /// Reads the account (GetUser).
  public func load() async throws(AccountError) -> GetUserResponse {
    try await session.withClient { client, token throws(CognitoError) in
      try await client.getUser(accessToken: token)
    }
  }

  /// Checks `names` and reads the account, to show what a removal would do before it is
  /// confirmed. Refuses an invalid or protected name before anything is sent.
  public func planRemoval(of names: [String]) async throws(AccountError) -> RemovalPlan {
    for name in names { try RemovalRules.check(name) }
    return try RemovalPlan(names: names, current: Self.attributes(try await load()))
  }

  /// Removes what `plan` found present (one DeleteUserAttributes), then reads the account back
  /// to tell removed from not removed.
  public func remove(_ plan: RemovalPlan) async throws(AccountError) -> RemovalReport {
    guard !plan.present.isEmpty else { return RemovalReport(plan: plan, after: []) }
    let names = plan.present.map(\.name)
    try await session.withClient { client, token throws(CognitoError) in
      try await client.deleteUserAttributes(names: names, accessToken: token)
    }
    return RemovalReport(plan: plan, after: Self.attributes(try await load()))
  }

  /// Puts `attributes` back (one UpdateUserAttributes), then reads the account back.
  public func restore(_ attributes: [Attribute]) async throws(AccountError) -> [Attribute] {
    let values = attributes.map { AttributeType(name: $0.name, value: $0.value) }
    _ = try await session.withClient { client, token throws(CognitoError) in
      try await client.updateUserAttributes(values, accessToken: token)
    }
    return Self.attributes(try await load())
  }

  /// Signs in, answering challenges through `responder`, and keeps the session.
  public func signIn(username: String, password: Sensitive, responder: ChallengeResponder)
    async throws(AccountError) -> String
  {
    try await session.signIn(username: username, password: password, responder: responder)
      .username
  }

  /// Signs out (everywhere first with `everywhere`) and forgets the session.
  public func signOut(everywhere: Bool) async throws(AccountError)
    -> SessionManager.SignOutReport
  {
    try await session.signOut(everywhere: everywhere)
  }

  /// The attributes of a GetUser answer, as the core sees them.
  public static func attributes(_ user: GetUserResponse) -> [Attribute] {
    user.userAttributes.map { Attribute(name: $0.name, value: $0.value ?? "") }
  }
}
