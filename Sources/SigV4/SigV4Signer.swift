public import AccountCore
import Crypto
public import FoundationEssentials
public import HTTPStack
import Synchronization

/// AWS credentials: an access key pair and, for temporary credentials, a session token.
public struct AWSCredentials: Sendable, Hashable {
  /// `AKIA…` (long-term) or `ASIA…` (temporary). Not a secret: it names the key.
  public var accessKeyID: String
  /// The secret half; only ever fed to HMAC.
  public var secretAccessKey: Sensitive
  /// The session token of temporary credentials, sent as `X-Amz-Security-Token`.
  public var sessionToken: Sensitive?
  /// When temporary credentials stop working; nil for long-term keys.
  public var expiration: Date?

  /// Creates credentials.
  public init(
    accessKeyID: String, secretAccessKey: Sensitive, sessionToken: Sensitive? = nil,
    expiration: Date? = nil
  ) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.expiration = expiration
  }
}

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) in the `Authorization` header.
///
/// Pure: a request, credentials, a region, a service and a moment in; the signed request out.
/// It follows the published algorithm as botocore's `SigV4Auth` applies it, and is tested against
/// it: every header present is signed except hop-by-hop ones, `User-Agent` and `X-Amzn-Trace-Id`;
/// `Host` is the one the transport writes; the path is normalised and URI-encoded once more (all
/// services but S3); the payload hash is SHA-256 of the body.
public struct SigV4Signer: Sendable {
  /// The region in the credential scope (`us-east-1`).
  public let region: String
  /// The signing name in the credential scope (`cognito-idp`, `sts`).
  public let service: String

  /// Headers never signed (botocore's list): hop-by-hop headers and those that proxies and
  /// clients may change on the way.
  static let unsignedHeaders: Set<String> = [
    "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
    "x-amzn-trace-id",
  ]

  /// The last derived signing key: it changes only with the day or the secret, so the four
  /// HMACs of its derivation are not repeated for every request.
  private let keyCache = SigningKeyCache()

  /// Creates a signer for one region and service.
  public init(region: String, service: String) {
    self.region = region
    self.service = service
  }

  /// What signing produced, for the tests: the canonical request holds the session token, so
  /// it stays inside the package.
  package struct Signature: Sendable, Equatable {
    /// The canonical request that was hashed.
    package var canonicalRequest: String
    /// The string that was signed.
    package var stringToSign: String
    /// `content-type;host;x-amz-date;…`.
    package var signedHeaders: String
    /// 64 lower-case hex digits.
    package var signature: String
    /// The `Authorization` header value.
    package var authorization: String
  }

  /// Returns `request` with `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials) and
  /// `Authorization` set; earlier values of those headers are replaced.
  public func sign(_ request: HTTPRequest, credentials: AWSCredentials, date: Date) -> HTTPRequest {
    signWithDetails(request, credentials: credentials, date: date).request
  }

