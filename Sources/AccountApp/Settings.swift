public import AccountCore
import AuditLog
public import CognitoClient
import FoundationEssentials
import Keyfile
import Prompting

/// Where a setting's value came from, for `status`.
public enum SettingSource: String, Sendable, Hashable, Codable {
  /// A command-line flag.
  case flag
  /// An environment variable.
  case environment
  /// The profile in the config file.
  case profile
  /// The config file's `default_profile` (for the profile's name).
  case configFile = "default_profile in the config file"
  /// Built in.
  case builtIn = "default"
  /// Worked out from another setting (the region from the user pool id, the endpoint from the
  /// region).
  case derived = "derived from the user pool id"
}

/// A value with its source.
///
/// `Value` carries no protocol requirement of its own (`Sendable` is checked at compile time
/// only): a requirement would make the Swift runtime look up the conformance when it first
/// builds `Setting<String>`, a scan of the binary's ≈ 5,000 conformance records at every start.
/// It is `Hashable` where its value is.
public struct Setting<Value: Sendable>: Sendable {
  /// The value in force.
  public var value: Value
  /// Where it came from.
  public var source: SettingSource
  /// Creates a setting.
  public init(_ value: Value, _ source: SettingSource) {
    self.value = value
    self.source = source
  }
}

extension Setting: Equatable where Value: Equatable {}
extension Setting: Hashable where Value: Hashable {}

/// What the command line said (every field optional: absent means "not given").
public struct CommandLineSettings: Sendable, Hashable {
  /// `--profile`.
  public var profile: String?
  /// `--user-pool-id`.
  public var userPoolID: String?
  /// `--client-id`.
  public var clientID: String?
  /// `--client-secret-file`.
  public var clientSecretFile: String?
  /// `--region`.
  public var region: String?
  /// `--endpoint-url`.
  public var endpointURL: String?
  /// `--keyfile`.
  public var keyfile: String?
  /// `--passphrase-file`.
  public var passphraseFile: String?
  /// `--no-store`.
  public var noStore = false
  /// `--read-only`.
  public var readOnly = false
  /// `--log-file`.
  public var logFile: String?
  /// Leave the config file out (`configure` checks settings that are not in it yet).
  public var ignoreConfigFile = false
  /// `--no-color`.
  public var noColor = false
  /// `--timeout`, in seconds.
  public var timeoutSeconds: Double?
  /// The sign-in flow (`configure` checks the one chosen, before it is in a profile).
  public var authFlow: SignInFlow?
  /// `--aws-profile`: the AWS profile the support mode takes credentials from.
  public var awsProfile: String?
  /// `--allow-writes`: support-mode writes for this run, whatever `admin_read_only` says.
  public var allowWrites = false

  /// Creates an empty set of flags.
  public init() {}
}

