import AccountApp
import AccountCore
import ArgumentParser
import CognitoClient
import FoundationEssentials
import Glibc
import Prompting

/// `cognito-account configure`.
struct ConfigureCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "configure",
    abstract: "Set up a profile for a user pool: the first thing to run.",
    discussion: """
      Asks for the user pool id (the region comes from it, and can be changed), the app \
      client id, whether the client has a secret (then the file that holds it, which must be \
      mode 0600), the sign-in flow (SRP by default) and whether the profile is read-only. \
      Then it asks Cognito whether the pool and the client exist, with a sign-in for a user \
      that cannot exist (no account needed), and writes the profile into the config file \
      (created 0600 in a 0700 directory; other profiles and comments are kept; an existing \
      profile is replaced only after asking, or with --yes).

      Without a terminal, or to script it, give the ids as options:
        cognito-account configure --user-pool-id eu-west-1_AbC123 --client-id 1example23456789
      """)

  @OptionGroup var global: GlobalOptions

  @Option(
    name: .customLong("auth-flow"),
    help: "USER_SRP_AUTH (default) or USER_PASSWORD_AUTH.")
  var authFlow: String?

  @Flag(help: "Replace an existing profile of the same name without asking.")
  var yes = false

  @Flag(name: .customLong("no-check"), help: "Write the profile without asking Cognito first.")
  var noCheck = false

  func validate() throws {
    if let profile = global.profile, !ProfileWriter.isValidName(profile) {
      throw ValidationError("a profile name has letters, digits, '-' and '_' only")
    }
    if let authFlow, SignInFlow(rawValue: authFlow) == nil {
      throw ValidationError("--auth-flow is USER_SRP_AUTH or USER_PASSWORD_AUTH")
    }
  }

  func run() async throws {
    let environment = ProcessEnvironment.current
    do {
      try await configure(environment)
    } catch {
      printError(TerminalText.escape(StatusLine(error: error).rendered))
      throw ExitCode(StatusLine(error: error).exitCode)
    }
  }

  private func configure(_ environment: [String: String]) async throws(AccountError) {
    let path = SettingsResolver.configPath(environment: environment)
    let name = global.profile ?? environment["COGNITO_ACCOUNT_PROFILE"] ?? "default"
    guard ProfileWriter.isValidName(name) else {
      throw .configuration(message: "'\(name)' cannot name a profile: letters, digits, - and _")
    }
    let asking = global.userPoolID == nil || global.clientID == nil
    if asking && !TerminalPrompt.hasControllingTerminal {
      throw .invalidInput(
        message: "no terminal to ask on: pass --user-pool-id and --client-id (and --yes)")
    }
    if asking {
      TerminalPrompt.show("Setting up profile '\(name)' in \(path)\n")
    }

    var draft = ProfileDraft()
    draft.userPoolID = global.userPoolID ?? ""
    if draft.userPoolID.isEmpty {
      draft.userPoolID = try ask("User pool id (like eu-west-1_AbC123): ")
    }
    guard let derived = SetupRules.region(ofUserPool: draft.userPoolID) else {
      throw .invalidInput(
        message:
          "'\(TerminalText.escape(draft.userPoolID))' is not a user pool id (region_id, like "
          + "eu-west-1_AbC123)")
    }
    draft.region = global.region ?? derived
    if asking && global.region == nil {
      let typed = try ask("Region [\(derived)]: ", allowEmpty: true)
      if !typed.isEmpty { draft.region = typed }
    }
    draft.clientID = global.clientID ?? ""
    if draft.clientID.isEmpty { draft.clientID = try ask("App client id: ") }
    guard SetupRules.isClientID(draft.clientID) else {
      throw .invalidInput(message: "an app client id has letters and digits only")
    }
    draft.clientSecretFile = global.clientSecretFile ?? ""
    if asking && global.clientSecretFile == nil {
      if try yesNo("Does the app client have a secret? [y/N] ") {
        draft.clientSecretFile = try ask("File holding the client secret (mode 0600): ")
      }
    }
    draft.passwordFlow = authFlow == SignInFlow.userPasswordAuth.rawValue
    if asking && authFlow == nil {
      let typed = try ask(
        "Sign-in flow: 1. SRP, the password never leaves this machine (default); "
          + "2. password [1]: ", allowEmpty: true)
      draft.passwordFlow =
        typed == "2" || typed.uppercased() == SignInFlow.userPasswordAuth.rawValue
    }
    draft.readOnly = global.readOnly
    if asking && !draft.readOnly { draft.readOnly = try yesNo("Read-only profile? [y/N] ") }

    let proof: String?
    do {
      proof = try await ProfileSetup.save(
        draft, name: name, path: path, options: global.values, environment: environment,
        check: !noCheck
      ) { () throws(AccountError) -> Bool in
        if yes { return true }
        guard asking else { return false }
        return try yesNo("Profile '\(name)' exists in \(path); replace it? [y/N] ")
      }
    } catch {
      throw error.error
    }
    if let proof {
      printOut("Checked: the user pool and the app client exist (Cognito answered \(proof)).")
    }
    printOut("Wrote profile '\(name)' to \(path). Next: cognito-account login")
  }

  private func ask(_ prompt: String, allowEmpty: Bool = false) throws(AccountError) -> String {
    let answer: String
    do {
      answer = try TerminalPrompt.readLine(prompt: prompt).trimmedWhitespace()
    } catch {
      throw .invalidInput(message: "no answer: \(error)")
    }
    if answer.isEmpty && !allowEmpty { throw .invalidInput(message: "no answer given") }
    return answer
  }

  private func yesNo(_ prompt: String) throws(AccountError) -> Bool {
    Review.isYes(try ask(prompt, allowEmpty: true))
  }
}