  /// Signs `request` and returns the intermediate values as well.
  package func signWithDetails(_ request: HTTPRequest, credentials: AWSCredentials, date: Date)
    -> (request: HTTPRequest, signature: Signature)
  {
    let stamp = AMZDate(date)
    var signed = request
    signed.headers.removeAll {
      let name = $0.name.lowercased()
      return name == "authorization" || name == "x-amz-date" || name == "x-amz-security-token"
    }
    signed.headers.append(("X-Amz-Date", stamp.dateTime))
    if let token = credentials.sessionToken {
      signed.headers.append(("X-Amz-Security-Token", token.reveal))
    }
    let scope = "\(stamp.date)/\(region)/\(service)/aws4_request"
    let (canonical, signedHeaders) = Self.canonicalRequest(signed)
    let stringToSign = [
      "AWS4-HMAC-SHA256", stamp.dateTime, scope, Self.hex(SHA256.hash(data: Data(canonical.utf8))),
    ].joined(separator: "\n")
    let key = signingKey(secret: credentials.secretAccessKey, date: stamp.date)
    let signature = Self.hex(
      HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    let authorization =
      "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
      + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    signed.headers.append(("Authorization", authorization))
    return (
      signed,
      Signature(
        canonicalRequest: canonical, stringToSign: stringToSign, signedHeaders: signedHeaders,
        signature: signature, authorization: authorization)
    )
  }

  /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
  func signingKey(secret: Sensitive, date: String) -> SymmetricKey {
    if let cached = keyCache.key(secret: secret, date: date) { return cached }
    var key = SymmetricKey(data: Data(("AWS4" + secret.reveal).utf8))
    for part in [date, region, service, "aws4_request"] {
      key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key))
    }
    keyCache.store(key, secret: secret, date: date)
    return key
  }

  /// The canonical request and the signed header list.
  static func canonicalRequest(_ request: HTTPRequest) -> (String, String) {
    var pairs: [(name: String, value: String)] = [("host", request.hostHeader)]
    for (name, value) in request.headers {
      let lower = name.lowercased()
      guard !unsignedHeaders.contains(lower), lower != "host" else { continue }
      pairs.append((lower, trimmedValue(value)))
    }
    // Sorted by name, repeated names keeping their order, their values joined by commas.
    let sorted = pairs.enumerated().sorted {
      $0.element.name != $1.element.name ? $0.element.name < $1.element.name : $0.offset < $1.offset
    }.map(\.element)
    var canonicalHeaders = ""
    var names: [String] = []
    for (name, value) in sorted {
      if names.last == name {
        canonicalHeaders.removeLast()
        canonicalHeaders += "," + value + "\n"
      } else {
        names.append(name)
        canonicalHeaders += name + ":" + value + "\n"
      }
    }
    let signedHeaders = names.joined(separator: ";")
    let canonical = [
      request.method.uppercased(),
      canonicalPath(request.url),
      canonicalQuery(request.url),
      canonicalHeaders,
      signedHeaders,
      hex(SHA256.hash(data: request.body)),
    ].joined(separator: "\n")
    return (canonical, signedHeaders)
  }

  /// The path as sent (percent-encoded), normalised (empty and `.` segments dropped, `..`
  /// applied), then encoded once more, leaving `/` and `~`.
  static func canonicalPath(_ url: URL) -> String {
    let path = url.path(percentEncoded: true)
    var segments: [Substring] = []
    for segment in path.split(separator: "/") where segment != "." {
      if segment == ".." {
        if !segments.isEmpty { segments.removeLast() }
      } else {
        segments.append(segment)
      }
    }
    var normalised = "/" + segments.joined(separator: "/")
    if path.hasSuffix("/"), !segments.isEmpty { normalised += "/" }
    return uriEncode(normalised, keeping: "/~")
  }

  /// Query parameters decoded, then each name and value URI-encoded and sorted by name, then
  /// value.
  static func canonicalQuery(_ url: URL) -> String {
    guard let query = url.query(percentEncoded: true), !query.isEmpty else { return "" }
    let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map {
      part -> (String, String) in
      let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = percentDecoded(halves[0])
      let value = halves.count > 1 ? percentDecoded(halves[1]) : ""
      return (uriEncode(name, keeping: "~"), uriEncode(value, keeping: "~"))
    }
    return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
      .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
  }

  /// Every byte but the unreserved `A–Z a–z 0–9 - _ . ~` as `%XX` (upper-case hex): SigV4's
  /// URI encoding, also what AWS query-protocol bodies use.
  public static func percentEncode(_ text: String) -> String {
    uriEncode(text, keeping: "~")
  }

  /// Every byte but `A–Z a–z 0–9 - _ .` and those in `keeping` as `%XX` (upper-case hex).
  static func uriEncode(_ text: String, keeping: String) -> String {
    PlainFormat.percentEncoded(text, keeping: keeping)
  }

  /// `%XX` sequences decoded (a malformed one kept as it is); `+` is kept (not a space).
  static func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8)[...]
    while let byte = iterator.popFirst() {
      if byte == UInt8(ascii: "%"), iterator.count >= 2,
        let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        iterator = iterator.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Leading and trailing white space removed and inner runs of it replaced by one space.
  static func trimmedValue(_ value: String) -> String {
    // Most values have nothing to trim: no leading, trailing or doubled white space.
    var previousWasSpace = true
    var clean = true
    for byte in value.utf8 {
      let isSpace = byte == 0x20 || (0x09...0x0D).contains(byte) || byte >= 0x80
      if isSpace && (previousWasSpace || byte != 0x20) {
        clean = false
        break
      }
      previousWasSpace = isSpace
    }
    if clean && !previousWasSpace { return value }
    return value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in bytes {
      out.append(hexDigits[Int(byte >> 4)])
      out.append(hexDigits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// `20261203T072634Z` and `20261203` for one moment, in UTC.
struct AMZDate {
  /// `YYYYMMDDTHHMMSSZ`.
  var dateTime: String
  /// `YYYYMMDD`.
  var date: String

  init(_ moment: Date) {
    let time = PlainFormat.CivilTime(
      epochSeconds: Int(moment.timeIntervalSince1970.rounded(.down)))
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    date = "\(time.year)\(two(time.month))\(two(time.day))"
    dateTime = date + "T" + two(time.hour) + two(time.minute) + two(time.second) + "Z"
  }
}

/// One derived signing key, with the secret and day it was derived for.
final class SigningKeyCache: Sendable {
  private let entry = Mutex<(secret: Sensitive, date: String, key: SymmetricKey)?>(nil)

  func key(secret: Sensitive, date: String) -> SymmetricKey? {
    entry.withLock { cached in
      guard let cached, cached.date == date, cached.secret == secret else { return nil }
      return cached.key
    }
  }

  func store(_ key: SymmetricKey, secret: Sensitive, date: String) {
    entry.withLock { $0 = (secret, date, key) }
  }
}
