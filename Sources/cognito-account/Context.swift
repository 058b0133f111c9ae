import AccountApp
import AccountCore
import ArgumentParser
import CognitoClient
import FoundationEssentials
import Glibc
import HTTPStack
import Keyfile

/// Everything a command needs, wired from the resolved settings.
struct Context {
  let settings: ResolvedSettings
  /// Every action, on the session these settings describe.
  let actions: AccountActions
  let log: EventLog?
  /// The HTTPS proxy from the environment, if one is set.
  let proxy: HTTPProxy?
  /// `AWS_CA_BUNDLE`, when it replaces the system trust store.
  let caBundle: String?
  /// Where the screen puts the passphrase it asks for after signing in, when no keyfile exists
  /// yet and nothing supplies one (see `deferNewPassphrase`).
  let deferredPassphrase: DeferredPassphrase?
  /// What the screen's passphrase step says (path, unlock minutes), with `deferredPassphrase`.
  let storePrompt: StorePrompt?
  /// Whether reading the stored session asks for the keyfile's passphrase on the terminal.
  let wouldPromptForPassphrase: Bool

  /// Resolves settings and builds the client, keyfile and session layer.
  /// - Parameter deferNewPassphrase: when no keyfile exists yet and the passphrase would be
  ///   asked on the terminal, leave the asking to the screen, after it has signed in.
  /// - Parameter ignoringConfigFile: leave the config file out (for `configure`'s check).
  /// - Parameter authFlow: the sign-in flow to use whatever the profile says (`configure`).
  /// - Parameter interactive: a screen runs, which must stay responsive while a request is out;
  ///   a command line's requests block its one thread instead (see `network`).
  init(
    _ options: GlobalValues, deferNewPassphrase: Bool = false,
    ignoringConfigFile: Bool = false, authFlow: SignInFlow? = nil, interactive: Bool = false
  ) throws(AccountError) {
    let environment = ProcessEnvironment.current
    var flags = options.flags
    flags.ignoreConfigFile = ignoringConfigFile
    flags.authFlow = authFlow
    let settings = try SettingsResolver.resolve(flags, environment: environment)
    var log: EventLog?
    if let path = settings.logFile?.value {
      do {
        log = try EventLog(path: path)
      } catch {
        throw .configuration(message: "cannot open the log file \(path): \(error)")
      }
    }
    let endpoint = try settings.endpoint()
    let network = try Self.network(settings, environment: environment, interactive: interactive)
    proxy = network.proxy
    caBundle = network.caBundle
    let transport = network.transport
    let client = CognitoClient(
      endpoint: endpoint.url, transport: transport, userAgent: AppInfo.userAgent,
      observer: log?.observer)
    var keyfile: Keyfile?
    var deferredPassphrase: DeferredPassphrase?
    var storePrompt: StorePrompt?
    var wouldPromptForPassphrase = false
    if !settings.noStore.value {
      guard let path = settings.keyfilePath?.value else {
        throw .configuration(
          message: "no keyfile path: set HOME or XDG_STATE_HOME, or pass --keyfile")
      }
      var source = PassphraseSource.resolve(
        passphraseFile: settings.passphraseFile, environment: environment)
      let prompting = PassphraseSource.wouldPrompt(
        passphraseFile: settings.passphraseFile, environment: environment)
      let exists = FileBytes.exists(path)
      wouldPromptForPassphrase = prompting && exists
      if deferNewPassphrase && !exists && prompting {
        let deferred = DeferredPassphrase()
        source = deferred.source
        deferredPassphrase = deferred
        storePrompt = StorePrompt(
          path: path, unlockMinutes: settings.unlockCacheSeconds.value / 60)
      }
      keyfile = Keyfile(
        path: path,
        passphrase: source,
        parameters: options.insecureKDFLogN.map { ScryptParameters.insecureForTestsOnly(logN: $0) }
          ?? .standard,
        cache: UnlockCache(timeout: .seconds(settings.unlockCacheSeconds.value)))
    }
    self.settings = settings
    self.log = log
    self.deferredPassphrase = deferredPassphrase
    self.storePrompt = storePrompt
    self.wouldPromptForPassphrase = wouldPromptForPassphrase
    self.actions = AccountActions(
      session: try SessionManager(settings: settings, client: client, keyfile: keyfile))
  }
}

