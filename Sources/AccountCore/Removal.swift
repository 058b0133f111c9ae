/// The rules of removing attributes: which names may go, what the review says, and which
/// removals must be confirmed by typing a word. The CLI's `delete` and the screen share them.
public enum RemovalRules {
  /// The word typed to confirm a removal that needs more than y/N.
  public static let confirmationWord = "delete"

  /// Attributes whose removal is confirmed by typing ``confirmationWord``: signing in, password
  /// recovery and SMS MFA may depend on them.
  public static let typedConfirmationNames: Set<String> = ["email", "phone_number"]

  /// Whether removing `names` must be confirmed by typing ``confirmationWord``.
  public static func needsTypedConfirmation(_ names: some Sequence<String>) -> Bool {
    names.contains { typedConfirmationNames.contains($0) }
  }

  /// What the user loses with `name`, for the review; `nil` when nothing beyond the value.
  public static func consequence(of name: String) -> String? {
    switch name {
    case "email":
      "Without email you lose password recovery by email and signing in with this address."
    case "phone_number":
      "Without phone_number you lose SMS MFA, password recovery by SMS and signing in with this "
        + "number."
    default: nil
    }
  }

  /// What restoring `names` sets off, for the undo review; `nil` when nothing.
  public static func restoreConsequence(of names: some Sequence<String>) -> String? {
    needsTypedConfirmation(names)
      ? "email and phone_number come back unverified, and Cognito sends a verification code."
      : nil
  }

  /// Refuses a name that fails the local rules or is protected.
  public static func check(_ name: String) throws(AccountError) {
    if let problem = AttributeRules.problem(with: name) {
      throw .invalidAttributeName(
        name: name, reason: AttributeRules.message(for: problem, name: name))
    }
    if let reason = AttributeRules.protectionReason(name) {
      throw .protectedAttribute(name: name, reason: reason)
    }
  }
}

/// A removal as asked for: the distinct names, each checked, split into those the account has
/// (with their current values, for the review) and those it does not.
public struct RemovalPlan: Sendable, Hashable {
  /// The attributes to remove, in the order asked, with their current values.
  public let present: [Attribute]
  /// Names asked for that the account does not have.
  public let absent: [String]

  /// Checks `names` (duplicates dropped) and splits them by `current`.
  public init(names: [String], current: [Attribute]) throws(AccountError) {
    var unique: [String] = []
    for name in names where !unique.contains(name) {
      try RemovalRules.check(name)
      unique.append(name)
    }
    var byName: [String: Attribute] = [:]
    for attribute in current { byName[attribute.name] = attribute }
    present = unique.compactMap { byName[$0] }
    absent = unique.filter { byName[$0] == nil }
  }

  /// A plan for attributes already on screen (the screen's marks).
  public init(attributes: [Attribute]) {
    present = attributes
    absent = []
  }

  /// Whether it must be confirmed by typing ``RemovalRules/confirmationWord``.
  public var needsTypedConfirmation: Bool {
    RemovalRules.needsTypedConfirmation(present.map(\.name))
  }
}

/// What a removal did, as read back from the account afterwards (Cognito answers 200 whether or
/// not a name was there, so only the read-back tells).
public struct RemovalReport: Sendable, Hashable {
  /// Removed: gone after the call.
  public let removed: [Attribute]
  /// Still present after the call.
  public let notRemoved: [Attribute]
  /// Asked for, but not on the account to begin with.
  public let notPresent: [String]
  /// The account's attributes after the call (empty when nothing was present, so nothing was
  /// sent or read).
  public let after: [Attribute]

  /// Classifies `plan` against the attributes read back.
  public init(plan: RemovalPlan, after: [Attribute]) {
    let remaining = Set(after.map(\.name))
    removed = plan.present.filter { !remaining.contains($0.name) }
    notRemoved = plan.present.filter { remaining.contains($0.name) }
    notPresent = plan.absent
    self.after = after
  }

  /// Whether everything present was removed.
  public var isComplete: Bool { notRemoved.isEmpty }
}
