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
