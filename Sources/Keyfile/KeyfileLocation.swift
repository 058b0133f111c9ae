/// Where a profile's keyfile lives.
public enum KeyfileLocation {
  /// `COGNITO_ACCOUNT_KEYFILE` if set, else `$XDG_STATE_HOME/cognito-account/<profile>.keyfile`,
  /// else `$HOME/.local/state/cognito-account/<profile>.keyfile`; `nil` when none can be formed.
  public static func defaultPath(profile: String, environment: [String: String]) -> String? {
    if let explicit = environment["COGNITO_ACCOUNT_KEYFILE"], !explicit.isEmpty { return explicit }
    let stateHome: String
    if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
      stateHome = xdg
    } else if let home = environment["HOME"], home.hasPrefix("/") {
      stateHome = home + "/.local/state"
    } else {
      return nil
    }
    return stateHome + "/cognito-account/" + profile + ".keyfile"
  }
}
