/// Local rules for attribute names, applied before anything is sent to Cognito.
public enum AttributeRules {
  /// The longest attribute name the service accepts (`AttributeNameType`, max 32).
  public static let maximumNameLength = 32

  /// Attributes a user must never remove, with the reason shown when refused.
  public static let protectedNames: [String: String] = [
    "sub": "sub is the account's permanent identifier and cannot be removed",
    "identities": "identities links federated sign-in providers and is managed by Cognito",
    "email_verified": "email_verified is managed by Cognito; remove or change email instead",
    "phone_number_verified":
      "phone_number_verified is managed by Cognito; remove or change phone_number instead",
  ]

  /// Why `name` may never be removed, or `nil` when it may: the names above, and any other
  /// standard `*_verified` flag (Cognito manages them all).
  public static func protectionReason(_ name: String) -> String? {
    if let reason = protectedNames[name] { return reason }
    if name.hasSuffix("_verified") && !name.contains(":") {
      return "\(name) is managed by Cognito"
    }
    return nil
  }

  /// Why `name` may not be changed or added by the user, or `nil` when it may: `sub` and
  /// `identities` are Cognito's, and every standard `*_verified` flag is set by entering a code.
  public static func writeProtectionReason(_ name: String) -> String? {
    switch name {
    case "sub": return "sub is the account's permanent identifier; Cognito sets it"
    case "identities": return "identities links federated sign-in providers; Cognito sets it"
    default:
      if name.hasSuffix("_verified") && !name.contains(":") {
        let attribute = String(name.dropLast("_verified".count))
        return "\(name) is set by Cognito when a code sent to \(attribute) is entered; "
          + "change \(attribute), then verify it"
      }
      return nil
    }
  }

  /// Whether `name` is protected from removal.
  public static func isProtected(_ name: String) -> Bool { protectionReason(name) != nil }

  /// Why a name is not acceptable.
  public enum NameProblem: Sendable, Hashable {
    /// The name is empty.
    case empty
    /// Longer than 32 characters.
    case tooLong(length: Int)
    /// Contains a character outside letters, marks, symbols, numbers and punctuation.
    case invalidCharacter(Unicode.Scalar)
    /// A bare name that is not a standard attribute: custom attributes need `custom:`.
    case missingCustomPrefix(suggestion: String)
  }

  /// The standard attributes of the OpenID Connect profile that Cognito supports.
  public static let standardNames: Set<String> = [
    "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
    "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
    "picture", "preferred_username", "profile", "sub", "updated_at", "website", "zoneinfo",
    "identities",
  ]

  /// Checks a name against the service's constraints (1–32 characters, pattern
  /// `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`) and the `custom:` rule; `nil` when it is acceptable.
  public static func problem(with name: String) -> NameProblem? {
    guard !name.isEmpty else { return .empty }
    let length = name.count
    guard length <= maximumNameLength else { return .tooLong(length: length) }
    for scalar in name.unicodeScalars where !isAllowed(scalar) {
      return .invalidCharacter(scalar)
    }
    if !name.contains(":") && !standardNames.contains(name) {
      return .missingCustomPrefix(suggestion: "custom:" + name)
    }
    return nil
  }

  /// Plain-language text for a problem with `name`.
  public static func message(for problem: NameProblem, name: String) -> String {
    switch problem {
    case .empty: "an attribute name cannot be empty"
    case .tooLong(let length):
      "'\(name)' is \(length) characters long; attribute names have at most 32"
    case .invalidCharacter(let scalar):
      "'\(name)' contains U+\(String(scalar.value, radix: 16, uppercase: true)), "
        + "which attribute names cannot hold"
    case .missingCustomPrefix(let suggestion):
      "'\(name)' is not a standard attribute; custom attributes need their prefix, "
        + "for example '\(suggestion)'"
    }
  }

  private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark,
      .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
      .decimalNumber, .letterNumber, .otherNumber,
      .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      true
    default:
      false
    }
  }
}
