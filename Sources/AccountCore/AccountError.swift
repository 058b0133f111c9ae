/// The closed set of failures the user can meet, as the core sees them.
///
/// The session layer translates client, keyfile and configuration errors into these at the
/// boundary, keeping Cognito's raw exception name for the message. ``StatusLine/init(error:)``
/// turns each into one line of text and an exit code; the CLI and the screen share it.
public enum AccountError: Error, Sendable, Hashable {
  /// No stored session.
  case notSignedIn
  /// The session can no longer be refreshed (revoked, expired, signed out elsewhere).
  case sessionEnded(code: String)
  /// The stored session belongs elsewhere (another endpoint, pool, client or user) or cannot
  /// tell where it belongs; no token of it was sent. The message says what to do.
  case sessionMismatch(message: String)
  /// An attribute name fails the local rules.
  case invalidAttributeName(name: String, reason: String)
  /// A protected attribute (sub, identities, *_verified) was asked for.
  case protectedAttribute(name: String, reason: String)
  /// A change of an attribute only Cognito writes (sub, identities, *_verified) was asked for.
  case notWritable(name: String, reason: String)
  /// A write was asked for in read-only mode.
  case readOnly(action: String)
  /// The user answered No (or nothing) at a confirmation; `nothing` says what was not done
  /// ("removed", "changed").
  case notConfirmed(nothing: String)
  /// A write needs a terminal to confirm on, or `--yes`; `action` names it ("remove
  /// attributes").
  case confirmationUnavailable(action: String)
  /// The keyfile refused (permissions, owner, symlink) or could not be unlocked.
  case keyfile(message: String)
  /// The keyfile is locked by another process for too long.
  case keyfileBusy(path: String)
  /// Settings are missing or invalid.
  case configuration(message: String)
  /// Cognito asks for a sign-in step this tool cannot complete.
  case unsupportedChallenge(name: String)
  /// A sign-in answer was refused locally (empty, or the two entries differ).
  case invalidInput(message: String)
  /// Cognito answered with an error.
  case service(ServiceProblem)
  /// Cognito could not be reached, or the connection failed.
  case network(message: String)
  /// Cognito (or something in between) answered with something unreadable.
  case unexpectedResponse(message: String)
  /// No usable AWS credentials for the support mode (the credential chain's reason).
  case credentials(message: String)
  /// A support-mode write while `admin_read_only` is in force.
  case adminReadOnly(action: String)
}

/// A Cognito exception, classified for its next step, with the raw name kept.
public struct ServiceProblem: Sendable, Hashable {
  /// What kind of problem it is, for the next step.
  public enum Kind: Sendable, Hashable {
    /// NotAuthorizedException (wrong password, disabled user, missing scope, …).
    case notAuthorized
    /// UserNotConfirmedException.
    case userNotConfirmed
    /// PasswordResetRequiredException.
    case passwordResetRequired
    /// UserNotFoundException.
    case userNotFound
    /// ForbiddenException: the pool's AWS WAF blocked the request.
    case forbidden
    /// TooManyRequestsException or HTTP 429, after retries.
    case rateLimited
    /// InternalErrorException or a 5xx, after retries.
    case serverFault
    /// ResourceNotFoundException: wrong pool, client or region.
    case resourceNotFound
    /// InvalidParameterException.
    case invalidParameter
    /// InvalidPasswordException / PasswordHistoryPolicyViolationException.
    case invalidPassword
    /// CodeMismatchException.
    case codeMismatch
    /// ExpiredCodeException.
    case expiredCode
    /// CodeMismatchException for an attribute's verification code.
    case verificationCodeMismatch
    /// ExpiredCodeException for an attribute's verification code.
    case verificationCodeExpired
    /// NotAuthorizedException from ChangePassword while the session is good: the current
    /// password is wrong.
    case wrongCurrentPassword
    /// PasswordHistoryPolicyViolationException.
    case passwordReused
    /// LimitExceededException / TooManyFailedAttemptsException.
    case limitExceeded
    /// AliasExistsException.
    case aliasExists
    /// CodeDeliveryFailureException.
    case codeDeliveryFailure
    /// UserLambdaValidationException, InvalidLambdaResponseException, UnexpectedLambdaException.
    case lambdaRejected
    /// UnauthorizedException (RevokeToken with the wrong client).
    case unauthorized
    /// IAM refused the call: the message names the action (`cognito-idp:AdminGetUser`).
    case accessDenied
    /// The AWS credentials (a session token) have expired.
    case expiredCredentials
    /// AWS does not know the access key, or the signature does not match its secret.
    case invalidCredentials
    /// Anything else.
    case other
  }

  /// The classification.
  public var kind: Kind
  /// The exception name as Cognito sent it.
  public var code: String
  /// The server's message, already redacted of secrets.
  public var message: String

  /// Creates a problem value.
  public init(kind: Kind, code: String, message: String) {
    self.kind = kind
    self.code = code
    self.message = message
  }
}

/// One line for the status bar or standard error, with its severity and the CLI's exit code.
public struct StatusLine: Sendable, Hashable {
  /// How serious the line is; shown as a text prefix, not by colour alone.
  public enum Severity: Sendable, Hashable {
    /// Informational.
    case info
    /// Something worked, but not entirely.
    case warning
    /// Something failed.
    case error

    /// The text prefix that conveys the severity without colour.
    public var prefix: String {
      switch self {
      case .info: ""
      case .warning: "Warning: "
      case .error: "Error: "
      }
    }
  }

  /// The severity.
  public var severity: Severity
  /// The text, without the prefix.
  public var text: String
  /// The process exit code for this outcome.
  public var exitCode: Int32

  /// Exit codes, documented in `--help` and the README.
  public enum ExitCode {
    /// Success.
    public static let success: Int32 = 0
    /// Unexpected failure (network, unreadable response).
    public static let unexpected: Int32 = 1
    /// Not signed in, or the session ended.
    public static let notSignedIn: Int32 = 2
    /// Refused locally (validation, protected attribute, read-only, no confirmation, keyfile).
    public static let refused: Int32 = 3
    /// Cognito returned an error.
    public static let serviceError: Int32 = 4
    /// Some attributes were not removed.
    public static let partial: Int32 = 5
    /// Usage error.
    public static let usage: Int32 = 64
  }

  /// Creates a line.
  public init(severity: Severity, text: String, exitCode: Int32) {
    self.severity = severity
    self.text = text
    self.exitCode = exitCode
  }

  /// The line as shown: prefix and text.
  public var rendered: String { severity.prefix + text }

  /// The single mapping from every failure to what the user reads.
  public init(error: AccountError) {
    switch error {
    case .notSignedIn:
      self.init(ExitCode.notSignedIn, "Not signed in: run 'cognito-account login'")
    case .sessionEnded(let code):
      self.init(
        ExitCode.notSignedIn,
        "Session ended (\(code)): run 'cognito-account login' to sign in again")
    case .sessionMismatch(let message):
      self.init(ExitCode.notSignedIn, message)
    case .invalidAttributeName(_, let reason):
      self.init(ExitCode.refused, reason)
    case .protectedAttribute(let name, let reason):
      self.init(ExitCode.refused, "Refusing to remove \(name): \(reason)")
    case .notWritable(let name, let reason):
      self.init(ExitCode.refused, "Refusing to change \(name): \(reason)")
    case .readOnly(let action):
      self.init(
        ExitCode.refused, "Read-only mode: \(action) is disabled (drop --read-only to allow it)")
    case .notConfirmed(let nothing):
      self.init(ExitCode.refused, "Nothing \(nothing): not confirmed")
    case .confirmationUnavailable(let action):
      self.init(
        ExitCode.refused,
        "Refusing to \(action) without confirmation: no terminal to ask on; "
          + "pass --yes to confirm in advance")
    case .keyfile(let message):
      self.init(ExitCode.refused, message)
    case .keyfileBusy(let path):
      self.init(
        ExitCode.refused,
        "The keyfile \(path) is in use by another cognito-account; try again shortly")
    case .configuration(let message):
      self.init(ExitCode.refused, message)
    case .unsupportedChallenge(let name):
      self.init(
        ExitCode.refused,
        "Cognito asks for \(name), which this tool cannot complete: sign in once in your app "
          + "to finish it, then try again")
    case .invalidInput(let message):
      self.init(ExitCode.refused, message)
    case .service(let problem):
      self.init(ExitCode.serviceError, Self.serviceText(problem))
    case .network(let message):
      self.init(ExitCode.unexpected, message)
    case .unexpectedResponse(let message):
      self.init(ExitCode.unexpected, message)
    case .credentials(let message):
      self.init(ExitCode.notSignedIn, "AWS credentials: \(message)")
    case .adminReadOnly(let action):
      self.init(
        ExitCode.refused,
        "Read-only support mode: \(action) is disabled (pass --allow-writes, or set "
          + "admin_read_only = false in the profile)")
    }
  }

  private init(_ exitCode: Int32, _ text: String) {
    self.init(severity: .error, text: text, exitCode: exitCode)
  }

  private static func serviceText(_ problem: ServiceProblem) -> String {
    let detail = problem.message.isEmpty ? "" : " (\(problem.message))"
    let advice: String
    switch problem.kind {
    case .notAuthorized:
      advice = "Not authorized\(detail): check the username and password, or sign in again"
    case .userNotConfirmed:
      advice =
        "This account is not confirmed yet: confirm it from the sign-up email, then sign in"
    case .passwordResetRequired:
      advice =
        "A password reset is required: reset it with 'Forgot password' in your app, then sign in"
    case .userNotFound:
      advice = "No such user in this user pool: check the username and the user pool id"
    case .forbidden:
      advice = "Blocked by the user pool's web firewall (AWS WAF); ask the pool's administrators"
    case .rateLimited:
      advice = "Cognito is limiting requests; try again in a minute"
    case .serverFault:
      advice = "Cognito had an internal error; try again in a moment"
    case .resourceNotFound:
      advice =
        "The user pool or app client was not found: check the user pool id, client id and region"
    case .invalidParameter:
      advice = "Cognito rejected the request\(detail)"
    case .invalidPassword:
      advice = "The new password does not meet the pool's password policy\(detail)"
    case .codeMismatch:
      advice = "Wrong code; try again"
    case .expiredCode:
      advice = "The code expired; sign in again to get a new one"
    case .verificationCodeMismatch:
      advice = "Wrong code; check it and enter it again, or ask for a new code"
    case .verificationCodeExpired:
      advice = "The code expired or was already used; ask for a new code"
    case .wrongCurrentPassword:
      advice = "The current password is wrong\(detail); nothing changed"
    case .passwordReused:
      advice = "The pool does not allow a password used before; choose another\(detail)"
    case .limitExceeded:
      advice = "Too many attempts\(detail); Cognito blocks this for a while, so try again later"
    case .aliasExists:
      advice = "Another account already uses this email or phone number\(detail)"
    case .codeDeliveryFailure:
      advice = "Cognito could not send the code\(detail); check the address or number"
    case .lambdaRejected:
      advice = "The user pool's Lambda trigger refused the change\(detail)"
    case .unauthorized:
      advice = "This app client may not do that\(detail): check the client id and secret"
    case .accessDenied:
      advice =
        "Access denied: your AWS identity lacks \(problem.message.isEmpty ? "this permission" : problem.message); "
        + "ask for it to be added to your IAM policy"
    case .expiredCredentials:
      let source = problem.message.isEmpty ? "" : " (\(problem.message))"
      advice =
        "Your AWS credentials\(source) have expired: refresh them (for an IAM Identity Center "
        + "profile, aws sso login --profile NAME) and try again"
    case .invalidCredentials:
      advice =
        "AWS did not accept the credentials\(detail): check the access key and secret of the "
        + "source 'admin whoami' names"
    case .other:
      advice = "Cognito returned an error\(detail)"
    }
    return "\(problem.code): \(advice)"
  }
}
