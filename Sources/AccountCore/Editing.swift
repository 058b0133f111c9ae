/// The rules of changing and adding attributes: which names may be written, which values are
/// acceptable, what the review says, and which changes must be confirmed by typing a word. The
/// CLI's `set` and the screen share them.
public enum EditRules {
  /// The word typed to confirm a change of email or phone_number.
  public static let confirmationWord = "change"

  /// The longest value Cognito stores (`AttributeValueType`, max 2,048 characters).
  public static let maximumValueLength = 2048

  /// Attributes Cognito verifies with a code when they change, and the flag that says so.
  public static let verifiedBy: [String: String] = [
    "email": "email_verified", "phone_number": "phone_number_verified",
  ]

  /// A typed answer as compared with a word or a choice: spaces and tabs around it do not count
  /// (the CLI trims its answer lines the same way). Confirmations and the MFA choice use it.
  public static func typedWord(_ typed: String) -> String {
    String(
      typed.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
        .reversed())
  }

  /// Whether changing `names` must be confirmed by typing ``confirmationWord``: signing in
  /// with an alias, password recovery and SMS MFA depend on them.
  public static func needsTypedConfirmation(_ names: some Sequence<String>) -> Bool {
    names.contains { verifiedBy[$0] != nil }
  }

  /// What follows from `edit`, for the review; `nil` when nothing beyond the value.
  public static func consequence(of edit: AttributeEdit) -> String? {
    guard verifiedBy[edit.name] != nil, !edit.new.isEmpty else { return nil }
    let medium = edit.name == "email" ? "an email" : "a text message"
    return "\(edit.name): Cognito sends \(medium) with a code to the new value. Until the code "
      + "is entered, either the new value is unverified (signing in with it may not work) or "
      + "the old one stays; the user pool decides which."
  }

  /// Refuses a name that fails the local rules or that only Cognito writes.
  public static func check(name: String) throws(AccountError) {
    if let problem = AttributeRules.problem(with: name) {
      throw .invalidAttributeName(
        name: name, reason: AttributeRules.message(for: problem, name: name))
    }
    if let reason = AttributeRules.writeProtectionReason(name) {
      throw .notWritable(name: name, reason: reason)
    }
  }

  /// Why `value` cannot be stored, or `nil` when it can: at most 2,048 characters, and no
  /// control characters (they would be stored and shown to every app that reads the profile).
  public static func problem(withValue value: String) -> String? {
    let length = value.count
    if length > maximumValueLength {
      return "the value is \(length) characters long; Cognito stores at most \(maximumValueLength)"
    }
    for scalar in value.unicodeScalars where scalar.properties.generalCategory == .control {
      return "the value contains the control character U+"
        + String(scalar.value, radix: 16, uppercase: true) + ", which is not accepted"
    }
    return nil
  }

  /// Refuses `value` for `name` (see ``problem(withValue:)``).
  public static func check(value: String, for name: String) throws(AccountError) {
    if let problem = problem(withValue: value) {
      throw .invalidInput(message: "\(name): \(problem)")
    }
  }
}

/// One change: a name, its value before (`nil` when the attribute is added), its new value.
public struct AttributeEdit: Sendable, Hashable {
  /// The wire name.
  public var name: String
  /// The value before the change, or `nil` when the account does not have the attribute.
  public var old: String?
  /// The new value.
  public var new: String

  /// Creates an edit.
  public init(name: String, old: String?, new: String) {
    self.name = name
    self.old = old
    self.new = new
  }

  /// Whether the attribute is new to the account.
  public var isAddition: Bool { old == nil }
}

/// Changes as asked for, each checked and compared with the account: those that change
/// something, and the names whose value is already the one asked for.
public struct EditPlan: Sendable, Hashable {
  /// The changes to send, in the order asked.
  public let edits: [AttributeEdit]
  /// Names whose current value is already the new one (nothing to send).
  public let unchanged: [String]

