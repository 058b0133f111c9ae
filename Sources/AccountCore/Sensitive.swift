/// A string that must never be printed: a token, password, client secret or session.
///
/// It encodes to and decodes from a plain JSON string, but `description`, `debugDescription`
/// and reflection (`dump`, string interpolation of an enclosing struct) show only
/// `<redacted>`. Read the value with ``reveal`` at the single place that needs it.
public struct Sensitive: Sendable, Hashable, Codable, CustomStringConvertible,
  CustomDebugStringConvertible, CustomReflectable, ExpressibleByStringLiteral
{
  private let value: String

  /// Wraps a secret value.
  public init(_ value: String) { self.value = value }

  /// Wraps a secret literal (tests and fixtures).
  public init(stringLiteral value: String) { self.value = value }

  /// Decodes a secret from a single JSON string.
  public init(from decoder: any Decoder) throws {
    value = try decoder.singleValueContainer().decode(String.self)
  }

  /// Encodes the secret as a single JSON string (the wire needs it).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(value)
  }

  /// The secret itself. Never log or display the result.
  public var reveal: String { value }

  /// Whether the secret is the empty string.
  public var isEmpty: Bool { value.isEmpty }

  /// Always `<redacted>`.
  public var description: String { "<redacted>" }

  /// Always `<redacted>`.
  public var debugDescription: String { "<redacted>" }

  /// A mirror with no children, so `dump` shows nothing secret.
  public var customMirror: Mirror { Mirror(self, children: [:]) }
}