/// Every setting a command needs, resolved with precedence flag → environment → profile →
/// default, each with its source.
public struct ResolvedSettings: Sendable {
  /// The profile in use.
  public var profile: Setting<String>
  /// The config file consulted (it may not exist).
  public var configPath: String
  /// The user-pool id, if known.
  public var userPoolID: Setting<String>?
  /// The app client id, if known.
  public var clientID: Setting<String>?
  /// The client secret, when the app client has one (from a file or `COGNITO_CLIENT_SECRET`).
  public var clientSecret: Setting<Sensitive>?
  /// The client-secret file, if one is configured.
  public var clientSecretFile: Setting<String>?
  /// The explicit endpoint URL (flag, environment or profile), if any.
  public var endpointURL: Setting<String>?
  /// The explicit region (flag, environment or profile), if any.
  public var region: Setting<String>?
  /// The keyfile path.
  public var keyfilePath: Setting<String>?
  /// `--passphrase-file`.
  public var passphraseFile: String?
  /// Keep tokens in memory only.
  public var noStore: Setting<Bool>
  /// Refuse every write.
  public var readOnly: Setting<Bool>
  /// No colour on screen.
  public var noColor: Setting<Bool>
  /// The sign-in flow.
  public var authFlow: Setting<SignInFlow>
  /// Whether the app client rotates refresh tokens (refresh with GetTokensFromRefreshToken).
  public var refreshTokenRotation: Setting<Bool>
  /// How long the unlock cache keeps the key, in seconds (0 = off).
  public var unlockCacheSeconds: Setting<Int>
  /// Where to log, if anywhere.
  public var logFile: Setting<String>?
  /// Seconds allowed for each request (`--timeout`, `COGNITO_ACCOUNT_TIMEOUT_SECONDS`, default 30).
  public var timeoutSeconds: Setting<Double>
  /// The AWS profile named explicitly for the support mode (`--aws-profile`, `aws_profile`);
  /// nil lets the credential chain use `AWS_PROFILE` or its other sources.
  public var awsProfile: Setting<String>?
  /// Whether support-mode writes are refused: true unless `admin_read_only = false` or
  /// `--allow-writes`; `--read-only` always makes it true.
  public var adminReadOnly: Setting<Bool>
  /// The support mode's audit log (`audit_log`, else under `$XDG_STATE_HOME`).
  public var auditLog: Setting<String>
  /// The issuer authenticator apps show for this account (`totp_issuer`); nil for the pool id.
  public var totpIssuer: Setting<String>?
  /// The issuer an authenticator app set up here shows: `totp_issuer`, else the pool id.
  public var authenticatorIssuer: String {
    totpIssuer?.value ?? userPoolID?.value ?? "Cognito"
  }
  /// The endpoint and region, resolved and validated (plain http only to loopback).
  public func endpoint() throws(AccountError) -> CognitoEndpoint {
    do {
      return try CognitoEndpoint.resolve(
        url: endpointURL?.value, region: region?.value, userPoolID: userPoolID?.value)
    } catch {
      throw .configuration(message: error.description)
    }
  }

  /// The app client, or a clear error naming what is missing.
  public func appClient() throws(AccountError) -> AppClient {
    guard let pool = userPoolID?.value else {
      throw .configuration(
        message:
          "no user pool id: run 'cognito-account configure', or pass --user-pool-id, set "
          + "COGNITO_ACCOUNT_USER_POOL_ID, or add user_pool_id to profile '\(profile.value)' in "
          + "\(configPath)")
    }
    guard let client = clientID?.value else {
      throw .configuration(
        message:
          "no app client id: run 'cognito-account configure', or pass --client-id, set "
          + "COGNITO_ACCOUNT_CLIENT_ID, or add client_id to profile '\(profile.value)' in "
          + "\(configPath)")
    }
    return AppClient(userPoolID: pool, clientID: client, clientSecret: clientSecret?.value)
  }
}

/// Resolves settings from flags, the environment and the config file.
public enum SettingsResolver {
  /// The unlock cache's allowed length, in minutes (a day at most).
  public static let unlockCacheMinutes = 0...1440
  /// The allowed request timeout, in seconds.
  public static let timeoutSeconds = 1.0...600.0
  static let timeoutRangeText = "a number of seconds from 1 to 600"

