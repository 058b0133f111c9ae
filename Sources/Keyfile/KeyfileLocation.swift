/// Where a profile's keyfile lives.
public enum KeyfileLocation {
  /// `$XDG_STATE_HOME/cognito-account/<profile>.keyfile`, else
  /// `$HOME/.local/state/cognito-account/<profile>.keyfile`; `nil` when neither can be formed.
  /// (`--keyfile` and `COGNITO_ACCOUNT_KEYFILE` are settings, chosen before this default.)
  public static func defaultPath(profile: String, environment: [String: String]) -> String? {
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
