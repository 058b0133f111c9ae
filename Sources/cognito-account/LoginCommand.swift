import AccountApp
import AccountCore
import ArgumentParser
import FoundationEssentials
import Keyfile

/// `cognito-account login`.
struct LoginCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "login",
    abstract: "Sign in and store the session in the encrypted keyfile.",
    discussion: HelpText.firstRun + """
      Prompts for the username and password (no echo) on the terminal. With --password-stdin, \
      standard input gives the password on its first line and then one line for each further \
      answer a challenge asks (a new password, an MFA code, an MFA method), so scripts can \
      sign in.

      Where the pool tracks devices, this device is registered at sign-in (its key and a \
      random password kept only in the keyfile), so that later sign-ins prove it and may skip \
      MFA; where the pool leaves remembering it to you, you are asked (--remember-device \
      answers yes). If your account must set up MFA first, an authenticator app is enrolled \
      on the way (a QR code, then its first code): that needs a terminal.

      Example:
        printf '%s\\n' "$PASSWORD" | cognito-account login --username alice --password-stdin
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "The username (or an alias such as the email address, if the pool allows it).")
  var username: String?

  @Flag(
    name: .customLong("password-stdin"),
    help: "Read the password and challenge answers from standard input.")
  var passwordStdin = false

  @Flag(
    name: .customLong("remember-device"),
    help: "Where the pool asks whether to remember this device: yes, without asking.")
  var rememberDevice = false

  func run() async throws {
    try await runReporting("login", global.values) { context throws(AccountError) -> Int32 in
      let prompter = Prompter(
        useStandardInput: passwordStdin, totpIssuer: context.settings.authenticatorIssuer)
      let name: String
      if let username, !username.isEmpty {
        name = username
      } else if passwordStdin {
        throw .invalidInput(message: "--password-stdin needs --username")
      } else {
        name = try prompter.username()
      }
      let password = try prompter.password()
      let signedIn = try await context.actions.signIn(
        username: name, password: password,
        responder: { challenge throws(AccountError) in try prompter.answer(challenge) },
        readingKeyfile: true,
        rememberDevice: { [rememberDevice] in rememberDevice || prompter.rememberDevice() })
      let storage =
        context.actions.keyfilePath.map { "session stored in \($0)" }
        ?? "session kept in memory only (--no-store): nothing was saved"
      printOut("Signed in as \(TerminalText.escape(signedIn)); \(storage)")
      if let note = await context.actions.deviceNote { printOut(note) }
      return StatusLine.ExitCode.success
    }
  }
}
