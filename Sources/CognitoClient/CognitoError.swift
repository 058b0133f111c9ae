public import HTTPStack

/// A modelled error response from Cognito.
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The exception.
  public var code: ServiceErrorCode
  /// The server's message with anything token- or secret-shaped removed.
  public var message: String
  /// The HTTP status (400 for most, 500 for InternalErrorException).
  public var httpStatus: Int
  /// `reasonCode` of an InvalidParameterException, when sent.
  public var reasonCode: String?
  /// The `x-amzn-requestid` header, for support requests.
  public var requestID: String?

  /// Creates a service error. `message` must already be redacted.
  public init(
    code: ServiceErrorCode, message: String, httpStatus: Int, reasonCode: String? = nil,
    requestID: String? = nil
  ) {
    self.code = code
    self.message = message
    self.httpStatus = httpStatus
    self.reasonCode = reasonCode
    self.requestID = requestID
  }

  /// `Code: message`, or just the code when the message is empty.
  public var description: String { message.isEmpty ? code.code : "\(code.code): \(message)" }
}

/// Every way a Cognito call can fail. No case carries a token, password, secret or response body.
public enum CognitoError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Cognito answered with a modelled (or unknown) exception.
  case service(ServiceError)
  /// The server answered with something that is not an AWS JSON error (an HTML 5xx page from a
  /// proxy or load balancer, say). The body is never kept.
  case unexpectedResponse(httpStatus: Int)
  /// A success status whose body does not match the operation's shape (truncated or wrong JSON).
  case malformedResponse(operation: String, httpStatus: Int)
  /// The connection failed.
  case transport(TransportFailure)
  /// Refused locally before anything was sent (for example plain HTTP to a remote host).
  case invalidConfiguration(String)
  /// A sign-in step could not be completed locally (for example bad SRP parameters).
  case authenticationFailed(String)
  /// No AWS credentials to sign an administrator request with (the chain's reason).
  case credentials(String)
  /// Cognito refused the remembered device a sign-in named (forgotten, or its proof wrong); the
  /// sign-in may go on without it.
  case deviceRefused(ServiceError)

  /// The service error code, when Cognito sent one.
  public var serviceCode: ServiceErrorCode? {
    if case .service(let error) = self { return error.code }
    return nil
  }

  /// One line, safe to show to the user.
  public var description: String {
    switch self {
    case .service(let error): error.description
    case .unexpectedResponse(let status): "unexpected response, HTTP \(status)"
    case .malformedResponse(let operation, let status):
      "unreadable \(operation) response, HTTP \(status)"
    case .transport(let failure): failure.description
    case .invalidConfiguration(let reason): reason
    case .authenticationFailed(let reason): reason
    case .credentials(let reason): reason
    case .deviceRefused(let error):
      "Cognito refused this device's remembered credentials (\(error))"
    }
  }
}
