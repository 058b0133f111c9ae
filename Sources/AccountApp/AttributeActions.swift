public import AccountCore
public import CognitoClient

/// Where one account's attributes are read and written: the signed-in user's own account (an
/// access token, self-service) or any user of the pool (IAM credentials, support mode). The
/// removal and edit flows in ``AttributeActions`` are written once over it.
public protocol AttributePort: Sendable {
  /// The account's attributes now.
  func readAttributes() async throws(AccountError) -> [Attribute]
  /// Removes the named attributes in one call.
  func deleteAttributes(_ names: [String]) async throws(AccountError)
  /// Sets the values in one call; the codes Cognito sent, if it says.
  func updateAttributes(_ values: [AttributeType]) async throws(AccountError) -> [CodeDelivery]
}

/// Plan, apply and check removals and edits, the same for self-service and support: the rules
/// (names, protected attributes, values) are checked before anything is sent, and every write is
/// followed by a read so that the report says what the account holds, not what was asked.
public struct AttributeActions<Port: AttributePort>: Sendable {
  /// The account.
  public let port: Port

  /// Actions on the account behind `port`.
  public init(port: Port) { self.port = port }

  /// Checks `names` and reads the account, to show what a removal would do before it is
  /// confirmed. Refuses an invalid or protected name before anything is sent.
  public func planRemoval(of names: [String]) async throws(AccountError) -> RemovalPlan {
    for name in names { try RemovalRules.check(name) }
    return try RemovalPlan(names: names, current: try await port.readAttributes())
  }

  /// Removes what `plan` found present (one call), then reads the account back to tell removed
  /// from not removed.
  public func remove(_ plan: RemovalPlan) async throws(AccountError) -> RemovalReport {
    guard !plan.present.isEmpty else { return RemovalReport(plan: plan, after: []) }
    try await port.deleteAttributes(plan.present.map(\.name))
    return RemovalReport(plan: plan, after: try await port.readAttributes())
  }

  /// Checks `changes` and reads the account, to show what an edit would do before it is
  /// confirmed. Refuses an invalid name, one only Cognito writes, or an unacceptable value
  /// before anything is sent.
  public func planEdit(_ changes: [(name: String, value: String)]) async throws(AccountError)
    -> EditPlan
  {
    for (name, value) in changes {
      try EditRules.check(name: name)
      try EditRules.check(value: value, for: name)
    }
    return try EditPlan(changes: changes, current: try await port.readAttributes())
  }

  /// Sends `plan`'s changes (one call, with `extra` values such as an administrator's
  /// `email_verified`), then reads the account back to tell changed from waiting for
  /// verification from failed.
  public func applyEdit(_ plan: EditPlan, extra: [AttributeType] = []) async throws(AccountError)
    -> EditReport
  {
    guard !plan.edits.isEmpty else { return EditReport(plan: plan, deliveries: [], after: []) }
    let values = plan.edits.map { AttributeType(name: $0.name, value: $0.new) } + extra
    let deliveries = try await port.updateAttributes(values)
    return EditReport(plan: plan, deliveries: deliveries, after: try await port.readAttributes())
  }
}

/// The signed-in user's own account, through the session's access token.
public struct SelfServicePort: AttributePort {
  let session: SessionManager

  /// The account of the session `session` keeps.
  public init(session: SessionManager) { self.session = session }

  /// The user's attributes now.
  public func readAttributes() async throws(AccountError) -> [Attribute] {
    let user = try await session.withClient { client, token throws(CognitoError) in
      try await client.getUser(accessToken: token)
    }
    return AccountActions.attributes(user)
  }

  /// Removes the named attributes in one call.
  public func deleteAttributes(_ names: [String]) async throws(AccountError) {
    try await session.withClient { client, token throws(CognitoError) in
      try await client.deleteUserAttributes(names: names, accessToken: token)
    }
  }

  /// Sets the values in one call.
  public func updateAttributes(_ values: [AttributeType]) async throws(AccountError)
    -> [CodeDelivery]
  {
    let answer = try await session.withClient { client, token throws(CognitoError) in
      try await client.updateUserAttributes(values, accessToken: token)
    }
    return (answer.codeDeliveryDetailsList ?? []).compactMap(AccountActions.delivery)
  }
}
