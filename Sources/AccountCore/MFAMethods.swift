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
}