/// What `configure` does once it has its answers, shared with the screen's set-up form: check
/// the secret file, ask Cognito whether the pool and the client exist, decide about an existing
/// profile of the same name, write.
enum ProfileSetup {
  /// Checks and writes `draft` as profile `name` in `path`; returns Cognito's answer that proves
  /// the pool and the client exist (`nil` without `check`). `mayReplace` decides when the
  /// profile exists already. Every failure names the form's line at fault, when one is;
  /// `interactive` when a screen waits for the check (``Context/init(_:deferNewPassphrase:ignoringConfigFile:authFlow:interactive:)``).
  static func save(
    _ draft: ProfileDraft, name: String, path: String, options: GlobalValues,
    environment: [String: String], check: Bool, interactive: Bool = false,
    mayReplace: () throws(AccountError) -> Bool
  ) async throws(ProfileSetupError) -> String? {
    if let problem = SetupRules.problem(draft) {
      throw ProfileSetupError(.invalidInput(message: problem.message), field: problem.field)
    }
    if !draft.clientSecretFile.isEmpty {
      do {
        try checkSecretFile(draft.clientSecretFile, environment: environment)
      } catch {
        throw ProfileSetupError(error, field: .clientSecretFile)
      }
    }
    var proof: String?
    if check {
      var flags = options
      flags.flags.userPoolID = draft.userPoolID
      flags.flags.clientID = draft.clientID
      flags.flags.region = draft.effectiveRegion
      flags.flags.clientSecretFile =
        draft.clientSecretFile.isEmpty ? nil : draft.clientSecretFile
      flags.flags.noStore = true
      flags.flags.profile = nil
      do {
        let context = try Context(
          flags, ignoringConfigFile: true,
          authFlow: draft.passwordFlow ? .userPasswordAuth : .userSRPAuth, interactive: interactive)
        proof = try await context.actions.checkAppClient()
      } catch {
        throw ProfileSetupError(error, field: field(for: error))
      }
    }
    let writer = ProfileWriter(name: name, draft: draft, endpointURL: options.flags.endpointURL)
    do throws(AccountError) {
      if try writer.exists(in: path), !(try mayReplace()) {
        throw AccountError.invalidInput(
          message:
            "profile '\(name)' already exists in \(path); nothing written (--yes replaces it)")
      }
      try writer.write(to: path)
    } catch {
      throw ProfileSetupError(error, field: nil)
    }
    return proof
  }

  /// The line a failed check points back to.
  private static func field(for error: AccountError) -> SetupField? {
    switch error {
    case .configuration(let message) where message.contains("sign-in flow"): .signInFlow
    case .configuration(let message) where message.contains("client secret"): .clientSecretFile
    case .configuration(let message) where message.contains("has no app client"): .clientID
    case .configuration: .userPoolID
    default: nil
    }
  }

  /// Refuses a secret file that is missing or readable by others.
  static func checkSecretFile(_ path: String, environment: [String: String]) throws(AccountError) {
    let expanded =
      path.hasPrefix("~/") ? (environment["HOME"] ?? "") + String(path.dropFirst()) : path
    var info = stat()
    guard stat(expanded, &info) == 0 else {
      throw .invalidInput(message: "the client secret file \(path) does not exist")
    }
    if info.st_mode & 0o077 != 0 {
      throw .invalidInput(
        message: "the client secret file \(path) is readable by others; run: chmod 600 \(path)")
    }
  }
}
