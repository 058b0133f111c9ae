import AccountCore
import Crypto
import FoundationEssentials

/// The keyfile's bytes, version 2. Pure: no I/O.
///
/// Version 2 added the endpoint and region to the session inside (version 1 did not record
/// where a session was made, so a version-1 file is refused with ``KeyfileError/outdated(path:version:)``
/// before any passphrase is asked: its tokens could be sent to whatever endpoint is configured).
///
/// ```
/// offset size
///  0      8  magic            89 43 47 41 4B 0D 0A 1A  ("\x89CGAK\r\n\x1a")
///  8      1  format version   2
///  9      1  KDF id           1 = scrypt
/// 10      1  log2 N
/// 11      4  r                big-endian
/// 15      4  p                big-endian
/// 19     16  salt
/// 35      1  AEAD id          1 = ChaCha20-Poly1305
/// 36     12  nonce
/// 48     16  key check        HMAC-SHA256(master, "…key check")[0..<16]
/// 64      4  ciphertext length (without the tag), big-endian
/// 68      8  header checksum  SHA-256(bytes 0..<68)[0..<8]
/// 76      n  ciphertext       ChaCha20-Poly1305(JSON session), AAD = bytes 0..<76
/// 76+n   16  tag
/// ```
/// The checksum tells a damaged header from a wrong passphrase; the key check tells a wrong
/// passphrase from altered ciphertext; the AEAD tag authenticates everything.
public enum KeyfileFormat {
  /// The version this build writes and reads.
  public static let currentVersion = 2
  /// Versions this build recognises but no longer uses: refused with a clear message.
  static let outdatedVersions = 1..<currentVersion
  static let magic: [UInt8] = [0x89, 0x43, 0x47, 0x41, 0x4B, 0x0D, 0x0A, 0x1A]
  static let headerLength = 76
  static let saltLength = 16
  static let nonceLength = 12
  static let tagLength = 16
  static let maximumPlaintext = 1 << 20

  /// The parsed header of a keyfile.
  public struct Header: Sendable, Hashable {
    /// scrypt parameters.
    public var parameters: ScryptParameters
    /// The scrypt salt.
    public var salt: [UInt8]
    /// The AEAD nonce.
    public var nonce: [UInt8]
    /// The key-check value.
    var keyCheck: [UInt8]
    /// The ciphertext length (without the tag).
    var ciphertextLength: Int
  }

  /// Encrypts `session` into keyfile bytes with the given salt and nonce.
  static func seal(
    _ session: StoredSession, key: DerivedKey, parameters: ScryptParameters, salt: [UInt8],
    nonce: [UInt8]
  ) throws(KeyfileError) -> [UInt8] {
    var plaintext = session.json.serialized
    defer { plaintext.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    var header: [UInt8] = magic
    header.append(UInt8(currentVersion))
    header.append(1)
    header.append(parameters.logN)
    header += bigEndian(parameters.r)
    header += bigEndian(parameters.p)
    header += salt
    header.append(1)
    header += nonce
    header += key.keyCheck
    header += bigEndian(UInt32(plaintext.count))
    header += Array(SHA256.hash(data: header).prefix(8))
    do {
      let box = try ChaChaPoly.seal(
        plaintext, using: key.encryptionKey, nonce: ChaChaPoly.Nonce(data: nonce),
        authenticating: header)
      return header + Array(box.ciphertext) + Array(box.tag)
    } catch {
      throw .damaged(path: "", detail: "encryption failed")
    }
  }

  /// Reads and checks the header; throws the specific error for each kind of bad input.
  static func parseHeader(_ bytes: [UInt8], path: String) throws(KeyfileError) -> Header {
    let prefix = min(bytes.count, magic.count)
    guard Array(bytes[0..<prefix]) == Array(magic[0..<prefix]) else {
      throw .notAKeyfile(path: path)
    }
    guard bytes.count > magic.count else { throw .truncated(path: path) }
    let version = Int(bytes[8])
    if outdatedVersions.contains(version) { throw .outdated(path: path, version: version) }
    guard version == currentVersion else { throw .unsupportedVersion(path: path, version: version) }
    guard bytes.count >= headerLength else { throw .truncated(path: path) }
    // Arrays, not slices, into swift-crypto: each other byte type its generic code meets costs
    // the Swift runtime a scan of the binary's conformance records, at every start.
    guard Array(SHA256.hash(data: Array(bytes[0..<68])).prefix(8)) == Array(bytes[68..<76]) else {
      throw .damaged(path: path, detail: "header checksum mismatch")
    }
    guard bytes[9] == 1 else { throw .damaged(path: path, detail: "unknown key derivation") }
    guard bytes[35] == 1 else { throw .damaged(path: path, detail: "unknown cipher") }
    guard
      let parameters = ScryptParameters(
        header: bytes[10], r: readUInt32(bytes, at: 11), p: readUInt32(bytes, at: 15))
    else { throw .damaged(path: path, detail: "scrypt parameters out of range") }
    let length = Int(readUInt32(bytes, at: 64))
    guard length <= maximumPlaintext else {
      throw .damaged(path: path, detail: "impossible length")
    }
    let expected = headerLength + length + tagLength
    guard bytes.count >= expected else { throw .truncated(path: path) }
    guard bytes.count == expected else {
      throw .damaged(path: path, detail: "unexpected bytes after the end")
    }
    return Header(
      parameters: parameters, salt: Array(bytes[19..<35]), nonce: Array(bytes[36..<48]),
      keyCheck: Array(bytes[48..<64]), ciphertextLength: length)
  }

  /// Decrypts keyfile bytes whose header was parsed, with a key derived for that header.
  static func open(_ bytes: [UInt8], header: Header, key: DerivedKey, path: String)
    throws(KeyfileError) -> StoredSession
  {
    guard key.keyCheck == header.keyCheck else { throw .wrongPassphrase(path: path) }
    let ciphertextEnd = headerLength + header.ciphertextLength
    var plaintext: [UInt8]
    do {
      // The combined form (nonce, ciphertext, tag) built here as `Data`: the separate parts
      // went through swift-crypto's generic `Data` appending, which the runtime first looks up.
      let box = try ChaChaPoly.SealedBox(
        combined: Data(header.nonce + bytes[headerLength..<(ciphertextEnd + tagLength)]))
      plaintext = Array(
        try ChaChaPoly.open(
          box, using: key.encryptionKey, authenticating: Array(bytes[0..<headerLength])))
    } catch {
      throw .tampered(path: path)
    }
    defer { plaintext.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    do {
      return try StoredSession(json: JSONValue.parse(plaintext), at: "session").clamped()
    } catch {
      throw .damaged(path: path, detail: "the session inside is unreadable")
    }
  }

  private static func bigEndian(_ value: UInt32) -> [UInt8] {
    [
      UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
      UInt8(value & 0xFF),
    ]
  }

  private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
  }
}
