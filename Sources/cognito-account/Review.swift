import AccountCore
import AccountView
import Prompting

/// The review before a write, on the terminal, shared by the self-service and the support-mode
/// commands: what will change, what follows from it, then y/N (default No) or a typed word.
enum Review {
  /// Shows `lines`, then asks; throws unless the answer accepts. Without a terminal nothing is
  /// asked and the write is refused (`--yes` confirms in advance).
  /// Whether a typed answer to a y/N question is yes (`y` or `yes`, either case).
  static func isYes(_ answer: String) -> Bool {
    ["y", "yes"].contains(answer.trimmedWhitespace().lowercased())
  }

  static func confirm(
    _ lines: [String], typedWord: String?, prompt: String, action: String, nothing: String
  ) throws(AccountError) {
    guard isInteractive else { throw .confirmationUnavailable(action: action) }
    for line in lines { printOut(line) }
    let answer: String
    do {
      answer = try TerminalPrompt.readLine(prompt: prompt).trimmedWhitespace()
    } catch {
      throw .confirmationUnavailable(action: action)
    }
    let accepted = typedWord.map { answer == $0 } ?? isYes(answer)
    guard accepted else { throw .notConfirmed(nothing: nothing) }
  }

  /// The removal review (as the screen shows it), after `header` lines.
  static func confirmRemoval(_ plan: RemovalPlan, header: [String] = []) throws(AccountError) {
    let word = RemovalRules.confirmationWord
    try confirm(
      header + ["These attributes will be removed. This cannot be undone on the server:"]
        + plan.present.map { "  " + describe($0) }
        + plan.present.compactMap { RemovalRules.consequence(of: $0.name) },
      typedWord: plan.needsTypedConfirmation ? word : nil,
      prompt: plan.needsTypedConfirmation
        ? "Type \(word) to remove \(plan.present.count): "
        : "Remove \(plan.present.count)? [y/N] ",
      action: "remove attributes", nothing: "removed")
  }

  /// The edit review (as the screen shows it), after `header` lines.
  static func confirmEdit(_ plan: EditPlan, header: [String] = [], notes: [String] = [])
    throws(AccountError)
  {
    let word = EditRules.confirmationWord
    try confirm(
      header + ["These changes will be sent:"] + plan.edits.map { "  " + describe($0) }
        + plan.edits.compactMap(EditRules.consequence) + notes,
      typedWord: plan.needsTypedConfirmation ? word : nil,
      prompt: plan.needsTypedConfirmation
        ? "Type \(word) to send \(plan.edits.count): " : "Change \(plan.edits.count)? [y/N] ",
      action: "change attributes", nothing: "changed")
  }

  /// `name = value`, escaped and cut to fit.
  static func describe(_ attribute: Attribute) -> String {
    TerminalText.escape(attribute.name) + " = "
      + DisplayWidth.truncate(TerminalText.escape(attribute.value), to: 60)
  }

  /// `name: old -> new`, or `name (new) = value`.
  static func describe(_ edit: AttributeEdit) -> String {
    let new = DisplayWidth.truncate(TerminalText.escape(edit.new), to: 40)
    guard let old = edit.old else { return TerminalText.escape(edit.name) + " (new) = " + new }
    return TerminalText.escape(edit.name) + ": "
      + DisplayWidth.truncate(TerminalText.escape(old), to: 30) + " -> " + new
  }

  /// What a removal did, name by name (or as JSON, after `leading` members), with a warning when
  /// some attribute is still there; the exit code.
  static func report(_ report: RemovalReport, json: Bool, leading: [(String, JSONText)] = [])
    -> Int32
  {
    if json {
      printOut(
        JSONText.object(
          leading + [
            ("removed", .array(report.removed.map { .string($0.name) })),
            ("notRemoved", .array(report.notRemoved.map { .string($0.name) })),
            ("notPresent", .array(report.notPresent.map { .string($0) })),
          ]
        ).rendered())
    } else {
      for attribute in report.removed {
        printOut("removed: \(TerminalText.escape(attribute.name))")
      }
      for attribute in report.notRemoved {
        printOut("not removed (still present): \(TerminalText.escape(attribute.name))")
      }
      for name in report.notPresent { printOut("was not present: \(TerminalText.escape(name))") }
    }
    guard report.isComplete else {
      printError("Warning: \(report.notRemoved.count) attribute(s) were not removed")
      return StatusLine.ExitCode.partial
    }
    return StatusLine.ExitCode.success
  }
}
