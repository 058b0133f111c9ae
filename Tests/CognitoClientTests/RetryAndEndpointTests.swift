import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
  let policy = RetryPolicy.standard

  @Test(
    "what is retried",
    arguments: [
      (AttemptOutcome.serviceError(.tooManyRequests, httpStatus: 400), true),
      (.serviceError(.internalError, httpStatus: 500), true),
      (.serviceError(.unknown("ThrottlingException"), httpStatus: 429), true),
      (.unexpectedStatus(429), true),
      (.unexpectedStatus(500), true),
      (.unexpectedStatus(502), true),
      (.unexpectedStatus(503), true),
      (.transport(.connectionReset), true),
      (.transport(.timedOut), true),
      (.serviceError(.notAuthorized, httpStatus: 400), false),
      (.serviceError(.passwordResetRequired, httpStatus: 400), false),
      (.serviceError(.forbidden, httpStatus: 400), false),
      (.serviceError(.invalidParameter, httpStatus: 400), false),
      (.serviceError(.unknown("X"), httpStatus: 400), false),
      (.unexpectedStatus(404), false),
      (.unexpectedStatus(302), false),
      (.transport(.cannotConnect), false),
      (.transport(.cannotFindHost), false),
      (.transport(.secureConnectionFailed(reason: "x")), false),
      (.transport(.responseTooLarge(limit: 10)), false),
      (.transport(.cancelled), false),
    ])
  func retryable(outcome: AttemptOutcome, expected: Bool) {
    #expect(RetryPolicy.isRetryable(outcome) == expected)
    let decision = policy.decide(attempt: 1, outcome: outcome, retryAfter: nil, random: 0.5)
    #expect((decision != .dontRetry) == expected)
  }

  @Test(
    "capped exponential backoff with full jitter",
    arguments: [
      (1, 0.0, Duration.zero),
      (1, 0.5, Duration.milliseconds(125)),
      (1, 0.999, Duration.milliseconds(249.75)),
      (2, 0.5, Duration.milliseconds(250)),
      (2, 1.0, Duration.milliseconds(500)),
    ])
  func backoff(attempt: Int, random: Double, expected: Duration) {
    #expect(
      policy.decide(
        attempt: attempt, outcome: .transport(.timedOut), retryAfter: nil, random: random)
        == .retry(after: expected))
  }

  @Test("the cap bounds the wait")
  func cap() {
    let wide = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(5))
    #expect(
      wide.decide(attempt: 8, outcome: .unexpectedStatus(503), retryAfter: nil, random: 1.0)
        == .retry(after: .seconds(5)))
  }

  @Test("at most three attempts in all")
  func attempts() {
    let outcome = AttemptOutcome.serviceError(.tooManyRequests, httpStatus: 400)
    #expect(policy.decide(attempt: 2, outcome: outcome, retryAfter: nil, random: 0) != .dontRetry)
    #expect(policy.decide(attempt: 3, outcome: outcome, retryAfter: nil, random: 0) == .dontRetry)
  }

  @Test("Retry-After is honoured up to the cap; beyond it the call gives up")
  func retryAfter() {
    let outcome = AttemptOutcome.unexpectedStatus(429)
    #expect(
      policy.decide(attempt: 1, outcome: outcome, retryAfter: .seconds(2), random: 0.9)
        == .retry(after: .seconds(2)))
    #expect(
      policy.decide(attempt: 1, outcome: outcome, retryAfter: .seconds(60), random: 0.9)
        == .dontRetry)
  }

  @Test(
    "Retry-After parsing",
    arguments: [
      ("3", Duration?.some(.seconds(3))), (" 0 ", .some(.zero)), ("-1", nil),
      ("Wed, 21 Oct 2015 07:28:00 GMT", nil), (nil, nil),
    ])
  func parse(value: String?, expected: Duration?) {
    #expect(RetryPolicy.parseRetryAfter(value) == expected)
  }
}

@Suite("Endpoint and region resolution")
struct EndpointTests {
  @Test("the URL given, else the regional one (China's partition included)")
  func endpointURL() throws {
    func resolve(_ url: String?, _ region: String) throws -> String {
      try CognitoEndpoint.resolve(url: url, region: region, userPoolID: nil).url.absoluteString
    }
    #expect(try resolve("https://flag.example", "eu-west-1") == "https://flag.example/")
    #expect(try resolve(nil, "eu-west-1") == "https://cognito-idp.eu-west-1.amazonaws.com/")
    #expect(try resolve(nil, "cn-north-1") == "https://cognito-idp.cn-north-1.amazonaws.com.cn/")
  }

  @Test("region: the one given, else the user pool id's prefix; a bad name is refused")
  func region() throws {
    func region(_ given: String?) throws -> String {
      try CognitoEndpoint.resolve(url: nil, region: given, userPoolID: "ap-south-1_Pool").region
    }
    #expect(try region("ca-central-1") == "ca-central-1")
    #expect(try region(nil) == "ap-south-1")
    #expect(try region(" ") == "ap-south-1")
    #expect(throws: CognitoError.invalidConfiguration("'EU_WEST' is not a valid AWS region name")) {
      try CognitoEndpoint.resolve(url: nil, region: "EU_WEST", userPoolID: nil)
    }
  }

  @Test("no region anywhere is a clear error")
  func noRegion() {
    #expect(
      throws: CognitoError.invalidConfiguration(
        "no region: run 'cognito-account configure' to set up a profile, or give --region, "
          + "set AWS_REGION, or give a user pool id such as us-east-1_AbC")
    ) {
      try CognitoEndpoint.resolve(url: nil, region: nil, userPoolID: nil)
    }
  }

  @Test(
    "plain http only to loopback",
    arguments: [
      ("http://127.0.0.1:5599/", true), ("http://127.8.9.10/", true), ("http://localhost:80", true),
      ("http://[::1]:8080/", true), ("https://cognito-idp.us-east-1.amazonaws.com/", true),
      ("http://cognito-idp.us-east-1.amazonaws.com/", false), ("http://10.0.0.1/", false),
      ("http://127.0.0.1.evil.example/", false), ("http://128.0.0.1/", false),
      ("ftp://127.0.0.1/", false), ("https://user:pw@example.com/", false), ("not a url", false),
      ("https://example.com/?q=1", false),
    ])
  func loopbackRule(url: String, accepted: Bool) {
    let result = Result { () throws(CognitoError) in try CognitoEndpoint.validatedURL(url) }
    #expect(((try? result.get()) != nil) == accepted)
  }
}
