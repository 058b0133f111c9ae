import AccountApp
import AccountCore
import ArgumentParser
import CTerminalSupport
import CognitoClient
import FoundationEssentials
import Glibc
import Keyfile
import TerminalUI

/// The `cognito-account` command.
struct CognitoAccountCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: AppInfo.name,
    abstract:
      "Manage your own Amazon Cognito user-pool account from the terminal (and, with 'admin', "
      + "other users' accounts, for support staff).",
    discussion: HelpText.firstRun + """
      With no subcommand on a terminal, opens the interactive screen. Scripts use the \
      subcommands below.

      Exit codes:
        0   success
        1   unexpected failure (network, unreadable response)
        2   not signed in, or the session ended: run 'cognito-account login'
            (admin: no usable AWS credentials)
        3   refused locally (validation, protected attribute, read-only,
            no reason, no confirmation, keyfile permissions or passphrase,
            configuration)
        4   Cognito or IAM returned an error (a wrong code or password,
            AccessDenied included)
        5   some attributes were not removed or changed
        64  usage error

      Settings come from flags, then the environment, then the profile in \
      $XDG_CONFIG_HOME/cognito-account/config.toml, then defaults (see 'status').

      Network: HTTPS goes through https_proxy (or HTTPS_PROXY, all_proxy) unless the \
      host is in no_proxy; certificates are checked against the system trust store, or \
      AWS_CA_BUNDLE.
      """,
    version: versionText,
    subcommands: [
      ConfigureCommand.self, LoginCommand.self, LogoutCommand.self, StatusCommand.self,
      AttributesCommand.self,
      DeleteCommand.self, SetCommand.self, VerifyCommand.self, PasswdCommand.self,
      MFACommand.self, DevicesCommand.self, PasskeysCommand.self, CloseAccountCommand.self,
      AdminCommand.self,
    ])

  @OptionGroup var global: GlobalOptions

  /// `--version`: the version, and the commit a packaged binary was built from.
  static var versionText: String {
    let commit = String(cString: ts_build_commit())
    return AppInfo.version + (commit.isEmpty ? "" : " (commit \(commit))")
  }

  func run() async throws {
    let environment = ProcessEnvironment.current
    if TerminalCheck.refusal(
      stdinIsTTY: isatty(0) == 1, stdoutIsTTY: isatty(1) == 1, term: environment["TERM"]) != nil
    {
      let error: Terminal.OpenError =
        isatty(0) == 1 && isatty(1) == 1 ? .dumbTerminal : .notATerminal
      printError("cognito-account: " + error.description)
      throw ExitCode(StatusLine.ExitCode.refused)
    }
    // Nothing names a pool and a client yet: the set-up form first, on the same terminal.
    var setupTerminal: Terminal?
    var setupNote: String?
    if let (form, monochrome) = setupForm(environment) {
      let terminal: Terminal
      do {
        terminal = try Terminal.open(monochrome: monochrome)
      } catch {
        printError("cognito-account: \(error)")
        throw ExitCode(StatusLine.ExitCode.refused)
      }
      let options = global.values
      let runtime = try ScreenRuntime(setUpOn: terminal, form: form) {
        draft throws(ProfileSetupError) in
        _ = try await ProfileSetup.save(
          draft, name: form.profileName, path: form.configPath, options: options,
          environment: environment, check: true, interactive: true, mayReplace: { true })
        return "Profile '\(form.profileName)' saved: Cognito knows the pool and the client"
      }
      let code = runtime.run()
      guard runtime.profileSaved else {
        printError(
          "Nothing was written. 'cognito-account configure' sets up a profile on the command line.")
        throw ExitCode(code)
      }
      setupTerminal = terminal
      setupNote = runtime.statusText
    }
    var exitCode: Int32 = 0
    try await runReporting("screen", global.values, deferNewPassphrase: true, interactive: true) {
      context throws(AccountError) -> Int32 in
      if let terminal = setupTerminal, context.wouldPromptForPassphrase {
        // The existing keyfile's passphrase is asked on the plain terminal, as at any start.
        terminal.close()
        setupTerminal = nil
      }
      var signedIn = false
      var username: String?
      var notice = setupNote.map { StatusMessage(.info, $0 + ". Sign in") }
      switch await storedSession(context.actions) {
      case .success(let session):
        signedIn = true
        username = session.username
      case .failure(.notSignedIn):
        signedIn = false
      case .failure(.sessionMismatch(let message)):
        // A session made elsewhere (or an outdated keyfile): sign in here instead.
        signedIn = false
        notice = StatusMessage(.error, message)
      case .failure(let error):
        setupTerminal?.close()
        throw error
      }
      let settings = context.settings
      let header = HeaderInfo(
        username: username,
        context: settings.profile.source == .builtIn
          ? (settings.userPoolID?.value ?? "") : "profile " + settings.profile.value,
        region: try settings.endpoint().region,
        readOnly: settings.readOnly.value)
      let terminal: Terminal
      do {
        terminal = try setupTerminal ?? Terminal.open(monochrome: settings.noColor.value)
      } catch {
        throw .configuration(message: "cognito-account: " + "\(error)")
      }
      do {
        let runtime = try ScreenRuntime(
          actions: context.actions, terminal: terminal, header: header, signedIn: signedIn,
          notice: notice, storeAfterSignIn: context.storePrompt,
          passphrase: context.deferredPassphrase,
          totpIssuer: settings.authenticatorIssuer)
        exitCode = runtime.run()
        if let farewell = runtime.farewell { printOut(farewell) }
      } catch {
        terminal.close()
        throw .unexpectedResponse(message: "the screen could not start: \(error)")
      }
      return exitCode
    }
  }

  /// The set-up form to open, with whether to draw without colour, when the settings name no
  /// user pool or no app client; `nil` when they do (or cannot be read: the error then comes
  /// from the usual path).
  private func setupForm(_ environment: [String: String]) -> (SetupForm, Bool)? {
    guard
      let settings = try? SettingsResolver.resolve(global.commandLine, environment: environment),
      settings.userPoolID == nil || settings.clientID == nil
    else { return nil }
    var draft = ProfileDraft()
    draft.userPoolID = settings.userPoolID?.value ?? ""
    draft.region = settings.region?.value ?? ""
    draft.clientID = settings.clientID?.value ?? ""
    draft.clientSecretFile = settings.clientSecretFile?.value ?? ""
    draft.passwordFlow = settings.authFlow.value == .userPasswordAuth
    draft.readOnly = settings.readOnly.value
    let name = settings.profile.value
    let replacing =
      (try? ProfileWriter(name: name, settings: []).exists(in: settings.configPath)) ?? false
    return (
      SetupForm(
        profileName: name, configPath: settings.configPath, replacing: replacing, draft: draft),
      settings.noColor.value
    )
  }
}
