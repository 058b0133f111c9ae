import AccountApp
import AccountCore
import AccountView
import ArgumentParser
import CognitoClient
import FoundationEssentials
import Prompting

/// `cognito-account delete`.
struct DeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete",
    abstract: "Remove attributes from your account (after confirmation).",
    discussion: HelpText.firstRun + """
      Names are checked locally first (1-32 characters; custom attributes need their custom: \
      prefix); sub, identities and the *_verified flags are refused. On a terminal each \
      attribute is shown with its current value and you are asked y/N (default No), or, when \
      email or phone_number is among them, to type 'delete' (as the screen asks); without a \
      terminal nothing is removed unless --yes is given. One DeleteUserAttributes \
      call removes every named attribute that is present, then the account is read again and \
      each name is reported as removed, not removed (still present), or was not present. \
      --dry-run reads your attributes and shows what would be sent, and sends no delete.

      Example:
        cognito-account delete custom:team given_name --yes
      """)

  @OptionGroup var global: GlobalOptions

  @Argument(help: "Attribute names, exactly as 'attributes' lists them.")
  var names: [String]

  @Flag(help: "Confirm in advance (needed without a terminal).")
  var yes = false

  @Flag(name: .customLong("dry-run"), help: "Show what would be sent; send no delete.")
  var dryRun = false

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  func validate() throws {
    if names.isEmpty { throw ValidationError("name at least one attribute to remove") }
  }

  func run() async throws {
    try await runReporting("delete", global.values) { context throws(AccountError) -> Int32 in
      for name in names { try RemovalRules.check(name) }
      if context.settings.readOnly.value && !dryRun { throw .readOnly(action: "delete") }
      let plan = try await context.actions.planRemoval(of: names)

      if dryRun {
        if json {
          printOut(
            JSONText.object([
              ("dryRun", .bool(true)),
              ("wouldSend", .array(plan.present.map { .string($0.name) })),
              ("notPresent", .array(plan.absent.map { .string($0) })),
            ]).rendered())
        } else {
          if plan.present.isEmpty {
            printOut("Would send nothing: none of these attributes is present")
          } else {
            printOut("Would send DeleteUserAttributes for \(plan.present.count):")
            for attribute in plan.present { printOut("  " + Review.describe(attribute)) }
          }
          for name in plan.absent { printOut("Not present: \(TerminalText.escape(name))") }
        }
        return StatusLine.ExitCode.success
      }

      if !plan.present.isEmpty && !yes { try Review.confirmRemoval(plan) }
      return Review.report(try await context.actions.remove(plan), json: json)
    }
  }
}
