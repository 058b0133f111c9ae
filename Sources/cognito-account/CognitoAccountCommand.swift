import AccountApp
import AccountCore
import ArgumentParser
import Foundation
import TerminalUI

/// The `cognito-account` command.
@main
struct CognitoAccountCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: AppInfo.name,
    abstract: "Manage your own Amazon Cognito user-pool account from the terminal.",
    discussion: """
      With no subcommand on a terminal, opens the interactive screen. Scripts use the \
      subcommands below.

      Exit codes:
        0   success
        1   unexpected failure (network, unreadable response)
        2   not signed in, or the session ended: run 'cognito-account login'
        3   refused locally (validation, protected attribute, read-only, no confirmation,
            keyfile permissions or passphrase, configuration)
        4   Cognito returned an error
        5   some attributes were not removed
        64  usage error

      Settings come from flags, then the environment, then the profile in \
      $XDG_CONFIG_HOME/cognito-account/config.toml, then defaults (see 'status').
      """,
    version: AppInfo.version,
    subcommands: [
      LoginCommand.self, LogoutCommand.self, StatusCommand.self, AttributesCommand.self,
      DeleteCommand.self,
    ])

  func run() async throws {
    let refusal = TerminalCheck.refusal(
      stdinIsTTY: isatty(0) == 1, stdoutIsTTY: isatty(1) == 1,
      term: ProcessInfo.processInfo.environment["TERM"])
    if refusal != nil {
      printError(
        "cognito-account: no interactive terminal; use a subcommand (login, status, "
          + "attributes, delete, logout; see --help)")
      throw ExitCode(StatusLine.ExitCode.refused)
    }
    printError(
      "cognito-account: the interactive screen is not in this build yet; use the subcommands "
        + "(see --help)")
    throw ExitCode(StatusLine.ExitCode.unexpected)
  }
}
