import AccountCore
import FoundationEssentials

/// The config file: profiles in TOML.
///
/// ```toml
/// default_profile = "work"
///
/// [profiles.work]
/// user_pool_id = "eu-west-1_AbCdEf123"
/// client_id = "1example23456789"
/// client_secret_file = "~/.config/cognito-account/work.secret"   # only for clients with a secret
/// region = "eu-west-1"                  # else from the pool id
/// endpoint_url = "https://…"            # else the regional endpoint
/// auth_flow = "USER_SRP_AUTH"           # or USER_PASSWORD_AUTH
/// refresh_token_rotation = false        # true: the client rotates refresh tokens
/// read_only = false
/// keyfile = "~/.local/state/cognito-account/work.keyfile"
/// unlock_cache_minutes = 15             # 0 turns the unlock cache off
/// log_file = "~/.local/state/cognito-account/work.log"
/// totp_issuer = "Example Corp"          # the name authenticator apps show (else the pool id)
/// aws_profile = "support"               # support mode: the AWS profile for IAM credentials
/// admin_read_only = true                # support mode: false allows writes (default true)
/// audit_log = "~/.local/state/cognito-account/audit.jsonl"
/// ```
/// Unknown keys are errors, so a typo never silently falls back to a default.
struct ConfigFile {
  enum Value: Hashable {
    case string(String)
    case bool(Bool)
    case integer(Int)
  }

  static let knownKeys: Set<String> = [
    "user_pool_id", "client_id", "client_secret_file", "region", "endpoint_url", "auth_flow",
    "refresh_token_rotation", "read_only", "keyfile", "unlock_cache_minutes", "log_file",
    "no_store", "aws_profile", "admin_read_only", "audit_log", "totp_issuer",
  ]

  var defaultProfile: String?
  var profiles: [String: [String: Value]] = [:]

  /// Reads the file; a missing file is an empty configuration.
  static func load(path: String) throws(AccountError) -> ConfigFile {
    guard let data = FileManager.default.contents(atPath: path) else { return ConfigFile() }
    return try parse(Array(data), path: path)
  }

  /// Parses the text of a config file (`path` names it in messages).
  static func parse(_ text: String, path: String) throws(AccountError) -> ConfigFile {
    try parse(Array(text.utf8), path: path)
  }

  /// Parses the bytes of a config file (UTF-8; anything else is refused, not replaced).
  static func parse(_ bytes: [UInt8], path: String) throws(AccountError) -> ConfigFile {
    let table: TOMLReader.Table
    do {
      table = try TOMLReader.parse(bytes)
    } catch {
      throw .configuration(message: "\(path) is not valid here: \(error)")
    }
    var config = ConfigFile()
    for entry in table.entries {
      let (key, value) = (entry.key, entry.value)
      switch key {
      case "default_profile":
        guard case .string(let name) = value else {
          throw .configuration(message: "default_profile in \(path) must be a string")
        }
        config.defaultProfile = name
      case "profiles":
        guard case .table(let profiles) = value else {
          throw .configuration(message: "[profiles] in \(path) must be a table of profiles")
        }
        for profile in profiles.entries {
          let name = profile.key
          guard case .table(let settings) = profile.value else {
            throw .configuration(message: "profiles.\(name) in \(path) must be a table")
          }
          var values: [String: Value] = [:]
          for item in settings.entries {
            let (setting, raw) = (item.key, item.value)
            guard knownKeys.contains(setting) else {
              throw .configuration(
                message: "unknown setting '\(setting)' in profile '\(name)' (\(path))")
            }
            switch raw {
            case .string(let text): values[setting] = .string(text)
            case .bool(let flag): values[setting] = .bool(flag)
            case .integer(let number): values[setting] = .integer(number)
            case .table:
              throw .configuration(
                message:
                  "\(setting) in profile '\(name)' (\(path)) must be a string, number or boolean")
            }
          }
          config.profiles[name] = values
        }
      default:
        throw .configuration(message: "unknown top-level key '\(key)' in \(path)")
      }
    }
    return config
  }
}

/// The config-file reading path, driven by arbitrary bytes: for the fuzzer.
package enum ConfigFuzzing {
  /// Reads `bytes` as a config file: TOML, then profiles, known keys, value types.
  package static func exercise(_ bytes: [UInt8]) {
    _ = try? ConfigFile.parse(bytes, path: "fuzz.toml")
  }
}
