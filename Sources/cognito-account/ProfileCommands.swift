import AccountApp
import AccountCore
import AccountView
import ArgumentParser
import FoundationEssentials
import Prompting

/// `cognito-account set`.
struct SetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set",
    abstract: "Change or add attributes of your account (after confirmation).",
    discussion: HelpText.firstRun + """
      Each NAME=VALUE is checked locally first (names as for 'delete'; sub, identities and the \
      *_verified flags are Cognito's; values at most 2,048 characters, no control characters). \
      Your attributes are read, and each change is shown as old -> new; a name whose value is \
      already the one given is reported unchanged and not sent. On a terminal you are asked \
      y/N (default No), or, when email or phone_number changes, to type 'change' (as the \
      screen asks); without a terminal nothing is sent unless --yes is given. One \
      UpdateUserAttributes call sends every change, then the account is read again and each \
      name is reported as changed, waiting for verification, unchanged or failed.

      A new email or phone_number gets a code from Cognito. Depending on the user pool, the \
      new value applies at once and is unverified until the code is entered, or the old value \
      stays until then. Enter the code with 'cognito-account verify NAME'.

      Examples:
        cognito-account set given_name=Zoë custom:team=Platform
        cognito-account set email=zoe@example.org
      """)

  @OptionGroup var global: GlobalOptions

  @Argument(help: "NAME=VALUE pairs; the value may be empty and may contain '='.")
  var assignments: [String]

  @Flag(help: "Confirm in advance (needed without a terminal).")
  var yes = false

  @Flag(name: .customLong("dry-run"), help: "Show what would be sent; send no change.")
  var dryRun = false

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  /// The pairs, split at the first '='.
  private var changes: [(name: String, value: String)] {
    assignments.map { assignment in
      let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
  }

  func validate() throws {
    if assignments.isEmpty { throw ValidationError("give at least one NAME=VALUE") }
    for assignment in assignments where !assignment.contains("=") {
      throw ValidationError(
        "'\(TerminalText.escape(assignment))' is not NAME=VALUE (to remove an attribute, use "
          + "'delete')")
    }
  }

  func run() async throws {
    try await runReporting("set", global.values) { context throws(AccountError) -> Int32 in
      for (name, value) in changes {
        try EditRules.check(name: name)
        try EditRules.check(value: value, for: name)
      }
      if context.settings.readOnly.value && !dryRun { throw .readOnly(action: "set") }
      let plan = try await context.actions.planEdit(changes)

      if dryRun {
        if json {
          printOut(
            JSONText.object([
              ("dryRun", .bool(true)),
              ("wouldSend", .array(plan.edits.map { .string($0.name) })),
              ("unchanged", .array(plan.unchanged.map { .string($0) })),
            ]).rendered())
        } else {
          if plan.edits.isEmpty {
            printOut("Would send nothing: every value is already the one given")
          } else {
            printOut("Would send UpdateUserAttributes for \(plan.edits.count):")
            for edit in plan.edits { printOut("  " + Review.describe(edit)) }
          }
          for name in plan.unchanged { printOut("Unchanged: \(TerminalText.escape(name))") }
        }
        return StatusLine.ExitCode.success
      }

      if !plan.edits.isEmpty && !yes { try Review.confirmEdit(plan) }
      let report = try await context.actions.applyEdit(plan)
      if json {
        printOut(Self.json(report).rendered())
      } else {
        for entry in report.outcomes {
          printOut(Self.label(entry.outcome) + ": " + TerminalText.escape(entry.name))
        }
        for note in report.verificationNotes { printOut(TerminalText.escape(note)) }
        for delivery in report.deliveries {
          printOut(
            "Enter it with: cognito-account verify \(TerminalText.escape(delivery.attribute))")
        }
      }
      if !report.failed.isEmpty {
        printError("Warning: \(report.failed.count) attribute(s) did not change")
        return StatusLine.ExitCode.partial
      }
      return StatusLine.ExitCode.success
    }
  }

  static func label(_ outcome: EditReport.Outcome) -> String {
    switch outcome {
    case .changed: "changed"
    case .awaitingVerification: "waiting for verification"
    case .unchanged: "unchanged"
    case .failed: "failed (did not change)"
    }
  }

  static func json(_ report: EditReport) -> JSONText {
    let key: (EditReport.Outcome) -> String = {
      switch $0 {
      case .changed: "changed"
      case .awaitingVerification: "awaitingVerification"
      case .unchanged: "unchanged"
      case .failed: "failed"
      }
    }
    return JSONText.object([
      (
        "attributes",
        .array(
          report.outcomes.map {
            .object([("name", .string($0.name)), ("outcome", .string(key($0.outcome)))])
          })
      ),
      (
        "codeDeliveries",
        .array(
          report.deliveries.map {
            .object([
              ("attribute", .string($0.attribute)), ("medium", .string($0.medium)),
              ("destination", .string($0.destination)),
            ])
          })
      ),
    ])
  }
}

