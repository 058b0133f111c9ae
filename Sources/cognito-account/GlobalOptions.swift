import AccountApp
import ArgumentParser

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
  @Option(help: "Profile in the config file (env COGNITO_ACCOUNT_PROFILE).")
  var profile: String?

  @Option(
    name: .customLong("user-pool-id"),
    help: "User pool id, e.g. eu-west-1_AbC123 (env COGNITO_ACCOUNT_USER_POOL_ID).")
  var userPoolID: String?

  @Option(name: .customLong("client-id"), help: "App client id (env COGNITO_ACCOUNT_CLIENT_ID).")
  var clientID: String?

  @Option(
    name: .customLong("client-secret-file"),
    help: "File whose first line is the app client's secret (or env COGNITO_CLIENT_SECRET).")
  var clientSecretFile: String?

  @Option(help: "AWS region (env AWS_REGION, AWS_DEFAULT_REGION; else from the user pool id).")
  var region: String?

  @Option(
    name: .customLong("endpoint-url"),
    help: "Cognito endpoint (env AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL).")
  var endpointURL: String?

  @Option(help: "Keyfile path (env COGNITO_ACCOUNT_KEYFILE).")
  var keyfile: String?

  @Option(
    name: .customLong("passphrase-file"),
    help: "File whose first line is the keyfile passphrase (or env COGNITO_ACCOUNT_PASSPHRASE).")
  var passphraseFile: String?

  @Flag(name: .customLong("no-store"), help: "Keep tokens in memory for this run only.")
  var noStore = false

  @Flag(name: .customLong("read-only"), help: "Refuse deletes and every other write.")
  var readOnly = false

  @Option(name: .customLong("log-file"), help: "Append a log of requests (never tokens) here.")
  var logFile: String?

  @Flag(name: .customLong("no-color"), help: "No colour on screen (also when NO_COLOR is set).")
  var noColor = false

  @Option(help: "Seconds to wait for each Cognito request, 1-600, retries apart (default 30).")
  var timeout: Double?

  #if DEBUG
    /// A cheap keyfile for the test suite (debug builds only: a release binary never writes one).
    @Option(
      name: .customLong("insecure-kdf-log-n"),
      help: .hidden)
    var insecureKDFLogN: UInt8?
  #else
    /// Release builds always use the standard key-derivation cost.
    var insecureKDFLogN: UInt8? { nil }
  #endif

  /// The values, as ``Context`` and every command's body take them.
  var values: GlobalValues { GlobalValues(flags: commandLine, insecureKDFLogN: insecureKDFLogN) }

  /// The flags as the settings resolver takes them.
  var commandLine: CommandLineSettings {
    var flags = CommandLineSettings()
    flags.profile = profile
    flags.userPoolID = userPoolID
    flags.clientID = clientID
    flags.clientSecretFile = clientSecretFile
    flags.region = region
    flags.endpointURL = endpointURL
    flags.keyfile = keyfile
    flags.passphraseFile = passphraseFile
    flags.noStore = noStore
    flags.readOnly = readOnly
    flags.logFile = logFile
    flags.noColor = noColor
    flags.timeoutSeconds = timeout
    return flags
  }
}

/// The global options' values apart from swift-argument-parser's property wrappers: what
/// ``Context`` and the commands' bodies take, whether the parser read the arguments or
/// ``QuickCommandLine`` did.
struct GlobalValues: Hashable, Sendable {
  /// The flags for the settings resolver.
  var flags = CommandLineSettings()
  /// `--insecure-kdf-log-n` (debug builds only; always `nil` in a release build).
  var insecureKDFLogN: UInt8?
}

/// Text several commands' help shares.
enum HelpText {
  /// The first paragraph of every command's help but `configure`'s: where to start.
  static let firstRun = """
    First time: 'cognito-account configure' sets up a profile for your user pool (or run \
    'cognito-account' on a terminal: the screen opens the same set-up form).


    """
}
