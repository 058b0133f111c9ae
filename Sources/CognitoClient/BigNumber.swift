import CSystemCrypto

/// A non-negative big integer backed by OpenSSL's `BIGNUM`, for SRP arithmetic only.
///
/// Chosen over a pure-Swift big integer because SRP's 3072-bit modular exponentiation takes
/// ≈ 7 ms here with libcrypto against ≈ 0.26 s (release) and ≈ 8 s (debug) with attaswift/BigInt,
/// and because libcrypto offers a constant-time exponentiation for the secret exponents.
/// Values are cleared when freed. Not thread-safe; used within one function call.
/// libcrypto is loaded on the first use (``withContext(_:)``), not at every start.
final class BigNumber {
  private let crypto: cognito_libcrypto
  let pointer: OpaquePointer

  private init(adopting pointer: OpaquePointer, crypto: cognito_libcrypto) {
    self.pointer = pointer
    self.crypto = crypto
  }

  deinit { crypto.BN_clear_free(pointer) }

  /// libcrypto.so.3's big-number functions, loaded on the first call.
  static func libcrypto() throws(CognitoError) -> cognito_libcrypto {
    var reason: UnsafePointer<CChar>?
    guard let table = cognito_libcrypto_load(&reason) else {
      throw .authenticationFailed(
        "SRP needs OpenSSL (libcrypto.so.3), which could not be loaded: \(String(cString: reason!))"
      )
    }
    return table.pointee
  }

  /// A value from big-endian bytes.
  convenience init(bytes: [UInt8]) throws(CognitoError) {
    let crypto = try Self.libcrypto()
    guard
      let pointer = bytes.withUnsafeBufferPointer({
        crypto.BN_bin2bn($0.baseAddress, Int32($0.count), nil)
      })
    else { throw .authenticationFailed("out of memory in SRP arithmetic") }
    self.init(adopting: pointer, crypto: crypto)
  }

  /// A value from a hexadecimal string (no prefix, no sign); `nil` when it is not hex (or
  /// libcrypto cannot be loaded, which ``withContext(_:)`` reports).
  convenience init?(hex: String) {
    guard let crypto = try? Self.libcrypto() else { return nil }
    let trimmed = hex.hasPrefix("0x") ? String(hex.dropFirst(2)) : hex
    guard !trimmed.isEmpty, trimmed.count <= 4096,
      trimmed.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit })
    else { return nil }
    var raw: OpaquePointer?
    let consumed = trimmed.withCString { crypto.BN_hex2bn(&raw, $0) }
    guard let raw, Int(consumed) == trimmed.utf8.count else {
      if let raw { crypto.BN_clear_free(raw) }
      return nil
    }
    self.init(adopting: raw, crypto: crypto)
  }

  /// Minimal big-endian bytes (empty for zero).
  var bytes: [UInt8] {
    let count = Int((crypto.BN_num_bits(pointer) + 7) / 8)
    var output = [UInt8](repeating: 0, count: count)
    _ = output.withUnsafeMutableBufferPointer { crypto.BN_bn2bin(pointer, $0.baseAddress) }
    return output
  }

  /// The bytes Cognito hashes (`padHex` in AWS's SDKs): minimal big-endian bytes, with a leading
  /// zero byte when the top bit is set (so the value reads as positive), and one zero byte for 0.
  var paddedBytes: [UInt8] {
    let minimal = bytes
    guard let first = minimal.first else { return [0] }
    return first & 0x80 != 0 ? [0] + minimal : minimal
  }

  /// Lower-case hexadecimal without leading zeros ("0" for zero).
  var hex: String {
    let minimal = bytes
    guard !minimal.isEmpty else { return "0" }
    var text = minimal.map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }.joined()
    if text.hasPrefix("0") { text.removeFirst() }
    return text
  }

  var isZero: Bool { crypto.BN_is_zero(pointer) == 1 }

  /// Runs `body` with a fresh `BN_CTX` (loading libcrypto first, on the first call).
  static func withContext<T>(_ body: (OpaquePointer) throws(CognitoError) -> T) throws(CognitoError)
    -> T
  {
    let crypto = try libcrypto()
    guard let context = crypto.BN_CTX_new() else {
      throw .authenticationFailed("out of memory in SRP arithmetic")
    }
    defer { crypto.BN_CTX_free(context) }
    return try body(context)
  }

  private func fresh() throws(CognitoError) -> BigNumber {
    guard let pointer = crypto.BN_new() else {
      throw .authenticationFailed("out of memory in SRP arithmetic")
    }
    return BigNumber(adopting: pointer, crypto: crypto)
  }

  private static func check(_ status: Int32) throws(CognitoError) {
    if status != 1 { throw .authenticationFailed("SRP arithmetic failed") }
  }

  /// `self mod m`.
  func mod(_ modulus: BigNumber, context: OpaquePointer) throws(CognitoError) -> BigNumber {
    let result = try fresh()
    try Self.check(
      crypto.BN_nnmod(result.pointer, pointer, modulus.pointer, context))
    return result
  }

  /// `self * other mod m`.
  func mulMod(_ other: BigNumber, _ modulus: BigNumber, context: OpaquePointer) throws(CognitoError)
    -> BigNumber
  {
    let result = try fresh()
    try Self.check(
      crypto.BN_mod_mul(result.pointer, pointer, other.pointer, modulus.pointer, context))
    return result
  }

  /// `self - other mod m`, always non-negative.
  func subMod(_ other: BigNumber, _ modulus: BigNumber, context: OpaquePointer) throws(CognitoError)
    -> BigNumber
  {
    let result = try fresh()
    try Self.check(
      crypto.BN_mod_sub(result.pointer, pointer, other.pointer, modulus.pointer, context))
    return result
  }

  /// `self * other` (no reduction).
  func times(_ other: BigNumber, context: OpaquePointer) throws(CognitoError) -> BigNumber {
    let result = try fresh()
    try Self.check(
      crypto.BN_mul(result.pointer, pointer, other.pointer, context))
    return result
  }

  /// `self + other` (no reduction).
  func plus(_ other: BigNumber) throws(CognitoError) -> BigNumber {
    let result = try fresh()
    try Self.check(
      crypto.BN_add(result.pointer, pointer, other.pointer))
    return result
  }

  /// `self ^ exponent mod m` in constant time with respect to the exponent (m must be odd).
  func powMod(_ exponent: BigNumber, _ modulus: BigNumber, context: OpaquePointer)
    throws(CognitoError) -> BigNumber
  {
    let result = try fresh()
    try Self.check(
      crypto.BN_mod_exp_mont_consttime(
        result.pointer, pointer, exponent.pointer, modulus.pointer, context, nil))
    return result
  }
}
