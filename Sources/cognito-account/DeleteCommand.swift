import AccountApp
import AccountCore
import AccountView
import ArgumentParser
import CognitoClient
import Foundation
import Keyfile

/// `cognito-account delete`.
struct DeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete",
    abstract: "Remove attributes from your account (after confirmation).",
    discussion: """
      Names are checked locally first (1-32 characters; custom attributes need their custom: \
      prefix); sub, identities, email_verified and phone_number_verified are refused. On a \
      terminal each attribute is shown with its current value and you are asked y/N (default \
      No); without a terminal nothing is removed unless --yes is given. One DeleteUserAttributes \
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
    try await runReporting("delete") { () throws(AccountError) -> Int32 in
      let context = try Context(global)
      var unique: [String] = []
      for name in names where !unique.contains(name) {
        if let problem = AttributeRules.problem(with: name) {
          throw .invalidAttributeName(
            name: name, reason: AttributeRules.message(for: problem, name: name))
        }
        if let reason = AttributeRules.protectedNames[name] {
          throw .protectedAttribute(name: name, reason: reason)
        }
        unique.append(name)
      }
      if context.settings.readOnly.value && !dryRun { throw .readOnly(action: "delete") }

      let client = context.session.client
      let before = try await context.session.withAccessToken { token throws(CognitoError) in
        try await client.getUser(accessToken: token)
      }
      var values: [String: String] = [:]
      for attribute in before.userAttributes { values[attribute.name] = attribute.value ?? "" }
      let present = unique.filter { values[$0] != nil }
      let absent = unique.filter { values[$0] == nil }

      if dryRun {
        if json {
          printOut(
            JSONText.object([
              ("dryRun", .bool(true)),
              ("wouldSend", .array(present.map { .string($0) })),
              ("notPresent", .array(absent.map { .string($0) })),
            ]).rendered())
        } else {
          if present.isEmpty {
            printOut("Would send nothing: none of these attributes is present")
          } else {
            printOut("Would send DeleteUserAttributes for \(present.count):")
            for name in present { printOut("  " + describe(name, values[name])) }
          }
          for name in absent { printOut("Not present: \(TerminalText.escape(name))") }
        }
        return StatusLine.ExitCode.success
      }

      if !present.isEmpty && !yes {
        guard isInteractive else { throw .confirmationUnavailable }
        printOut("These attributes will be removed. This cannot be undone on the server:")
        for name in present { printOut("  " + describe(name, values[name])) }
        let answer: String
        do {
          answer = try TerminalReader.readLine(prompt: "Remove \(present.count)? [y/N] ")
        } catch {
          throw .confirmationUnavailable
        }
        guard ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
        else { throw .notConfirmed }
      }

      var remaining: Set<String> = []
      if !present.isEmpty {
        try await context.session.withAccessToken { token throws(CognitoError) in
          try await client.deleteUserAttributes(names: present, accessToken: token)
        }
        let after = try await context.session.withAccessToken { token throws(CognitoError) in
          try await client.getUser(accessToken: token)
        }
        remaining = Set(after.userAttributes.map(\.name))
      }
      let removed = present.filter { !remaining.contains($0) }
      let notRemoved = present.filter { remaining.contains($0) }
      if json {
        printOut(
          JSONText.object([
            ("removed", .array(removed.map { .string($0) })),
            ("notRemoved", .array(notRemoved.map { .string($0) })),
            ("notPresent", .array(absent.map { .string($0) })),
          ]).rendered())
      } else {
        for name in removed { printOut("removed: \(TerminalText.escape(name))") }
        for name in notRemoved {
          printOut("not removed (still present): \(TerminalText.escape(name))")
        }
        for name in absent { printOut("was not present: \(TerminalText.escape(name))") }
      }
      if !notRemoved.isEmpty {
        printError("Warning: \(notRemoved.count) attribute(s) were not removed")
        return StatusLine.ExitCode.partial
      }
      return StatusLine.ExitCode.success
    }
  }

  private func describe(_ name: String, _ value: String?) -> String {
    TerminalText.escape(name) + " = "
      + DisplayWidth.truncate(TerminalText.escape(value ?? ""), to: 60)
  }
}
