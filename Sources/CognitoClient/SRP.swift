public import AccountCore
import Crypto
public import FoundationEssentials

/// SRP-6a as Amazon Cognito runs it for `USER_SRP_AUTH`.
///
/// The group is RFC 5054's 3072-bit prime with g = 2; k = H(padHex(N) ‖ padHex(g)); hashes are
/// SHA-256; the session key is HKDF-SHA256(ikm: padHex(S), salt: padHex(u),
/// info: "Caldera Derived Key", 16 bytes); the `PASSWORD_VERIFIER` answer is
/// Base64(HMAC-SHA256(key, poolName ‖ userIdForSRP ‖ secretBlock ‖ timestamp)). This follows AWS's
/// amazon-cognito-identity-js `AuthenticationHelper` and is cross-checked in the tests against
/// PyPI `pycognito`'s `AWSSRP` on the same inputs.
public struct SRPClient: Sendable {
  /// RFC 5054's 3072-bit group prime, as hex.
  public static let primeHex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    + "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    + "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

  /// The private value `a`, reduced mod N (kept as bytes so the value is `Sendable`).
  private let privateValue: [UInt8]
  /// The public value `A = g^a mod N`, as lower-case hex: the `SRP_A` parameter.
  public let publicValueHex: String

  /// The result of answering a `PASSWORD_VERIFIER` challenge.
  public struct PasswordClaim: Sendable {
    /// `PASSWORD_CLAIM_SIGNATURE`.
    public var signature: Sensitive
    /// `TIMESTAMP`, in Cognito's `EEE MMM d HH:mm:ss UTC yyyy` form.
    public var timestamp: String
  }