/// `cognito-account verify`.
struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Verify your email or phone number with the code Cognito sent.",
    discussion: HelpText.firstRun + """
      Without --code, asks for the code on the terminal. --resend asks Cognito to send a new \
      code first (Cognito limits how many it sends). After a success the account is read \
      again. A wrong, expired or used code exits 4 with what to do next.

      Examples:
        cognito-account verify email
        cognito-account verify phone_number --resend
        cognito-account verify email --code 123456
      """)

  @OptionGroup var global: GlobalOptions

  @Argument(help: "email or phone_number.")
  var name: String

  @Option(help: "The code (otherwise asked for on the terminal).")
  var code: String?

  @Flag(help: "Send a new code first.")
  var resend = false

  func validate() throws {
    if resend && code != nil {
      throw ValidationError("--resend sends a new code, so a --code given with it cannot match")
    }
  }

  func run() async throws {
    try await runReporting("verify", global.values) { context throws(AccountError) -> Int32 in
      if EditRules.verifiedBy[name] == nil {
        throw .invalidInput(
          message: "only email and phone_number are verified with a code, not '\(name)'")
      }
      if context.settings.readOnly.value { throw .readOnly(action: "verify") }
      if resend {
        let delivery = try await context.actions.sendVerificationCode(for: name)
        printOut("A new code went to \(TerminalText.escape(delivery.destination))")
        if code == nil && !TerminalPrompt.hasControllingTerminal {
          // A script asked for a code only: that is done; the code comes in a later run.
          printOut("Enter it with: cognito-account verify \(name) --code CODE")
          return StatusLine.ExitCode.success
        }
      }
      let given: Sensitive
      if let code {
        given = Sensitive(code)
      } else {
        do throws(PromptError) {
          given = Sensitive(try TerminalPrompt.readLine(prompt: "Code for \(name): "))
        } catch .noTerminal {
          throw .invalidInput(message: "no terminal to ask for the code on; pass --code")
        } catch {
          throw .invalidInput(message: "no code given: \(error)")
        }
        if given.reveal.allSatisfy(\.isWhitespace) {
          throw .invalidInput(message: "no code given (--resend sends a new one)")
        }
      }
      let after = try await context.actions.verify(name, code: given)
      let flag = EditRules.verifiedBy[name] ?? ""
      let value = after.first { $0.name == name }?.value ?? ""
      printOut("\(name) verified: \(TerminalText.escape(value))")
      if after.first(where: { $0.name == flag })?.value != "true" {
        printError("Warning: Cognito accepted the code, but \(flag) does not read true yet")
      }
      return StatusLine.ExitCode.success
    }
  }
}

/// `cognito-account passwd`.
struct PasswdCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passwd",
    abstract: "Change your password.",
    discussion: HelpText.firstRun + """
      Asks for the current password, then the new one twice (no echo); when the two entries \
      differ it asks again, three times at most. With --password-stdin, standard input gives \
      the current password on the first line and the new one on the second. A wrong current \
      password, or a new one the pool's policy refuses, exits 4 and changes nothing. Other \
      devices stay signed in: 'cognito-account logout --everywhere' signs them out.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(
    name: .customLong("password-stdin"),
    help: "Read the current and the new password from standard input, one per line.")
  var passwordStdin = false

  func run() async throws {
    try await runReporting("passwd", global.values) { context throws(AccountError) -> Int32 in
      if context.settings.readOnly.value { throw .readOnly(action: "passwd") }
      _ = try await context.actions.storedSession()
      let (current, new) = try passwordStdin ? Self.fromStandardInput() : Self.fromTerminal()
      try await context.actions.changePassword(current: current, new: new)
      printOut(
        "Password changed. Other devices stay signed in until their sessions end; "
          + "'cognito-account logout --everywhere' signs them out now.")
      return StatusLine.ExitCode.success
    }
  }

  private static func fromStandardInput() throws(AccountError) -> (Sensitive, Sensitive) {
    guard let current = readLine(strippingNewline: true), !current.isEmpty else {
      throw .invalidInput(message: "standard input has no current password on its first line")
    }
    guard let new = readLine(strippingNewline: true), !new.isEmpty else {
      throw .invalidInput(message: "standard input has no new password on its second line")
    }
    return (Sensitive(current), Sensitive(new))
  }

  private static func fromTerminal() throws(AccountError) -> (Sensitive, Sensitive) {
    let current: Sensitive
    do {
      current = try TerminalPrompt.readSecret(prompt: "Current password: ")
    } catch .noTerminal {
      throw .invalidInput(message: "no terminal to ask for the password on; use --password-stdin")
    } catch {
      throw .invalidInput(message: "no current password given: \(error)")
    }
    guard !current.reveal.isEmpty else {
      throw .invalidInput(message: "no current password given")
    }
    do {
      return (
        current,
        try TerminalPrompt.readNewSecret(
          prompt: "New password: ", repeatPrompt: "Repeat the new password: ")
      )
    } catch .mismatch {
      throw .invalidInput(message: "the two new passwords differed three times; nothing changed")
    } catch .empty {
      throw .invalidInput(message: "the new password is empty")
    } catch {
      throw .invalidInput(message: "no new password given: \(error)")
    }
  }
}
