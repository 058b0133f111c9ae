import AccountCore
import Foundation
import HTTPStack
import SigV4
import TestSupport
import Testing

/// One request for botocore and for us (scripts/sigv4_reference.py's input).
struct SigningCase: Codable {
  var method: String
  var url: String
  var params: [[String]]?
  var headers: [[String]]
  var bodyHex: String
  var accessKey: String
  var secretKey: String
  var token: String?
  var region: String
  var service: String
  var timestamp: String
}

struct SigningReference: Codable, Equatable {
  var canonicalRequest: String
  var stringToSign: String
  var signedHeaders: String
  var signature: String
  var authorization: String
}

/// Every byte but unreserved ones as `%XX`: more than SigV4 asks, so that the signer's own
/// decoding and re-encoding is exercised.
func encodeAll(_ text: String) -> String {
  text.utf8.map { byte in
    let scalar = Unicode.Scalar(byte)
    return byte < 0x80
      && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)))
      ? String(Character(scalar)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
  }.joined()
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}

@Suite("SigV4 against botocore's SigV4Auth")
struct SigV4SignerTests {
  static let epoch2015 = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

  /// Seeded requests covering what a signer can get wrong: methods, paths with dot segments,
  /// double slashes, spaces and non-ASCII; queries with repeated names, reserved characters and
  /// empty values; repeated headers, white space runs and mixed case; session tokens; empty and
  /// binary bodies; ports; dates across years.
  static func cases() -> [(SigningCase, HTTPRequest, AWSCredentials, Date)] {
    var generator = SeededGenerator(state: 20_261_203)
    let paths = [
      "/", "", "/a/b/../c/./d", "//double//slash/", "/with%20space/%C3%BCber", "/~user/x-y_z.w",
      "/trailing/", "/a/..", "/%2Fencoded%2Fslash",
    ]
    let queryParts: [[(String, String)]] = [
      [], [("Action", "ListUsers"), ("Version", "2016-04-18")],
      [("b", "2"), ("a", "1"), ("a", "0"), ("empty", "")],
      [("k y", "v+al/ue=&?"), ("ünï", "ç😀"), ("tilde~", "dash-under_dot.")],
    ]
    let hosts = [
      "https://cognito-idp.us-east-1.amazonaws.com", "http://127.0.0.1:4566",
      "https://sts.eu-west-1.amazonaws.com:443", "http://LocalHost:8080", "https://[::1]:9443",
    ]
    let headerSets: [[(String, String)]] = [
      [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUsers"),
        ("User-Agent", "cognito-account/0.1"), ("Accept", "application/json"),
      ],
      [("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
      [
        ("X-Custom", "  leading and   inner   spaces  "), ("x-custom", "second\tvalue"),
        ("Expect", "100-continue"),
      ],
      [],
    ]
    var result: [(SigningCase, HTTPRequest, AWSCredentials, Date)] = []
    for index in 0..<48 {
      let method = generator.pick(["GET", "POST", "PUT", "DELETE"])
      let path = generator.pick(paths)
      let query = generator.pick(queryParts)
      let host = generator.pick(hosts)
      let headers = generator.pick(headerSets)
      let bodyLength = generator.pick([0, 2, 17, 1000])
      let body = Data((0..<bodyLength).map { _ in UInt8.random(in: 0...255, using: &generator) })
      let withToken = index % 3 == 0
      let date = Date(
        timeIntervalSince1970: Double(
          Int.random(in: 946_684_800...4_102_444_799, using: &generator)))
      let queryText = query.map { "\(encodeAll($0.0))=\(encodeAll($0.1))" }.joined(separator: "&")
      let urlText = host + path + (queryText.isEmpty ? "" : "?" + queryText)
      let credentials = AWSCredentials(
        accessKeyID: withToken ? "ASIAEXAMPLE\(index)" : "AKIDEXAMPLE\(index)",
        secretAccessKey: Sensitive("wJalrXUtnFEMI/K7MDENG+bPxRfiCY\(index)KEY"),
        sessionToken: withToken ? Sensitive("FwoGZXIvYXdzE+token/\(index)==") : nil)
      var request = HTTPRequest(
        url: URL(string: urlText)!, headers: headers.map { ($0.0, $0.1) }, body: body)
      request.method = method
      let stamp = ISO8601DateFormatter().string(from: date)
        .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
      let signingCase = SigningCase(
        method: method, url: host + path, params: query.map { [$0.0, $0.1] },
        headers: headers.map { [$0.0, $0.1] },
        bodyHex: body.map { String($0, radix: 16).leftPadded(2) }.joined(),
        accessKey: credentials.accessKeyID, secretKey: credentials.secretAccessKey.reveal,
        token: credentials.sessionToken?.reveal,
        region: generator.pick(["us-east-1", "eu-west-1", "ap-southeast-2"]),
        service: generator.pick(["cognito-idp", "sts"]), timestamp: stamp)
      result.append((signingCase, request, credentials, date))
    }
    return result
  }

  @Test("canonical request, string to sign, signed headers and signature match botocore")
  func matchesBotocore() throws {
    let cases = Self.cases()
    let references = try ReferenceScript.run(
      "sigv4_reference.py", cases: cases.map(\.0), as: [String: [SigningReference]].self)[
        "results"]!
    #expect(references.count == cases.count)
    for ((signingCase, request, credentials, date), reference) in zip(cases, references) {
      let signer = SigV4Signer(region: signingCase.region, service: signingCase.service)
      let (signed, ours) = signer.signWithDetails(request, credentials: credentials, date: date)
      let mine = SigningReference(
        canonicalRequest: ours.canonicalRequest, stringToSign: ours.stringToSign,
        signedHeaders: ours.signedHeaders, signature: ours.signature,
        authorization: ours.authorization)
      #expect(mine == reference, "case \(signingCase.method) \(request.url)")
      #expect(signed.header("Authorization") == reference.authorization)
      #expect(signed.header("X-Amz-Security-Token") == credentials.sessionToken?.reveal)
    }
  }

  /// The published test suite's `get-vanilla` (AWS Signature Version 4 test suite).
  @Test("the published get-vanilla example")
  func getVanilla() {
    var request = HTTPRequest(
      url: URL(string: "https://example.amazonaws.com/")!, headers: [], body: Data())
    request.method = "GET"
    let credentials = AWSCredentials(
      accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    let (_, signature) = SigV4Signer(region: "us-east-1", service: "service").signWithDetails(
      request, credentials: credentials, date: Self.epoch2015)
    #expect(signature.signedHeaders == "host;x-amz-date")
    #expect(
      signature.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
  }

  @Test("signing again replaces the date, token and signature instead of adding more")
  func resigning() {
    let request = HTTPRequest(
      url: URL(string: "https://cognito-idp.us-east-1.amazonaws.com/")!,
      headers: [("Content-Type", "application/x-amz-json-1.1")], body: Data("{}".utf8))
    let signer = SigV4Signer(region: "us-east-1", service: "cognito-idp")
    let first = signer.sign(
      request,
      credentials: AWSCredentials(accessKeyID: "ASIA1", secretAccessKey: "s", sessionToken: "t1"),
      date: Self.epoch2015)
    let second = signer.sign(
      first, credentials: AWSCredentials(accessKeyID: "AKIA2", secretAccessKey: "s2"),
      date: Self.epoch2015.addingTimeInterval(60))
    #expect(second.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
    #expect(
      second.headers.filter { $0.name.lowercased() == "x-amz-date" }.map(\.value) == [
        "20150830T123700Z"
      ])
    #expect(second.header("X-Amz-Security-Token") == nil)
    #expect(second.header("Authorization")?.contains("Credential=AKIA2/") == true)
  }

  @Test("the secret never appears in what signing returns")
  func secretNotInOutput() {
    let secret = "SECRETwJalrXUtnFEMI"
    let request = HTTPRequest(
      url: URL(string: "https://cognito-idp.us-east-1.amazonaws.com/")!, headers: [], body: Data())
    let (signed, signature) = SigV4Signer(region: "us-east-1", service: "cognito-idp")
      .signWithDetails(
        request,
        credentials: AWSCredentials(accessKeyID: "AKIA", secretAccessKey: Sensitive(secret)),
        date: Self.epoch2015)
    let everything = signed.headers.map { "\($0.name): \($0.value)" }.joined() + "\(signature)"
    #expect(!everything.contains(secret))
    #expect(
      !"\(AWSCredentials(accessKeyID: "AKIA", secretAccessKey: Sensitive(secret)))".contains(secret)
    )
  }
}
