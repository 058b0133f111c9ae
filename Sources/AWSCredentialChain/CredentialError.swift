import AccountCore

/// Why no usable AWS credentials could be had. The text names the source, file and line or key
/// at fault, never a secret.
public enum CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Every source of the chain was tried and none had credentials.
  case notFound(tried: [String])
  /// A profile named on the command line, in settings or in `AWS_PROFILE` exists in neither file.
  case profileNotFound(String, files: [String])
  /// A shared credentials or config file that cannot be read as one; line 0 means the whole
  /// file.
  case invalidFile(path: String, line: Int, reason: String)
  /// A profile (or the environment) that is there but cannot give credentials as written.
  case incomplete(source: String, reason: String)
  /// `credential_process` failed or printed something that is not credentials.
  case process(profile: String, reason: String)
  /// A credential service (STS, the SSO portal, a metadata endpoint) refused.
  case service(source: String, code: String, message: String)
  /// Credentials or a sign-in token that have expired and cannot be renewed here.
  case expired(source: String, hint: String)
  /// A credential service that could not be reached or answered with something unreadable.
  case unreachable(source: String, reason: String)

  /// One line for the status bar or standard error.
  public var description: String {
    switch self {
    case .notFound(let tried):
      return "No AWS credentials found (tried: \(tried.joined(separator: ", "))). Set "
        + "AWS_PROFILE or --aws-profile, or the profile's aws_profile setting."
    case .profileNotFound(let name, let files):
      return "AWS profile '\(TerminalText.escape(name))' is in neither "
        + files.joined(separator: " nor ")
    case .invalidFile(let path, let line, let reason):
      // Line 0: the file as a whole (it cannot be read, or is too large or not UTF-8).
      return line == 0 ? "\(path): \(reason)" : "\(path) line \(line): \(reason)"
    case .incomplete(let source, let reason):
      return "\(source): \(reason)"
    case .process(let profile, let reason):
      return "credential_process of profile '\(TerminalText.escape(profile))': \(reason)"
    case .service(let source, let code, let message):
      let text = message.isEmpty ? code : "\(code): \(message)"
      return "\(source) refused: \(TerminalText.escape(text))"
    case .expired(let source, let hint):
      return "\(source) has expired; \(hint)"
    case .unreachable(let source, let reason):
      return "\(source) could not be reached: \(reason)"
    }
  }
}
