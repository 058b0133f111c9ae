import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import TestSupport
import Testing

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

struct SRPCase: Codable {
  var poolId: String
  var userIdForSrp: String
  var password: String
  var smallAHex: String
  var saltHex: String
  var srpBHex: String
  var secretBlock: String
  var epochSeconds: Int
}

struct SRPReference: Codable {
  var largeAHex: String
  var keyHex: String
  var signature: String
  var timestamp: String
}

/// Runs pycognito's AWSSRP (scripts/srp_reference.py) on the cases.
func pycognitoReference(_ cases: [SRPCase]) throws -> [SRPReference] {
  try ReferenceScript.run("srp_reference.py", cases: cases, as: [SRPReference].self)
}

@Suite("SRP-6a against pycognito")
struct SRPTests {
  /// Fixed usernames and passwords, including non-ASCII ones, with seeded a, salt and B.
  static func cases() -> [SRPCase] {
    var generator = SeededGenerator(state: 20_261_130)
    let identities: [(String, String, String)] = [
      ("us-east-1_6faff8cb96344651a78c047e8a5927d0", "alice", "Passw0rd!Zz"),
      ("eu-west-1_AbCdEfGhI", "4f55ed63-94a2-495d-9411-7786e16089d8", "correct horse battery"),
      ("ap-northeast-1_Xyz123", "zoë", "Pässwörd!1"),
      ("us-west-2_Q", "用户名", "密码🔑Secret1"),
      ("us-east-1_pool", "o'brien+test@example.com", " spaces and \\ backslash "),
      ("us-east-1_pool", "bob", "e\u{301}\u{200D}emoji👩‍👩‍👧"),
    ]
    var result: [SRPCase] = []
    for (index, (pool, user, password)) in identities.enumerated() {
      var salt = generator.bytes(16)
      salt[0] |= 0x01  // Cognito's SALT has no leading zero byte (see README on SRP)
      if index % 2 == 0 { salt[0] |= 0x80 }  // exercise the sign-padding byte
      var serverB = generator.bytes(384)
      serverB[0] &= 0x7F  // keep B below N
      // Every other case uses a moto-style SECRET_BLOCK (a UUID, not Base64).
      let secretBlock =
        index % 2 == 0
        ? Data(generator.bytes(64)).base64EncodedString()
        : "6c3b343c-57d5-4f8d-a30e-68f0bb0cc117"
      result.append(
        SRPCase(
          poolId: pool, userIdForSrp: user, password: password,
          smallAHex: hex(generator.bytes(128)), saltHex: hex(salt), srpBHex: hex(serverB),
          secretBlock: secretBlock,
          epochSeconds: 1_796_058_812 + index * 86_400 * 7 + index * 3_601))
    }
    return result
  }

  @Test("A, session key, signature and timestamp match pycognito for every case")
  func matchesPycognito() throws {
    let cases = Self.cases()
    let reference = try pycognitoReference(cases)
    #expect(reference.count == cases.count)
    for (input, expected) in zip(cases, reference) {
      let srp = try SRPClient(privateValue: bytes(fromHex: input.smallAHex))
      #expect(srp.publicValueHex == expected.largeAHex, "A for \(input.userIdForSrp)")
      let poolName = String(input.poolId.split(separator: "_")[1])
      let key = try srp.sessionKey(
        poolName: poolName, userIDForSRP: input.userIdForSrp,
        password: Sensitive(input.password), saltHex: input.saltHex,
        serverPublicHex: input.srpBHex)
      #expect(hex(key) == expected.keyHex, "key for \(input.userIdForSrp)")
      let claim = try srp.passwordClaim(
        poolName: poolName, userIDForSRP: input.userIdForSrp,
        password: Sensitive(input.password), saltHex: input.saltHex,
        serverPublicHex: input.srpBHex, secretBlockBase64: input.secretBlock,
        date: Date(timeIntervalSince1970: TimeInterval(input.epochSeconds)))
      #expect(
        claim.signature.reveal == expected.signature, "signature for \(input.userIdForSrp)")
      #expect(claim.timestamp == expected.timestamp)
    }
  }

  @Test("a different password gives a different signature")
  func passwordMatters() throws {
    let input = Self.cases()[0]
    let srp = try SRPClient(privateValue: bytes(fromHex: input.smallAHex))
    func signature(_ password: String) throws -> String {
      try srp.passwordClaim(
        poolName: "pool", userIDForSRP: "alice", password: Sensitive(password),
        saltHex: input.saltHex, serverPublicHex: input.srpBHex,
        secretBlockBase64: input.secretBlock, date: Date(timeIntervalSince1970: 0)
      ).signature.reveal
    }
    #expect(try signature("one") != signature("two"))
  }

  @Test(
    "Cognito timestamps: English, UTC, unpadded day",
    arguments: [
      (0, "Thu Jan 1 00:00:00 UTC 1970"),
      (1_796_058_812, "Mon Nov 30 17:13:32 UTC 2026"),
      (1_709_164_799, "Wed Feb 28 23:59:59 UTC 2024"),
      (1_709_251_200, "Fri Mar 1 00:00:00 UTC 2024"),
    ])
  func timestamps(epoch: Int, expected: String) {
    #expect(SRPClient.timestamp(for: Date(timeIntervalSince1970: TimeInterval(epoch))) == expected)
  }

  @Test("a server value B that is 0 mod N, or not hex, is refused")
  func badServerValue() throws {
    let srp = try SRPClient(privateValue: [1, 2, 3])
    let invalid = CognitoError.authenticationFailed(
      "the SRP challenge's SRP_B is invalid (B mod N = 0)")
    let notHex = CognitoError.authenticationFailed(
      "the SRP challenge's SALT or SRP_B is not hexadecimal")
    for (bad, expected) in [
      ("0", invalid), (SRPClient.primeHex, invalid), ("xyz", notHex), ("", notHex),
    ] {
      #expect(throws: expected, "\(bad)") {
        try srp.sessionKey(
          poolName: "p", userIDForSRP: "u", password: "pw", saltHex: "ab", serverPublicHex: bad)
      }
    }
  }

  @Test("random private values give distinct public values")
  func randomPrivateValue() throws {
    #expect(try SRPClient().publicValueHex != SRPClient().publicValueHex)
  }
}

func bytes(fromHex text: String) -> [UInt8] {
  var result: [UInt8] = []
  var index = text.startIndex
  while index < text.endIndex {
    let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
    result.append(UInt8(text[index..<next], radix: 16) ?? 0)
    index = next
  }
  return result
}
