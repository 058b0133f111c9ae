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

  /// One profile's settings, in the file's order.
  ///
  /// Lists, not dictionaries (here and for the profiles): a few entries are found as fast by
  /// looking through them, and a dictionary keyed by `String` made the runtime scan the
  /// binary's conformance records for `String: Hashable` on every start that reads the file.
  struct Profile {
    var settings: [(key: String, value: Value)] = []

    /// The value of `key`, if the profile sets it.
    subscript(key: String) -> Value? { settings.first { $0.key == key }?.value }
  }

  static let knownKeys: [String] = [
    "user_pool_id", "client_id", "client_secret_file", "region", "endpoint_url", "auth_flow",
    "refresh_token_rotation", "read_only", "keyfile", "unlock_cache_minutes", "log_file",
    "no_store", "aws_profile", "admin_read_only", "audit_log", "totp_issuer",
  ]

  var defaultProfile: String?
  /// The profiles, in the file's order (TOML allows each name once).
  var profiles: [(name: String, profile: Profile)] = []

  /// The profile called `name`, if the file defines it.
  func profile(named name: String) -> Profile? { profiles.first { $0.name == name }?.profile }

  /// The largest config file read: far more than any number of profiles needs.
  static let maximumBytes = 1 << 20

  /// Reads the file; a missing file is an empty configuration, one that cannot be read an error.
  static func load(path: String) throws(AccountError) -> ConfigFile {
    let bytes: [UInt8]?
    do {
      bytes = try FileBytes.read(path, limit: maximumBytes)
    } catch {
      throw .configuration(message: "cannot read the config file \(path): \(error.reason)")
    }
    guard let bytes else { return ConfigFile() }
    return try parse(bytes, path: path)
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
          var values = Profile()
          for item in settings.entries {
            let (setting, raw) = (item.key, item.value)
            guard knownKeys.contains(setting) else {
              throw .configuration(
                message: "unknown setting '\(setting)' in profile '\(name)' (\(path))")
            }
            switch raw {
            case .string(let text): values.settings.append((setting, .string(text)))
            case .bool(let flag): values.settings.append((setting, .bool(flag)))
            case .integer(let number): values.settings.append((setting, .integer(number)))
            case .table:
              throw .configuration(
                message:
                  "\(setting) in profile '\(name)' (\(path)) must be a string, number or boolean")
            }
          }
          config.profiles.append((name, values))
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
