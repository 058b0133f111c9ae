import Crypto
import CryptoExtras
import FoundationEssentials

/// scrypt's cost parameters, stored in each keyfile's header so they can be raised later.
public struct ScryptParameters: Sendable, Hashable {
  /// log2 of N, the CPU/memory cost.
  public let logN: UInt8
  /// The block size.
  public let r: UInt32
  /// The parallelism.
  public let p: UInt32

  /// The default: N = 2^17, r = 8, p = 1 (128 MiB, ≈ 0.4 s here in a release build).
  public static let standard = ScryptParameters(uncheckedLogN: 17, r: 8, p: 1)

  /// Cheap parameters for tests only: they make a stolen keyfile easy to attack.
  public static func insecureForTestsOnly(logN: UInt8) -> ScryptParameters {
    ScryptParameters(uncheckedLogN: logN, r: 8, p: 1)
  }

  private init(uncheckedLogN: UInt8, r: UInt32, p: UInt32) {
    self.logN = uncheckedLogN
    self.r = r
    self.p = p
  }

  /// Parameters read from a header; `nil` unless within the bounds this build accepts
  /// (logN 1–22, r 1–32, p 1–16, at most 1 GiB of memory).
  init?(header logN: UInt8, r: UInt32, p: UInt32) {
    guard (1...22).contains(logN), (1...32).contains(r), (1...16).contains(p),
      (UInt64(128) * UInt64(r) << UInt64(logN)) <= 1 << 30
    else { return nil }
    self.init(uncheckedLogN: logN, r: r, p: p)
  }
}

/// The keys derived from a passphrase for one keyfile (one salt and parameter set).
///
/// scrypt's output, the master key, is used once: the AEAD key and the key-check value are
/// derived from it with HKDF and HMAC (so a wrong passphrase is told apart from altered
/// ciphertext), and only those two are kept. The unlock cache stores them, never the master key
/// or the passphrase, so a warm unlock runs neither HKDF nor HMAC.
public struct DerivedKey: Sendable {
  /// The ChaCha20-Poly1305 key: HKDF-SHA256(master, "cognito-account keyfile v1 encryption").
  let encryptionKey: SymmetricKey
  /// 16 bytes that show whether a key is the right one without decrypting:
  /// HMAC-SHA256(master, "cognito-account keyfile v1 key check"), its first 16 bytes.
  let keyCheck: [UInt8]

  /// The keys derived from 32 bytes of master key material (scrypt's output).
  init(master: SymmetricKey) {
    encryptionKey = HKDF<SHA256>.deriveKey(
      inputKeyMaterial: master, info: Array("cognito-account keyfile v1 encryption".utf8),
      outputByteCount: 32)
    let mac = HMAC<SHA256>.authenticationCode(
      for: Array("cognito-account keyfile v1 key check".utf8), using: master)
    // Read in place: iterating the code is generic code the runtime first looks up.
    keyCheck = mac.withUnsafeBytes { Array($0.prefix(16)) }
  }

  /// The length of ``cacheBytes``.
  static let cacheLength = 48

  /// The keys back from ``cacheBytes``; nil for any other length. The key is copied straight
  /// into swift-crypto's zeroing storage: the caller zeroes `bytes`.
  init?(cacheBytes bytes: ArraySlice<UInt8>) {
    guard bytes.count == Self.cacheLength else { return nil }
    keyCheck = Array(bytes.prefix(16))
    encryptionKey = SymmetricKey(data: bytes.dropFirst(16))
  }

  /// The key check then the encryption key, for the unlock cache. Zero the copy after use.
  var cacheBytes: [UInt8] {
    var bytes = keyCheck
    bytes.reserveCapacity(Self.cacheLength)  // one buffer: no unzeroed copy left behind
    encryptionKey.withUnsafeBytes { bytes.append(contentsOf: $0) }
    return bytes
  }

  /// Runs scrypt.
  static func derive(passphrase: [UInt8], salt: [UInt8], parameters: ScryptParameters)
    throws(KeyfileError) -> DerivedKey
  {
    do {
      let key = try KDF.Scrypt.deriveKey(
        from: passphrase, salt: salt, outputByteCount: 32, rounds: 1 << Int(parameters.logN),
        blockSize: Int(parameters.r), parallelism: Int(parameters.p))
      return DerivedKey(master: key)
    } catch {
      throw .damaged(path: "", detail: "scrypt rejected the parameters")
    }
  }
}
