import AccountApp
import AccountCore
import ArgumentParser

/// `cognito-account logout`.
struct LogoutCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logout",
    abstract: "Revoke the refresh token and remove the keyfile.",
    discussion: HelpText.firstRun + """
      With --everywhere, first signs out every session of this user on every device \
      (GlobalSignOut). When Cognito cannot be reached the local keyfile is still removed, with \
      a warning.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Sign out on every device first (GlobalSignOut).")
  var everywhere = false

  func run() async throws {
    try await runReporting("logout", global.values) { context throws(AccountError) -> Int32 in
      if context.settings.readOnly.value && everywhere {
        throw .readOnly(action: "logout --everywhere")
      }
      let report = try await context.actions.signOut(everywhere: everywhere)
      for warning in report.warnings { printError("Warning: " + TerminalText.escape(warning)) }
      if !report.wasSignedIn {
        printOut("Not signed in; nothing to do")
      } else {
        printOut(
          everywhere ? "Signed out everywhere; keyfile removed" : "Signed out; keyfile removed")
      }
      return StatusLine.ExitCode.success
    }
  }
}
