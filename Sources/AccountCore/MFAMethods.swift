/// How the sign-in prompts and the screen name the MFA methods Cognito offers.
public enum MFAMethods {
  /// Plain names for the methods Cognito lists in `MFAS_CAN_CHOOSE`.
  static let names = [
    "SOFTWARE_TOKEN_MFA": "authenticator app", "SMS_MFA": "SMS", "EMAIL_OTP": "email",
  ]

  /// The plain name of `method`, or the method as sent, escaped for the terminal.
  public static func label(_ method: String) -> String {
    names[method] ?? TerminalText.escape(method)
  }

  /// The method a typed answer picks from `options`: its number (1-based), its wire name or its
  /// plain name (either case); nil when it picks none. The screen and the CLI both read a choice
  /// with this.
  public static func choice(_ typed: String, from options: [String]) -> String? {
    let answer = EditRules.typedWord(typed)
    if let number = Int(answer) {
      return number >= 1 && number <= options.count ? options[number - 1] : nil
    }
    let folded = answer.lowercased()
    guard !folded.isEmpty else { return nil }
    return options.first { $0.lowercased() == folded || names[$0]?.lowercased() == folded }
  }
}

/// An MFA method a user can enable, disable or prefer.
public enum MFAMethod: String, Sendable, Hashable, CaseIterable, Comparable {
  /// An authenticator app (TOTP), `SOFTWARE_TOKEN_MFA`.
  case totp
  /// A code by SMS, `SMS_MFA`.
  case sms
  /// A code by email, `EMAIL_OTP`.
  case email

  /// The method from Cognito's name for it; nil for anything else (or empty).
  public init?(wire: String) {
    switch wire {
    case "SOFTWARE_TOKEN_MFA": self = .totp
    case "SMS_MFA": self = .sms
    case "EMAIL_OTP": self = .email
    default: return nil
    }
  }

  /// Cognito's name.
  public var wire: String {
    switch self {
    case .totp: "SOFTWARE_TOKEN_MFA"
    case .sms: "SMS_MFA"
    case .email: "EMAIL_OTP"
    }
  }

  /// The plain name.
  public var label: String { MFAMethods.label(wire) }

  /// In the order the CLI lists them.
  public static func < (left: MFAMethod, right: MFAMethod) -> Bool {
    allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
  }
}

/// What `mfa enable|disable|prefer` does to a method.
public enum MFAChange: String, Sendable, Hashable, CaseIterable {
  /// Enabled (not necessarily preferred).
  case enable
  /// Disabled.
  case disable
  /// Enabled and preferred.
  case prefer
}

/// The user's MFA, as `GetUserAuthFactors` reports it.
public struct MFAState: Sendable, Hashable {
  /// The preferred method, if one is.
  public var preferred: MFAMethod?
  /// The methods enabled.
  public var enabled: Set<MFAMethod>
  /// The sign-in factors configured (`PASSWORD`, `WEB_AUTHN`, …).
  public var factors: [String]

  /// Creates a state.
  public init(preferred: MFAMethod?, enabled: Set<MFAMethod>, factors: [String]) {
    self.preferred = preferred
    self.enabled = enabled
    self.factors = factors
  }

  /// The state from Cognito's names (`PreferredMfaSetting`, `UserMFASettingList`); names this
  /// program does not know are left out.
  public init(preferredWire: String?, enabledWire: [String]?, factors: [String]) {
    self.init(
      preferred: MFAMethod(wire: preferredWire ?? ""),
      enabled: Set((enabledWire ?? []).compactMap(MFAMethod.init(wire:))), factors: factors)
  }
}

/// One passkey of the user.
public struct Passkey: Sendable, Hashable {
  /// The credential id (what `passkeys delete` takes).
  public var id: String
  /// The name the user gave it.
  public var name: String
  /// The relying party (the app's domain).
  public var relyingParty: String
  /// Seconds since 1970.
  public var created: Double

  /// Creates a passkey.
  public init(id: String, name: String, relyingParty: String, created: Double) {
    self.id = id
    self.name = name
    self.relyingParty = relyingParty
    self.created = created
  }
}

/// The `otpauth://` URI an authenticator app reads from a QR code (Google Authenticator's Key
/// Uri Format): `otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>`, the label
/// and the issuer percent-encoded (RFC 3986 unreserved characters kept).
public enum TOTPURI {
  /// The URI for `secret` (base32), as the user's app should name it.
  public static func make(issuer: String, account: String, secret: Sensitive) -> Sensitive {
    let label = encode(issuer) + ":" + encode(account)
    return Sensitive(
      "otpauth://totp/\(label)?secret=\(encode(secret.reveal))&issuer=\(encode(issuer))")
  }

  /// The secret in groups of four, for typing it by hand: `JBSW Y3DP EHPK 3PXP`.
  public static func grouped(_ secret: Sensitive) -> Sensitive {
    var groups: [String] = []
    var current = ""
    for character in secret.reveal where !character.isWhitespace {
      current.append(character)
      if current.count == 4 {
        groups.append(current)
        current = ""
      }
    }
    if !current.isEmpty { groups.append(current) }
    return Sensitive(groups.joined(separator: " "))
  }

  static func encode(_ text: String) -> String {
    PlainFormat.percentEncoded(text, keeping: "~")
  }
}
