public import AccountCore
import FoundationEssentials

/// Removes anything token- or secret-shaped from text a server sent, before any code can show it.
///
/// moto echoes raw access tokens, refresh tokens, sessions and SECRET_HASH values in error
/// messages, and a real service or proxy could do the same. Two rules apply:
/// - every value the caller knows it sent (tokens, password, secret hash, session) is replaced
///   wherever it appears, however short;
/// - any run of 32 or more characters from the token alphabet (`A–Z a–z 0–9 - _ . = + /`) is
///   replaced, which catches JWTs, UUIDs, Base64 hashes and opaque refresh tokens.
public enum Redactor {
  /// What replaces a removed value.
  public static let placeholder = "[redacted]"

  /// The minimum length of a token-alphabet run that is treated as a secret.
  public static let shapeThreshold = 32

  /// Returns `text` with known secrets and secret-shaped runs replaced.
  public static func redact(_ text: String, knownSecrets: [Sensitive] = []) -> String {
    var result = text
    for secret in knownSecrets.map(\.reveal).filter({ !$0.isEmpty }).sorted(by: {
      $0.count > $1.count
    }) {
      result = result.replacing(secret, with: placeholder)
    }
    return replaceSecretShapedRuns(in: result)
  }

  private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "A"..."Z", "a"..."z", "0"..."9", "-", "_", ".", "=", "+", "/": true
    default: false
    }
  }

  private static func replaceSecretShapedRuns(in text: String) -> String {
    var output = String.UnicodeScalarView()
    var run = String.UnicodeScalarView()
    func flush() {
      if run.count >= shapeThreshold {
        output.append(contentsOf: placeholder.unicodeScalars)
      } else {
        output.append(contentsOf: run)
      }
      run.removeAll()
    }
    for scalar in text.unicodeScalars {
      if isTokenCharacter(scalar) {
        run.append(scalar)
      } else {
        flush()
        output.append(scalar)
      }
    }
    flush()
    return String(output)
  }
}