  /// The config file path: `COGNITO_ACCOUNT_CONFIG`, else
  /// `$XDG_CONFIG_HOME/cognito-account/config.toml`, else `~/.config/cognito-account/config.toml`.
  public static func configPath(environment: [String: String]) -> String {
    if let explicit = environment["COGNITO_ACCOUNT_CONFIG"], !explicit.isEmpty { return explicit }
    if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
      return xdg + "/cognito-account/config.toml"
    }
    return (environment["HOME"] ?? "") + "/.config/cognito-account/config.toml"
  }

  /// Resolves every setting; reads the config file and the client-secret file.
  public static func resolve(_ flags: CommandLineSettings, environment: [String: String])
    throws(AccountError) -> ResolvedSettings
  {
    let path = configPath(environment: environment)
    let config = flags.ignoreConfigFile ? ConfigFile() : try ConfigFile.load(path: path)
    func nonEmpty(_ value: String?) -> String? {
      guard let value, !value.isEmpty else { return nil }
      return value
    }

    let profile: Setting<String>
    if let value = nonEmpty(flags.profile) {
      profile = Setting(value, .flag)
    } else if let value = nonEmpty(environment["COGNITO_ACCOUNT_PROFILE"]) {
      profile = Setting(value, .environment)
    } else if let value = config.defaultProfile {
      profile = Setting(value, .configFile)
    } else {
      profile = Setting("default", .builtIn)
    }
    let entries: ConfigFile.Profile
    if let found = config.profile(named: profile.value) {
      entries = found
    } else if flags.ignoreConfigFile || profile.source == .builtIn
      || config.profiles.isEmpty && profile.value == "default"
    {
      entries = ConfigFile.Profile()
    } else {
      throw .configuration(
        message:
          "profile '\(profile.value)' is not defined in \(path): run 'cognito-account configure "
          + "--profile \(profile.value)'")
    }

    func string(_ flag: String?, _ variables: [String], _ key: String) -> Setting<String>? {
      if let value = nonEmpty(flag) { return Setting(value, .flag) }
      for variable in variables {
        if let value = nonEmpty(environment[variable]) { return Setting(value, .environment) }
      }
      if case .string(let value)? = entries[key], !value.isEmpty {
        return Setting(expandHome(value, environment: environment), .profile)
      }
      return nil
    }
    func bool(_ flag: Bool, _ variable: String?, _ key: String, default fallback: Bool)
      throws(AccountError) -> Setting<Bool>
    {
      if flag { return Setting(true, .flag) }
      if let variable, let raw = nonEmpty(environment[variable]) {
        guard let value = parseBool(raw) else {
          throw .configuration(message: "\(variable)=\(raw) is not true or false")
        }
        return Setting(value, .environment)
      }
      if let entry = entries[key] {
        guard case .bool(let value) = entry else {
          throw .configuration(
            message: "\(key) in profile '\(profile.value)' must be true or false")
        }
        return Setting(value, .profile)
      }
      return Setting(fallback, .builtIn)
    }

    let secretFile = string(flags.clientSecretFile, [], "client_secret_file")
    var secret: Setting<Sensitive>?
    if let secretFile {
      do {
        secret = Setting(try SecretFile.readFirstLine(secretFile.value), secretFile.source)
      } catch {
        throw .configuration(message: "client secret file: \(error.description)")
      }
    } else if let value = nonEmpty(environment["COGNITO_CLIENT_SECRET"]) {
      secret = Setting(Sensitive(value), .environment)
    }

    let flow: Setting<SignInFlow>
    if let chosen = flags.authFlow {
      flow = Setting(chosen, .flag)
    } else if case .string(let raw)? = entries["auth_flow"] {
      guard let parsed = SignInFlow(rawValue: raw.uppercased()) else {
        throw .configuration(
          message:
            "auth_flow '\(raw)' in profile '\(profile.value)': use USER_SRP_AUTH or USER_PASSWORD_AUTH"
        )
      }
      flow = Setting(parsed, .profile)
    } else {
      flow = Setting(.userSRPAuth, .builtIn)
    }

    var cacheSeconds = Setting(Int(UnlockCache.standardTimeout.components.seconds), .builtIn)
    if let raw = nonEmpty(environment["COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES"]) {
      guard let minutes = Int(raw), Self.unlockCacheMinutes.contains(minutes) else {
        throw .configuration(
          message:
            "COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES=\(raw) is not a whole number of minutes from "
            + "\(Self.unlockCacheMinutes.lowerBound) to \(Self.unlockCacheMinutes.upperBound)")
      }
      cacheSeconds = Setting(minutes * 60, .environment)
    } else if let entry = entries["unlock_cache_minutes"] {
      guard case .integer(let minutes) = entry, Self.unlockCacheMinutes.contains(minutes) else {
        throw .configuration(
          message:
            "unlock_cache_minutes in profile '\(profile.value)' must be a whole number from "
            + "\(Self.unlockCacheMinutes.lowerBound) to \(Self.unlockCacheMinutes.upperBound)")
      }
      cacheSeconds = Setting(minutes * 60, .profile)
    }

    let keyfile: Setting<String>?
    if let value = string(flags.keyfile, ["COGNITO_ACCOUNT_KEYFILE"], "keyfile") {
      keyfile = value
    } else if let path = KeyfileLocation.defaultPath(
      profile: profile.value, environment: environment)
    {
      keyfile = Setting(path, .builtIn)
    } else {
      keyfile = nil
    }

    let noColorFromEnvironment = nonEmpty(environment["NO_COLOR"]) != nil
    var timeout = Setting(30.0, .builtIn)
    if let value = flags.timeoutSeconds {
      guard Self.timeoutSeconds.contains(value) else {
        throw .configuration(message: "--timeout \(value) is not \(Self.timeoutRangeText)")
      }
      timeout = Setting(value, .flag)
    } else if let raw = nonEmpty(environment["COGNITO_ACCOUNT_TIMEOUT_SECONDS"]) {
      guard let value = Double(raw), Self.timeoutSeconds.contains(value) else {
        throw .configuration(
          message: "COGNITO_ACCOUNT_TIMEOUT_SECONDS=\(raw) is not \(Self.timeoutRangeText)")
      }
      timeout = Setting(value, .environment)
    }
    let adminReadOnly: Setting<Bool>
    if flags.readOnly {
      adminReadOnly = Setting(true, .flag)
    } else if flags.allowWrites {
      adminReadOnly = Setting(false, .flag)
    } else {
      adminReadOnly = try bool(false, nil, "admin_read_only", default: true)
    }
    let auditLog =
      string(nil, [], "audit_log")
      ?? Setting(
        AuditLog.defaultPath(environment: environment, home: environment["HOME"] ?? ""),
        .builtIn)
    return ResolvedSettings(
      profile: profile,
      configPath: path,
      userPoolID: string(flags.userPoolID, ["COGNITO_ACCOUNT_USER_POOL_ID"], "user_pool_id"),
      clientID: string(flags.clientID, ["COGNITO_ACCOUNT_CLIENT_ID"], "client_id"),
      clientSecret: secret,
      clientSecretFile: secretFile,
      endpointURL: string(
        flags.endpointURL, ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ENDPOINT_URL"],
        "endpoint_url"),
      region: string(flags.region, ["AWS_REGION", "AWS_DEFAULT_REGION"], "region"),
      keyfilePath: keyfile,
      passphraseFile: nonEmpty(flags.passphraseFile),
      noStore: try bool(flags.noStore, nil, "no_store", default: false),
      readOnly: try bool(flags.readOnly, "COGNITO_ACCOUNT_READ_ONLY", "read_only", default: false),
      noColor: flags.noColor
        ? Setting(true, .flag)
        : noColorFromEnvironment ? Setting(true, .environment) : Setting(false, .builtIn),
      authFlow: flow,
      refreshTokenRotation: try bool(false, nil, "refresh_token_rotation", default: false),
      unlockCacheSeconds: cacheSeconds,
      logFile: string(flags.logFile, [], "log_file"),
      timeoutSeconds: timeout,
      awsProfile: string(flags.awsProfile, [], "aws_profile"),
      adminReadOnly: adminReadOnly,
      auditLog: auditLog,
      totpIssuer: string(nil, [], "totp_issuer"))
  }

  static func parseBool(_ raw: String) -> Bool? {
    switch raw.lowercased() {
    case "1", "true", "yes", "on": true
    case "0", "false", "no", "off": false
    default: nil
    }
  }

  static func expandHome(_ path: String, environment: [String: String]) -> String {
    guard path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
    return home + path.dropFirst()
  }
}
