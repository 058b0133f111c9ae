import AccountCore
import CognitoClient
import Foundation
import Keyfile

/// Where sign-in answers come from: the terminal (prompts, no echo for secrets), or standard
/// input lines with `--password-stdin` (the password first, then one line per challenge answer).
final class Prompter: @unchecked Sendable {
  private let useStandardInput: Bool
  private let lock = NSLock()

  init(useStandardInput: Bool) { self.useStandardInput = useStandardInput }

  /// The next line of standard input, or an error naming what was expected.
  private func nextLine(for purpose: String) throws(AccountError) -> String {
    lock.lock()
    defer { lock.unlock() }
    guard let line = readLine(strippingNewline: true) else {
      throw .invalidInput(message: "standard input ended before the \(purpose)")
    }
    return line.hasSuffix("\r") ? String(line.dropLast()) : line
  }

  func username() throws(AccountError) -> String {
    do {
      let name = try TerminalReader.readLine(prompt: "Username: ")
      guard !name.isEmpty else { throw AccountError.invalidInput(message: "no username given") }
      return name
    } catch let error as AccountError {
      throw error
    } catch {
      throw .invalidInput(
        message: "no terminal to ask for the username on: pass --username (and --password-stdin)")
    }
  }

  func password() throws(AccountError) -> Sensitive {
    if useStandardInput {
      let line = try nextLine(for: "password")
      guard !line.isEmpty else { throw .invalidInput(message: "the password line is empty") }
      return Sensitive(line)
    }
    return try secret("Password: ")
  }

  private func secret(_ prompt: String) throws(AccountError) -> Sensitive {
    do {
      return try TerminalReader.readSecret(prompt: prompt)
    } catch {
      throw .invalidInput(
        message: "cannot ask on the terminal (\(error.description)); use --password-stdin")
    }
  }

  private func line(_ prompt: String) throws(AccountError) -> String {
    do {
      return try TerminalReader.readLine(prompt: prompt)
    } catch {
      throw .invalidInput(message: "cannot ask on the terminal; use --password-stdin")
    }
  }

  /// Answers one challenge.
  func answer(_ challenge: PendingChallenge) throws(AccountError) -> ChallengeAnswer {
    switch challenge.kind {
    case .newPasswordRequired:
      if useStandardInput { return .newPassword(Sensitive(try nextLine(for: "new password"))) }
      TerminalReader.show("Your account needs a new password.\n")
      let first = try secret("New password: ")
      let second = try secret("Repeat the new password: ")
      guard !first.isEmpty else { throw .invalidInput(message: "the new password is empty") }
      guard first == second else { throw .invalidInput(message: "the two new passwords differ") }
      return .newPassword(first)
    case .softwareTokenMFA, .smsMFA, .emailOTP:
      let prompt: String
      let destination = challenge.codeDestination.map { " to " + TerminalText.escape($0) } ?? ""
      switch challenge.kind {
      case .smsMFA: prompt = "Code sent by SMS\(destination): "
      case .emailOTP: prompt = "Code sent by email\(destination): "
      default: prompt = "Code from your authenticator app: "
      }
      let code = useStandardInput ? try nextLine(for: "\(challenge.name) code") : try line(prompt)
      let trimmed = code.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else { throw .invalidInput(message: "no code given") }
      return .code(Sensitive(trimmed))
    case .selectMFAType(let options):
      let names = [
        "SOFTWARE_TOKEN_MFA": "authenticator app", "SMS_MFA": "SMS", "EMAIL_OTP": "email",
      ]
      if useStandardInput {
        return .mfaType(try nextLine(for: "MFA method choice").trimmingCharacters(in: .whitespaces))
      }
      var menu = "Choose how to receive your code:\n"
      for (index, option) in options.enumerated() {
        menu += "  \(index + 1). \(names[option] ?? TerminalText.escape(option))\n"
      }
      TerminalReader.show(menu)
      let choice = try line("Choice: ").trimmingCharacters(in: .whitespaces)
      if let number = Int(choice), number >= 1, number <= options.count {
        return .mfaType(options[number - 1])
      }
      return .mfaType(choice)
    case .unsupported:
      throw .unsupportedChallenge(name: challenge.name)
    }
  }
}
