import AccountApp
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
      Sign-in, the attribute list and removal arrive with the command-line and screen issues; \
      this build carries the Cognito service layer they rest on.
      """,
    version: AppInfo.version)

  func run() async throws {
    let refusal = TerminalCheck.refusal(
      stdinIsTTY: isatty(0) == 1, stdoutIsTTY: isatty(1) == 1,
      term: getenv("TERM").map { String(cString: $0) })
    if refusal != nil {
      printError("cognito-account: no interactive terminal; see 'cognito-account --help'")
      throw ExitCode(3)
    }
    printError("cognito-account: the interactive screen is not available in this build yet")
    throw ExitCode(1)
  }
}

/// Writes one line to standard error.
func printError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
