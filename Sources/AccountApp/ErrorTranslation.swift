public import AccountCore
public import CognitoClient
public import FoundationEssentials
import HTTPStack
public import Keyfile

extension AccountError {
  /// Translates a client error at the session boundary, keeping the exception name.
  ///
  /// - Parameter endpoint: the host named in network messages.
  public init(_ error: CognitoError, endpoint: URL? = nil) {
    let host = endpoint?.host ?? "the Cognito endpoint"
    switch error {
    case .service(let service):
      self = .service(
        ServiceProblem(
          kind: Self.kind(of: service.code), code: service.code.code, message: service.message))
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
    }
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
    default: .other
    }
  }
}
