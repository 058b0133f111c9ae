public import AccountCore

/// What `InitiateAuth` and `RespondToAuthChallenge` both answer: the next challenge, or the
/// tokens. The sign-in flow reads either through this.
public protocol SignInAnswer: Sendable {
  /// The challenge to answer next, if any.
  var challengeName: String? { get }
  /// The single-use session to send with the answer.
  var session: Sensitive? { get }
  /// The challenge's parameters (`USERNAME`, `SRP_B`, `CODE_DELIVERY_DESTINATION`, …).
  var challengeParameters: [String: String]? { get }
  /// The tokens, when signing in is complete.
  var authenticationResult: AuthenticationResultType? { get }
}

extension InitiateAuthResponse: SignInAnswer {}
extension RespondToAuthChallengeResponse: SignInAnswer {}