  /// Starts an exchange with 128 random bytes as `a`.
  public init() throws(CognitoError) {
    var generator = SystemRandomNumberGenerator()
    try self.init(
      privateValue: (0..<128).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
  }

  /// Starts an exchange with a given private value (big-endian bytes; reduced mod N). Tests use
  /// this to compare with an independent implementation.
  public init(privateValue: [UInt8]) throws(CognitoError) {
    let (reduced, publicHex) = try BigNumber.withContext { context throws(CognitoError) in
      let (prime, generator) = try Self.group()
      let a = try BigNumber(bytes: privateValue).mod(prime, context: context)
      guard !a.isZero else { throw .authenticationFailed("SRP private value is zero") }
      let publicValue = try generator.powMod(a, prime, context: context)
      guard !(try publicValue.mod(prime, context: context)).isZero else {
        throw .authenticationFailed("SRP safety check for A failed")
      }
      return (a.bytes, publicValue.hex)
    }
    self.privateValue = reduced
    self.publicValueHex = publicHex
  }

  /// Computes the 16-byte session key for `userIDForSRP` and `password`.
  ///
  /// - Parameters:
  ///   - poolName: the part of the user-pool id after the underscore.
  ///   - saltHex: `SALT` from the challenge.
  ///   - serverPublicHex: `SRP_B` from the challenge.
  public func sessionKey(
    poolName: String, userIDForSRP: String, password: Sensitive, saltHex: String,
    serverPublicHex: String
  ) throws(CognitoError) -> [UInt8] {
    try BigNumber.withContext { context throws(CognitoError) in
      let (prime, generator) = try Self.group()
      guard let serverPublic = BigNumber(hex: serverPublicHex),
        let salt = BigNumber(hex: saltHex)
      else { throw .authenticationFailed("the SRP challenge's SALT or SRP_B is not hexadecimal") }
      guard !(try serverPublic.mod(prime, context: context)).isZero else {
        throw .authenticationFailed("the SRP challenge's SRP_B is invalid (B mod N = 0)")
      }
      let a = try BigNumber(bytes: privateValue)
      let publicValue = try generator.powMod(a, prime, context: context)
      let k = try BigNumber(bytes: Self.sha256(prime.paddedBytes + generator.paddedBytes))
      let u = try BigNumber(bytes: Self.sha256(publicValue.paddedBytes + serverPublic.paddedBytes))
      guard !u.isZero else { throw .authenticationFailed("SRP safety check for u failed") }
      let identity = Self.sha256(Array("\(poolName)\(userIDForSRP):\(password.reveal)".utf8))
      let x = try BigNumber(bytes: Self.sha256(salt.paddedBytes + identity))
      let gx = try generator.powMod(x, prime, context: context)
      let kgx = try k.mulMod(gx, prime, context: context)
      let base = try serverPublic.subMod(kgx, prime, context: context)
      let exponent = try a.plus(try u.times(x, context: context))
      let shared = try base.powMod(exponent, prime, context: context)
      let key = HKDF<SHA256>.deriveKey(
        inputKeyMaterial: SymmetricKey(data: shared.paddedBytes),
        salt: u.paddedBytes,
        info: Array("Caldera Derived Key".utf8),
        outputByteCount: 16)
      return key.withUnsafeBytes { Array($0) }
    }
  }

  /// Answers a `PASSWORD_VERIFIER` challenge.
  ///
  /// - Parameters:
  ///   - secretBlockBase64: `SECRET_BLOCK` from the challenge; decoded leniently (characters
  ///     outside the Base64 alphabet are skipped, as Python's `b64decode` does).
  ///   - date: the signing time; its UTC form goes into `TIMESTAMP`.
  public func passwordClaim(
    poolName: String, userIDForSRP: String, password: Sensitive, saltHex: String,
    serverPublicHex: String, secretBlockBase64: String, date: Date
  ) throws(CognitoError) -> PasswordClaim {
    var key = try sessionKey(
      poolName: poolName, userIDForSRP: userIDForSRP, password: password, saltHex: saltHex,
      serverPublicHex: serverPublicHex)
    defer { key.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    guard
      let secretBlock = Data(
        base64Encoded: Self.paddedBase64(secretBlockBase64), options: .ignoreUnknownCharacters)
    else { throw .authenticationFailed("the SRP challenge's SECRET_BLOCK is not Base64") }
    let timestamp = Self.timestamp(for: date)
    var message = Data(poolName.utf8)
    message.append(Data(userIDForSRP.utf8))
    message.append(secretBlock)
    message.append(Data(timestamp.utf8))
    let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
    return PasswordClaim(
      signature: Sensitive(Data(mac).base64EncodedString()), timestamp: timestamp)
  }

  /// Answers a `DEVICE_PASSWORD_VERIFIER` challenge: the same exchange as
  /// ``passwordClaim(poolName:userIDForSRP:password:saltHex:serverPublicHex:secretBlockBase64:date:)``
  /// with the device group key in place of the pool name and the device key in place of the
  /// user (as amazon-cognito-identity-js's `AuthenticationHelper` does for devices).
  public func devicePasswordClaim(
    _ device: DeviceCredentials, saltHex: String, serverPublicHex: String,
    secretBlockBase64: String, date: Date
  ) throws(CognitoError) -> PasswordClaim {
    try passwordClaim(
      poolName: device.groupKey, userIDForSRP: device.key, password: device.password,
      saltHex: saltHex, serverPublicHex: serverPublicHex, secretBlockBase64: secretBlockBase64,
      date: date)
  }

  /// Cognito's timestamp: `EEE MMM d HH:mm:ss UTC yyyy` in English, UTC, day without padding.
  public static func timestamp(for date: Date) -> String {
    PlainFormat.cognitoTimestamp(epochSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
  }

  private static func group() throws(CognitoError) -> (prime: BigNumber, generator: BigNumber) {
    guard let prime = BigNumber(hex: primeHex), let generator = BigNumber(hex: "2") else {
      throw .authenticationFailed("SRP group constants failed to load")
    }
    return (prime, generator)
  }

  private static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

  /// Adds `=` padding so Foundation accepts unpadded input after unknown characters are skipped.
  private static func paddedBase64(_ text: String) -> String {
    let alphabetCount = text.unicodeScalars.filter {
      ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        || $0 == "+" || $0 == "/"
    }.count
    let remainder = alphabetCount % 4
    return text.hasSuffix("=") || remainder == 0
      ? text : text + String(repeating: "=", count: 4 - remainder)
  }
}

/// What `ConfirmDevice` registers for a device: the SRP verifier `v = g^x mod N` of the device
/// password, with `x = H(salt ‖ H(groupKey ‖ deviceKey ‖ ":" ‖ password))`, and the salt; both
/// Base64 of their big-endian bytes, padded as the user SRP pads (a leading zero byte when the
/// top bit is set). Cross-checked against pycognito's `generate_hash_device` in the tests.
public struct DeviceVerifier: Sendable, Hashable {
  /// `PasswordVerifier`.
  public var verifierBase64: String
  /// `Salt`.
  public var saltBase64: String

  /// The verifier of `device`'s password with `salt` (16 random bytes in use).
  public init(device: DeviceCredentials, salt: [UInt8]) throws(CognitoError) {
    let (verifier, paddedSalt) = try BigNumber.withContext { context throws(CognitoError) in
      guard let prime = BigNumber(hex: SRPClient.primeHex), let generator = BigNumber(hex: "2")
      else { throw .authenticationFailed("SRP group constants failed to load") }
      let saltNumber = try BigNumber(bytes: salt)
      let identity = Array(
        SHA256.hash(data: Array("\(device.groupKey)\(device.key):\(device.password.reveal)".utf8)))
      let x = try BigNumber(bytes: Array(SHA256.hash(data: saltNumber.paddedBytes + identity)))
      return (try generator.powMod(x, prime, context: context).paddedBytes, saltNumber.paddedBytes)
    }
    verifierBase64 = Data(verifier).base64EncodedString()
    saltBase64 = Data(paddedSalt).base64EncodedString()
  }

  /// A new device password: 40 random bytes, Base64 (as AWS's SDKs make it).
  public static func randomPassword() -> Sensitive {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<40).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return Sensitive(Data(bytes).base64EncodedString())
  }

  /// A new salt: 16 random bytes.
  public static func randomSalt() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
  }
}
