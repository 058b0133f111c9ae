/// Facts about this build of cognito-account.
public enum AppInfo {
  /// The program's name.
  public static let name = "cognito-account"
  /// The version, shown by `--version` and sent in the User-Agent.
  public static let version = "0.1.0"
  /// The User-Agent sent to Cognito.
  public static var userAgent: String { "\(name)/\(version)" }
}