/// The stored session, without refreshing or sending anything, or why there is none.
func storedSession(_ actions: AccountActions) async -> Result<StoredSession, AccountError> {
  do {
    return .success(try await actions.storedSession())
  } catch {
    return .failure(error)
  }
}

extension Context {
  /// The HTTP transport the settings describe: their timeout, and the proxy and CA bundle the
  /// environment names. Without `interactive` each exchange runs on the thread that sends
  /// (``SocketTransport/Options/exchangesOnCallingThread``): a command line does one thing at a
  /// time, and its commands start faster without a thread per request.
  static func network(
    _ settings: ResolvedSettings, environment: [String: String], interactive: Bool
  ) throws(AccountError) -> (transport: SocketTransport, proxy: HTTPProxy?, caBundle: String?) {
    let total = Duration.milliseconds(Int(settings.timeoutSeconds.value * 1000))
    let proxy: HTTPProxy?
    do {
      proxy = try HTTPProxy.fromEnvironment(environment)
    } catch {
      throw .configuration(message: error.message)
    }
    let caBundle = environment["AWS_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
    var options = SocketTransport.Options(
      connectTimeout: min(total, .seconds(10)), totalTimeout: total,
      maxResponseBytes: SocketTransport.Options.standard.maxResponseBytes,
      proxy: proxy, caBundlePath: caBundle)
    options.exchangesOnCallingThread = !interactive
    return (SocketTransport(options: options), proxy, caBundle)
  }
}

/// Runs a command: builds its ``Context``, runs `body` with it, turns every ``AccountError``
/// into its status line on standard error and the documented exit code, and writes the
/// outcome (`command=… exit=…`) to the log file when one is set.
func runReporting(
  _ command: String, _ options: GlobalValues, deferNewPassphrase: Bool = false,
  interactive: Bool = false, _ body: (Context) async throws(AccountError) -> Int32
) async throws {
  var log: EventLog?
  let code: Int32
  do {
    let context = try Context(
      options, deferNewPassphrase: deferNewPassphrase, interactive: interactive)
    log = context.log
    code = try await body(context)
  } catch {
    let line = StatusLine(error: error)
    printError(TerminalText.escape(line.rendered))
    log?.record("command=\(command) exit=\(line.exitCode)")
    throw ExitCode(line.exitCode)
  }
  log?.record("command=\(command) exit=\(code)")
  if code != 0 { throw ExitCode(code) }
}

/// Writes one line to standard error, through the terminal guard
/// (``TerminalText/guarded(_:keepingNewlines:)``): no control or bidi character from any source
/// reaches the terminal raw.
func printError(_ line: String) {
  writeAll(2, TerminalText.guarded(line, keepingNewlines: true) + "\n")
}

/// Writes one line (or a multi-line document such as JSON) to standard output, through the
/// terminal guard.
func printOut(_ line: String) {
  writeAll(1, TerminalText.guarded(line, keepingNewlines: true) + "\n")
}

/// Writes `line` with terminal controls the program itself made (colours, the alternate
/// screen), unguarded: never pass text from a server, a file or the user here.
func printOut(_ line: String, guarded: Bool) {
  if guarded {
    printOut(line)
  } else {
    writeAll(1, line + "\n")
  }
}

/// Writes all of `text` to `descriptor`, retrying short writes and EINTR; stops quietly when
/// the reader has gone (a closed pipe), as a command-line tool's output does.
private func writeAll(_ descriptor: Int32, _ text: String) {
  var bytes = Array(text.utf8)[...]
  while !bytes.isEmpty {
    let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    if written > 0 {
      bytes = bytes.dropFirst(written)
    } else if written < 0 && errno == EINTR {
      continue
    } else {
      return
    }
  }
}

/// Whether standard input and output are both terminals.
var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }
