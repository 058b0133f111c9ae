public import AccountCore
public import CognitoClient
public import FoundationEssentials
import HTTPStack
public import Keyfile

extension AccountError {
  /// Translates a client error at the session boundary, keeping the exception name.
  ///
  /// - Parameters:
  ///   - endpoint: the host named in network messages.
  ///   - operation: the operation called, named when IAM denies it.
  public init(_ error: CognitoError, endpoint: URL? = nil, operation: String? = nil) {
    let host = endpoint?.host ?? "the Cognito endpoint"
    switch error {
    case .service(let service):
      let kind = Self.kind(of: service.code)
      var message = service.message
      if kind == .accessDenied {
        // Name the IAM action, from the message (AWS and moto both say "not authorized to
        // perform: cognito-idp:X") or else from the operation that was called.
        message =
          Self.deniedAction(in: service.message)
          ?? operation.map { "cognito-idp:\($0)" } ?? ""
      }
      self = .service(ServiceProblem(kind: kind, code: service.code.code, message: message))
    case .unexpectedResponse(let status) where status == 429:
      self = .service(ServiceProblem(kind: .rateLimited, code: "HTTP 429", message: ""))
    case .unexpectedResponse(let status):
      self = .unexpectedResponse(
        message:
          "Unexpected response from \(host) (HTTP \(status), not a Cognito answer); "
          + "try again later, or check --endpoint-url")
    case .malformedResponse(let operation, let status):
      self = .unexpectedResponse(
        message: "Unreadable \(operation) response from \(host) (HTTP \(status)); try again later")
    case .transport(let failure):
      let hint: String
      switch failure {
      case .secureConnectionFailed:
        hint = "if your network inspects TLS, point AWS_CA_BUNDLE at its CA certificate"
      case .proxyRefused(status: 407):
        hint = "check the user name and password in https_proxy"
      case .proxyUnreachable, .proxyRefused:
        hint = "check https_proxy, or list the host in no_proxy"
      default:
        hint = "check the network connection or --endpoint-url"
      }
      self = .network(message: "Could not reach Cognito at \(host): \(failure); \(hint)")
    case .invalidConfiguration(let message):
      self = .configuration(message: message)
    case .authenticationFailed(let message):
      self = .unexpectedResponse(message: "Sign-in could not be completed: \(message)")
    case .credentials(let message):
      self = .credentials(message: message)
    case .deviceRefused:
      self = .unexpectedResponse(message: "Sign-in could not be completed: \(error)")
    }
  }

  /// An authenticator app's first code refused (`EnableSoftwareTokenMFAException`, or a code
  /// mismatch), read as a wrong code; any other error as it is. Enrolling from the Security
  /// commands and at sign-in (`MFA_SETUP`) both say it so.
  public var asEnrolmentCodeRefusal: AccountError {
    guard case .service(var problem) = self,
      problem.code == "EnableSoftwareTokenMFAException" || problem.kind == .codeMismatch
    else { return self }
    problem.kind = .verificationCodeMismatch
    return .service(problem)
  }

  /// `service:Action` after "perform: " in an AccessDenied message, if it is one.
  static func deniedAction(in message: String) -> String? {
    guard let marker = message.firstRange(of: "perform: ") else { return nil }
    let action = message[marker.upperBound...].prefix { !$0.isWhitespace }
    let plausible =
      action.contains(":") && action.count <= 128
      && action.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ":" || $0 == "-") }
    return plausible ? String(action) : nil
  }

  /// Translates a keyfile error: a missing file means not signed in.
  public init(_ error: KeyfileError) {
    switch error {
    case .notFound: self = .notSignedIn
    case .outdated: self = .sessionMismatch(message: error.description)
    case .busy(let path): self = .keyfileBusy(path: path)
    default: self = .keyfile(message: error.description)
    }
  }

  static func kind(of code: ServiceErrorCode) -> ServiceProblem.Kind {
    switch code {
    case .notAuthorized: .notAuthorized
    case .userNotConfirmed: .userNotConfirmed
    case .passwordResetRequired: .passwordResetRequired
    case .userNotFound: .userNotFound
    case .forbidden: .forbidden
    case .tooManyRequests: .rateLimited
    case .internalError: .serverFault
    case .resourceNotFound: .resourceNotFound
    case .invalidParameter: .invalidParameter
    case .invalidPassword: .invalidPassword
    case .passwordHistoryPolicyViolation: .passwordReused
    case .limitExceeded: .limitExceeded
    case .unknown("TooManyFailedAttemptsException"): .limitExceeded
    case .aliasExists: .aliasExists
    case .codeDeliveryFailure: .codeDeliveryFailure
    case .userLambdaValidation, .invalidLambdaResponse, .unexpectedLambda: .lambdaRejected
    case .codeMismatch: .codeMismatch
    case .expiredCode: .expiredCode
    case .unauthorized: .unauthorized
    case .unknown("AccessDeniedException"), .unknown("AccessDenied"): .accessDenied
    case .unknown("ExpiredTokenException"), .unknown("ExpiredToken"): .expiredCredentials
    case .unknown("SignatureDoesNotMatch"), .unknown("InvalidSignatureException"),
      .unknown("UnrecognizedClientException"), .unknown("InvalidClientTokenId"),
      .unknown("IncompleteSignature"), .unknown("MissingAuthenticationToken"):
      .invalidCredentials
    default: .other
    }
  }
}
