public import AccountCore
import Crypto
import FoundationEssentials

/// Cognito's `SECRET_HASH`: Base64(HMAC-SHA256(key: client secret, message: username + client id)).
///
/// `username` must be the canonical username (`USER_ID_FOR_SRP`, the challenge's `USERNAME`, or
/// the token's `username` claim), never an alias the user typed: Cognito hashes the canonical one.
public enum SecretHash {
  /// Computes the hash.
  public static func compute(username: String, clientID: String, clientSecret: Sensitive)
    -> Sensitive
  {
    let key = SymmetricKey(data: Data(clientSecret.reveal.utf8))
    let mac = HMAC<SHA256>.authenticationCode(for: Data((username + clientID).utf8), using: key)
    return Sensitive(Data(mac).base64EncodedString())
  }
}