  /// Checks `changes` (the last value of a repeated name wins) and compares them with
  /// `current`.
  public init(changes: [(name: String, value: String)], current: [Attribute])
    throws(AccountError)
  {
    var order: [String] = []
    var values: [String: String] = [:]
    for (name, value) in changes {
      try EditRules.check(name: name)
      try EditRules.check(value: value, for: name)
      if values[name] == nil { order.append(name) }
      values[name] = value
    }
    var byName: [String: String] = [:]
    for attribute in current { byName[attribute.name] = attribute.value }
    var edits: [AttributeEdit] = []
    var unchanged: [String] = []
    for name in order {
      let new = values[name] ?? ""
      if byName[name] == new {
        unchanged.append(name)
      } else {
        edits.append(AttributeEdit(name: name, old: byName[name], new: new))
      }
    }
    self.edits = edits
    self.unchanged = unchanged
  }

  /// A plan of edits already checked on screen.
  public init(edits: [AttributeEdit]) {
    self.edits = edits
    unchanged = []
  }

  /// Whether it must be confirmed by typing ``EditRules/confirmationWord``.
  public var needsTypedConfirmation: Bool {
    EditRules.needsTypedConfirmation(edits.map(\.name))
  }
}

/// Where Cognito sent a verification code.
public struct CodeDelivery: Sendable, Hashable {
  /// The attribute the code verifies.
  public var attribute: String
  /// EMAIL or SMS.
  public var medium: String
  /// The masked destination, as Cognito gives it (`z***@e***`).
  public var destination: String

  /// Creates a delivery.
  public init(attribute: String, medium: String, destination: String) {
    self.attribute = attribute
    self.medium = medium
    self.destination = destination
  }
}

/// What an edit did, as read back from the account afterwards.
public struct EditReport: Sendable, Hashable {
  /// What became of one name.
  public enum Outcome: Sendable, Hashable {
    /// The account now holds the new value.
    case changed
    /// The old value stays until the code sent to the new one is entered (pools that require
    /// verification before an update).
    case awaitingVerification
    /// The value was already the one asked for; nothing was sent for it.
    case unchanged
    /// The account does not hold the new value, and no code is pending for it.
    case failed
  }

  /// One name and what became of it.
  public struct NameOutcome: Sendable, Hashable {
    /// The wire name.
    public var name: String
    /// What became of it.
    public var outcome: Outcome
  }

  /// Each name asked for, in order, with its outcome.
  public let outcomes: [NameOutcome]
  /// The changes sent.
  public let edits: [AttributeEdit]
  /// Codes Cognito sent.
  public let deliveries: [CodeDelivery]
  /// The account's attributes after the call (empty when nothing was sent).
  public let after: [Attribute]

  /// Classifies `plan` against the attributes read back and the codes sent.
  public init(plan: EditPlan, deliveries: [CodeDelivery], after: [Attribute]) {
    var values: [String: String] = [:]
    for attribute in after { values[attribute.name] = attribute.value }
    let pending = Set(deliveries.map(\.attribute))
    var outcomes: [NameOutcome] = plan.edits.map { edit in
      if values[edit.name] == edit.new { return NameOutcome(name: edit.name, outcome: .changed) }
      if pending.contains(edit.name) {
        return NameOutcome(name: edit.name, outcome: .awaitingVerification)
      }
      return NameOutcome(name: edit.name, outcome: .failed)
    }
    outcomes += plan.unchanged.map { NameOutcome(name: $0, outcome: .unchanged) }
    self.outcomes = outcomes
    edits = plan.edits
    self.deliveries = deliveries
    self.after = after
  }

  /// Names that did not get their new value and have no code pending.
  public var failed: [String] { outcomes.filter { $0.outcome == .failed }.map(\.name) }

  /// One sentence for each code sent and what it is for.
  public var verificationNotes: [String] {
    deliveries.map { delivery in
      let outcome = outcomes.first { $0.name == delivery.attribute }?.outcome
      let state =
        outcome == .awaitingVerification
        ? "keeps its old value until you enter it" : "is unverified until you enter it"
      return "A code went to \(delivery.destination); \(delivery.attribute) \(state)"
    }
  }
}
