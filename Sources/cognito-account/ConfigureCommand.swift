import AccountApp
import AccountCore
import ArgumentParser
import CognitoClient
import Foundation
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
    let environment = ProcessInfo.processInfo.environment
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

    var pool = global.userPoolID ?? ""
    if pool.isEmpty { pool = try ask("User pool id (like eu-west-1_AbC123): ") }
    guard let derived = Self.region(of: pool) else {
      throw .invalidInput(
        message: "'\(TerminalText.escape(pool))' is not a user pool id (region_id, like "
          + "eu-west-1_AbC123)")
    }
    var region = global.region ?? derived
    if asking && global.region == nil {
      let typed = try ask("Region [\(derived)]: ", allowEmpty: true)
      if !typed.isEmpty { region = typed }
    }
    var client = global.clientID ?? ""
    if client.isEmpty { client = try ask("App client id: ") }
    guard client.allSatisfy({ $0.isLetter || $0.isNumber }), client.count <= 128 else {
      throw .invalidInput(message: "an app client id has letters and digits only")
    }
    var secretFile = global.clientSecretFile
    if asking && secretFile == nil {
      if try yesNo("Does the app client have a secret? [y/N] ") {
        secretFile = try ask("File holding the client secret (mode 0600): ")
      }
    }
    if let secretFile { try Self.checkSecretFile(secretFile, environment: environment) }
    var flow = authFlow.flatMap(SignInFlow.init(rawValue:)) ?? .userSRPAuth
    if asking && authFlow == nil {
      let typed = try ask(
        "Sign-in flow: 1. SRP, the password never leaves this machine (default); "
          + "2. password [1]: ", allowEmpty: true)
      if typed == "2" || typed.uppercased() == SignInFlow.userPasswordAuth.rawValue {
        flow = .userPasswordAuth
      }
    }
    var readOnly = global.readOnly
    if asking && !readOnly { readOnly = try yesNo("Read-only profile? [y/N] ") }

    var settings: [(key: String, value: ProfileWriter.ProfileValue)] = [
      ("user_pool_id", .string(pool)), ("client_id", .string(client)),
    ]
    if region != derived { settings.append(("region", .string(region))) }
    if let secretFile { settings.append(("client_secret_file", .string(secretFile))) }
    if flow != .userSRPAuth { settings.append(("auth_flow", .string(flow.rawValue))) }
    if let endpoint = global.endpointURL { settings.append(("endpoint_url", .string(endpoint))) }
    if readOnly { settings.append(("read_only", .bool(true))) }
    let writer = ProfileWriter(name: name, settings: settings)

    if !noCheck {
      var options = global
      options.userPoolID = pool
      options.clientID = client
      options.region = region
      options.clientSecretFile = secretFile
      options.noStore = true
      options.profile = nil
      let context = try Context(options, ignoringConfigFile: true)
      let proof = try await context.actions.checkAppClient()
      printOut("Checked: the user pool and the app client exist (Cognito answered \(proof)).")
    }
    if try writer.exists(in: path) {
      var replace = yes
      if !replace && asking {
        replace = try yesNo("Profile '\(name)' exists in \(path); replace it? [y/N] ")
      }
      guard replace else {
        throw .invalidInput(
          message:
            "profile '\(name)' already exists in \(path); nothing written (--yes replaces it)"
        )
      }
    }
    try writer.write(to: path)
    printOut("Wrote profile '\(name)' to \(path). Next: cognito-account login")
  }

  private func ask(_ prompt: String, allowEmpty: Bool = false) throws(AccountError) -> String {
    let answer: String
    do {
      answer = try TerminalPrompt.readLine(prompt: prompt).trimmingCharacters(in: .whitespaces)
    } catch {
      throw .invalidInput(message: "no answer: \(error)")
    }
    if answer.isEmpty && !allowEmpty { throw .invalidInput(message: "no answer given") }
    return answer
  }

  private func yesNo(_ prompt: String) throws(AccountError) -> Bool {
    ["y", "yes"].contains(try ask(prompt, allowEmpty: true).lowercased())
  }

  /// The region a user pool id starts with (`eu-west-1_AbC123` → `eu-west-1`).
  static func region(of pool: String) -> String? {
    let parts = pool.split(separator: "_", maxSplits: 1)
    guard parts.count == 2, !parts[1].isEmpty,
      parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
      parts[0].split(separator: "-").count >= 3,
      parts[0].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
    else { return nil }
    return String(parts[0])
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
