import AccountCore
import Foundation
import Keyfile
import Testing

/// A session with recognisable token strings, for searching the bytes on disk.
func sampleSession(_ marker: String = "0") -> StoredSession {
  StoredSession(
    endpoint: "https://cognito-idp.us-east-1.amazonaws.com/", region: "us-east-1",
    userPoolID: "us-east-1_PoolSecretName", clientID: "client-id-abc",
    username: "alice-username-\(marker)",
    accessToken: Sensitive("eyJaccess.token-\(marker).sig"),
    idToken: Sensitive("eyJid.token-\(marker).sig"),
    refreshToken: Sensitive("refresh-token-\(marker)-long-lived"),
    accessTokenExpiresAt: 1_796_062_412, idTokenExpiresAt: 1_796_062_412,
    refreshTokenExpiresAt: nil, clockDrift: -3, issuedAt: 1_796_058_812)
}

let cheap = ScryptParameters.insecureForTestsOnly(logN: 4)
let fixedSalt: [UInt8] = Array(0..<16)
let fixedNonce: [UInt8] = Array(0xA0..<0xAC)

func sealed(_ session: StoredSession = sampleSession(), passphrase: String = "pass") throws
  -> [UInt8]
{
  try KeyfileFormat.sealForKnownAnswer(
    session, passphrase: Sensitive(passphrase), parameters: cheap, salt: fixedSalt,
    nonce: fixedNonce)
}

@Suite("Keyfile format")
struct KeyfileFormatTests {
  @Test("round trip")
  func roundTrip() throws {
    let bytes = try sealed()
    #expect(try KeyfileFormat.open(bytes, passphrase: "pass") == sampleSession())
  }

  @Test("a wrong passphrase is reported as such")
  func wrongPassphrase() throws {
    #expect(throws: KeyfileError.wrongPassphrase(path: "<memory>")) {
      try KeyfileFormat.open(try sealed(), passphrase: "other")
    }
  }

  @Test("every single-byte flip of the file is rejected")
  func everyFlip() throws {
    let bytes = try sealed()
    for offset in bytes.indices {
      var damaged = bytes
      damaged[offset] ^= 0x5A
      #expect(throws: KeyfileError.self, "flip at \(offset)") {
        try KeyfileFormat.open(damaged, passphrase: "pass")
      }
    }
  }

  @Test("truncation at every length is rejected")
  func everyTruncation() throws {
    let bytes = try sealed()
    for length in 0..<bytes.count {
      #expect(throws: KeyfileError.self, "length \(length)") {
        try KeyfileFormat.open(Array(bytes.prefix(length)), passphrase: "pass")
      }
    }
  }

  @Test("each kind of damage has its own error")
  func distinctErrors() throws {
    let bytes = try sealed()
    var version = bytes
    version[8] = 3
    #expect(throws: KeyfileError.unsupportedVersion(path: "<memory>", version: 3)) {
      try KeyfileFormat.open(version, passphrase: "pass")
    }
    version[8] = 1
    #expect(throws: KeyfileError.outdated(path: "<memory>", version: 1)) {
      try KeyfileFormat.open(version, passphrase: "pass")
    }
    #expect(throws: KeyfileError.truncated(path: "<memory>")) {
      try KeyfileFormat.open(Array(bytes.dropLast()), passphrase: "pass")
    }
    var body = bytes
    body[body.count - 20] ^= 1
    #expect(throws: KeyfileError.tampered(path: "<memory>")) {
      try KeyfileFormat.open(body, passphrase: "pass")
    }
    var header = bytes
    header[20] ^= 1
    #expect(throws: KeyfileError.damaged(path: "<memory>", detail: "header checksum mismatch")) {
      try KeyfileFormat.open(header, passphrase: "pass")
    }
    #expect(throws: KeyfileError.notAKeyfile(path: "<memory>")) {
      try KeyfileFormat.open(Array("{\"json\": true}".utf8), passphrase: "pass")
    }
    #expect(
      throws: KeyfileError.damaged(path: "<memory>", detail: "unexpected bytes after the end")
    ) {
      try KeyfileFormat.open(bytes + [0], passphrase: "pass")
    }
  }

  @Test("the bytes hold no token, username or pool id in clear")
  func noPlaintext() throws {
    let bytes = try sealed()
    let text = String(decoding: bytes, as: UTF8.self)
    for secret in [
      "eyJaccess", "token-0", "refresh-token", "alice-username", "PoolSecretName", "client-id-abc",
    ] {
      #expect(!text.contains(secret), "\(secret) found in the keyfile")
    }
  }

  /// The pinned bytes of version 2 for fixed inputs; a format change must update this on purpose.
  static let knownAnswerHex =
    "894347414b0d0a1a02010a0000000800000001000102030405060708090a0b0c0d0e0f01a0a1a2a3"
    + "a4a5a6a7a8a9aaab7fd2d65d8c1c18e9260e33db2e2c87e2000001926306281ca63c71b417f9f086"
    + "e76d231a0e0996a814d7554240b14ba40548772ebe7a4db8fc9c4c69d4ba338c67ea0841f21a7691"
    + "9e9467804f0c79d08964ec4a3fb6487fcc96ce11cbd9b013a4a094ae6de03aef68f14ed195b3c98e"
    + "03ee9979ff3458f52332f99a9eaa5823fd7fa2589b3bf0f4048145d103c1dd697620d0f9600d6a18"
    + "eb1ba5a00b5ba23d666b28f6dcbd97f45309043b2f7d594366cea502a50b0ac3a772d15d379af47f"
    + "f2a882d778a010efa49788e57c9cfbfe7ca0a23800acbc8565a9309abee1a970566268a604a82723"
    + "4d01cfe050eff7712e6e185840431576d840c102dd2559e9410526e7e1d29eb17f73b7a3b21846c1"
    + "2c66e50fa9a9b0acb5af04db881e0d20aee4c3c7d0d11c5580047cfc1aa5dbd7c790bd0d0dc95dd5"
    + "48f0d9b79edf19d68a50507d6502a60cc10e5704b9a68e438a772025a0b2793f3d0594267d74fab7"
    + "6e1fc2c2aa170cc1f37c94abd0bbfed3c89d6d80516c288ce6180f563c3d2c4e345593eef477acf3"
    + "1c1a428ec8b9035da2e5d783832beea7070c80d634a68a30fe2bee995b57e742ea9bc51011f07ef7"
    + "b4b194920107b6b03516d5f72016"

  @Test("known-answer vector: fixed passphrase, salt and nonce give exactly these bytes")
  func knownAnswer() throws {
    let bytes = try KeyfileFormat.sealForKnownAnswer(
      sampleSession("kat"), passphrase: "correct horse battery staple",
      parameters: .insecureForTestsOnly(logN: 10), salt: fixedSalt, nonce: fixedNonce)
    let hex = bytes.map { String(format: "%02x", $0) }.joined()
    #expect(hex == Self.knownAnswerHex)
    #expect(
      try KeyfileFormat.open(bytes, passphrase: "correct horse battery staple")
        == sampleSession("kat"))
  }
}
