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
  /// (Last changed when the session's JSON was written by `JSONValue` instead of `JSONEncoder`:
  /// `/` is no longer escaped as `\/`, so the plaintext is three bytes shorter.)
  static let knownAnswerHex =
    "894347414b0d0a1a02010a0000000800000001000102030405060708090a0b0c0d0e0f01a0a1a2a3"
    + "a4a5a6a7a8a9aaab7fd2d65d8c1c18e9260e33db2e2c87e20000018f917978c826a3620d17f9f086"
    + "e76d231a0e0996a814d7554240b14ba40548772ebe7a4db8fc9c4c69d4ba338c67ea0841f21a7691"
    + "9e9467804f0c79d08964ec4a3fb6487fcc96ce11cbd9b013a4a094ae6de03aef68f14ed195b3c98e"
    + "03ee9979ff3458f52332f99a9eaa5823fd7fa2589b3bf0f4048145d103c1dd697620d0f9600d6a18"
    + "eb1ba5a00b5ba23d666b28f6afbda8b457080a2129245f0a7f84a05ffd1d46d5b22c945e67d9f468"
    + "fcbc8cce6af900aeaad7c79571d7b3887aaf933949f3f0c226c13c87dafca23547632ea80bf16231"
    + "50489ea515a4bf07286129596e5e0b5ad255db31cc7422ac540621e0eed69ab67f6ba4f8ed495ad7"
    + "3b52f449d2eca5afb2a808d5801a0734bda48a83d0d1094fb1187fcd1bec849b97cff90d0ddc479d"
    + "4ff79fa69f9917d9d3165d662609e40ecf555e09edefc813c3323b2fa9f92c736a4c9b366f2aebfb"
    + "2c49c3d1fd484bc6d0768997f690b0a0aeca248f417e769daa5a242b620d10723e5ab2eee34ba8ea"
    + "375903c99fe6445abfe1c888c07ca9e4514782df70b09c78f936ea86501be146b3d2d90a8982725a"
    + "49de19c6188db8118dab4e"

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

@Suite("Keyfile session JSON against Foundation's coder")
struct SessionJSONCompatibilityTests {
  /// Keyfiles written before `JSONValue` were Foundation's `JSONEncoder` (sorted keys, `\/`
  /// escapes); what is written now must read back with Foundation's `JSONDecoder` too.
  @Test("what JSONEncoder wrote reads the same; what we write JSONDecoder reads the same")
  func bothWays() throws {
    var session = sampleSession("compat")
    session.device = DeviceCredentials(
      key: "us-east-1_d/1", groupKey: "g", password: "p\"w/é", signInName: "zoë@example.org")
    session.idToken = "id-token"
    session.idTokenExpiresAt = 1_700_000_100
    session.refreshTokenExpiresAt = 1_800_000_000
    for value in [sampleSession("plain"), session] {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let old = Array(try encoder.encode(value))
      #expect(try StoredSession(json: JSONValue.parse(old), at: "session") == value)
      let new = value.json.serialized
      #expect(try JSONDecoder().decode(StoredSession.self, from: Data(new)) == value)
      // The same members, nested ones included: a property added to the session (or to its
      // device) without its line in `json` would be missing here.
      #expect(names(try JSONValue.parse(old)) == names(try JSONValue.parse(new)))
    }
  }

  /// Every member name in `value`, with its path.
  private func names(_ value: JSONValue, _ path: String = "") -> Set<String> {
    guard case .object(let members) = value else { return [] }
    var found: Set<String> = []
    for member in members {
      found.insert(path + member.name)
      found.formUnion(names(member.value, path + member.name + "."))
    }
    return found
  }
}
