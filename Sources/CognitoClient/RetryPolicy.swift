import AccountCore
import FoundationEssentials
public import HTTPStack

/// What one attempt produced, as far as the retry decision needs to know.
public enum AttemptOutcome: Sendable, Hashable {
  /// A modelled or unknown service error.
  case serviceError(ServiceErrorCode, httpStatus: Int)
  /// A response that was not an AWS JSON error (HTML 5xx, say).
  case unexpectedStatus(Int)
  /// A transport failure.
  case transport(TransportFailure)
}

/// The retry policy's answer.
public enum RetryDecision: Sendable, Hashable {
  /// Wait, then send the same request again.
  case retry(after: Duration)
  /// Give up and report the last outcome.
  case dontRetry
}

/// Capped exponential backoff with full jitter, honouring `Retry-After`.
///
/// A pure value: ``decide(attempt:outcome:retryAfter:random:)`` never sleeps and takes its
/// randomness as an argument, so it is tested as a table. Retried: TooManyRequestsException,
/// InternalErrorException, HTTP 429 and 5xx, connection reset and timeout. Nothing else.
public struct RetryPolicy: Sendable, Hashable {
  /// Attempts in all, the first included.
  public var maxAttempts: Int
  /// The backoff ceiling before jitter for the first retry.
  public var baseDelay: Duration
  /// The largest wait between attempts, and the largest `Retry-After` honoured.
  public var maxDelay: Duration

  /// The default: 3 attempts, 250 ms base, 5 s cap (an interactive tool should not stall).
  public static let standard = RetryPolicy(
    maxAttempts: 3, baseDelay: .milliseconds(250), maxDelay: .seconds(5))

  /// Creates a policy.
  public init(maxAttempts: Int, baseDelay: Duration, maxDelay: Duration) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
  }

  /// Whether an outcome is worth another attempt at all.
  public static func isRetryable(_ outcome: AttemptOutcome) -> Bool {
    switch outcome {
    case .serviceError(let code, let status):
      code == .tooManyRequests || code == .internalError || status == 429 || status >= 500
    case .unexpectedStatus(let status):
      status == 429 || (500...599).contains(status)
    case .transport(let failure):
      failure == .connectionReset || failure == .timedOut
    }
  }

  /// Decides what to do after attempt number `attempt` (1-based) ended in `outcome`.
  ///
  /// - Parameters:
  ///   - retryAfter: the server's `Retry-After`, if it sent one.
  ///   - random: a number in `0..<1` from the caller's random source (full jitter).
  public func decide(
    attempt: Int, outcome: AttemptOutcome, retryAfter: Duration?, random: Double
  ) -> RetryDecision {
    guard attempt < maxAttempts, Self.isRetryable(outcome) else { return .dontRetry }
    if let retryAfter {
      // A server asking for more than we are willing to wait gets an honest failure instead.
      return retryAfter <= maxDelay ? .retry(after: max(retryAfter, .zero)) : .dontRetry
    }
    let exponent = min(attempt - 1, 30)
    let ceiling = min(baseDelay * (1 << exponent), maxDelay)
    let jitter = min(max(random, 0), 1)
    return .retry(after: ceiling * jitter)
  }

  /// Parses a `Retry-After` header given in seconds (the HTTP-date form is not honoured).
  public static func parseRetryAfter(_ value: String?) -> Duration? {
    guard let value, let seconds = Int(value.trimmedWhitespace()), seconds >= 0
    else { return nil }
    return .seconds(seconds)
  }
}
