import AccountCore
import CognitoClient
import FoundationEssentials
import Prompting
import Synchronization

/// Where sign-in answers come from: the terminal (prompts, no echo for secrets), or standard
/// input lines with `--password-stdin` (the password first, then one line per challenge answer).
final class Prompter: @unchecked Sendable {
  private let useStandardInput: Bool
  private let lock = Mutex(())
  /// The issuer an authenticator app shows for a secret set up at sign-in (`MFA_SETUP`).
  private let totpIssuer: String
  /// How the `MFA_SETUP` QR code is drawn (`--qr`); nil picks from TERM and the locale.
  private let qr: String?

  init(useStandardInput: Bool, totpIssuer: String = "Cognito", qr: String? = nil) {
    self.useStandardInput = useStandardInput
    self.totpIssuer = totpIssuer
    self.qr = qr
  }

  /// Asks whether to remember this device (where the pool leaves it to the user); no without a
  /// terminal or with --password-stdin (`login --remember-device` says yes in advance).
  func rememberDevice() -> Bool {
    guard !useStandardInput else { return false }
    let answer = try? TerminalPrompt.readLine(
      prompt: "Remember this device, so that signing in from it can skip MFA? [y/N] ")
    return Review.isYes(answer ?? "")
  }

  /// The next line of standard input, or an error naming what was expected.
  private func nextLine(for purpose: String) throws(AccountError) -> String {
    try lock.withLock { _ throws(AccountError) -> String in
      guard let line = readLine(strippingNewline: true) else {
        throw .invalidInput(message: "standard input ended before the \(purpose)")
      }
      return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }
  }

  func username() throws(AccountError) -> String {
    let name: String
    do {
      name = try TerminalPrompt.readLine(prompt: "Username: ")
    } catch .noTerminal {
      throw .invalidInput(
        message: "no terminal to ask for the username on: pass --username (and --password-stdin)")
    } catch {
      throw .invalidInput(message: "no username given: \(error)")
    }
    guard !name.isEmpty else { throw .invalidInput(message: "no username given") }
    return name
  }

  func password() throws(AccountError) -> Sensitive {
    if useStandardInput {
      let line = try nextLine(for: "password")
      guard !line.isEmpty else { throw .invalidInput(message: "the password line is empty") }
      return Sensitive(line)
    }
    return try secret("Password: ", what: "password")
  }

  private func secret(_ prompt: String, what: String) throws(AccountError) -> Sensitive {
    do {
      return try TerminalPrompt.readSecret(prompt: prompt)
    } catch {
      throw Self.unanswered(what, error)
    }
  }

  private func line(_ prompt: String, what: String) throws(AccountError) -> String {
    do {
      return try TerminalPrompt.readLine(prompt: prompt)
    } catch {
      throw Self.unanswered(what, error)
    }
  }

  /// Why `what` was not answered, with the way round a missing terminal.
  private static func unanswered(_ what: String, _ error: PromptError) -> AccountError {
    switch error {
    case .noTerminal:
      .invalidInput(message: "no terminal to ask for the \(what) on; use --password-stdin")
    default: .invalidInput(message: "no \(what) given: \(error)")
    }
  }

  /// Answers one challenge.
  func answer(_ challenge: PendingChallenge) throws(AccountError) -> ChallengeAnswer {
    switch challenge.kind {
    case .newPasswordRequired:
      if useStandardInput { return .newPassword(Sensitive(try nextLine(for: "new password"))) }
      TerminalPrompt.show("Your account needs a new password.\n")
      let first: Sensitive
      do {
        first = try TerminalPrompt.readNewSecret(
          prompt: "New password: ", repeatPrompt: "Repeat the new password: ")
      } catch .empty {
        throw .invalidInput(message: "the new password is empty")
      } catch .mismatch {
        throw .invalidInput(message: "the two new passwords differed three times")
      } catch {
        throw Self.unanswered("new password", error)
      }
      return .newPassword(first)
    case .softwareTokenMFA, .smsMFA, .emailOTP:
      let prompt: String
      let destination = challenge.codeDestination.map { " to " + TerminalText.escape($0) } ?? ""
      switch challenge.kind {
      case .smsMFA: prompt = "Code sent by SMS\(destination): "
      case .emailOTP: prompt = "Code sent by email\(destination): "
      default: prompt = "Code from your authenticator app: "
      }
      let code =
        useStandardInput
        ? try nextLine(for: "\(challenge.name) code") : try line(prompt, what: "code")
      let trimmed = code.trimmedWhitespace()
      guard !trimmed.isEmpty else { throw .invalidInput(message: "no code given") }
      return .code(Sensitive(trimmed))
    case .selectMFAType(let options):
      let typed: String
      if useStandardInput {
        typed = try nextLine(for: "MFA method choice")
      } else {
        var menu = "Choose how to receive your code:\n"
        for (index, option) in options.enumerated() {
          menu += "  \(index + 1). \(MFAMethods.label(option))\n"
        }
        TerminalPrompt.show(menu)
        typed = try line("Choice: ", what: "MFA method")
      }
      guard let method = MFAMethods.choice(typed, from: options) else {
        throw .invalidInput(
          message: "no such MFA method: give 1–\(options.count) or one of "
            + options.map(MFAMethods.label).joined(separator: ", "))
      }
      return .mfaType(method)
    case .softwareTokenSetup(let secret):
      // The QR code and the secret go to standard output: only when it is the terminal.
      guard !useStandardInput, isInteractive else {
        throw .invalidInput(
          message:
            "your account must set up an authenticator app first (MFA_SETUP), which shows a "
            + "QR code: run 'cognito-account login' on a terminal, its output not redirected")
      }
      let (code, deviceName) = try TOTPDialog(qr: qr).run(
        issuer: totpIssuer, account: challenge.username, secret: secret,
        notice: challenge.previousAnswerRefused
          ? "That code was refused: type the app's current code again."
          : "Your account needs MFA: set up an authenticator app.")
      return .totpSetup(code: code, deviceName: deviceName)
    case .unsupported, .mfaSetup:
      throw .unsupportedChallenge(name: challenge.name)
    }
  }
}
