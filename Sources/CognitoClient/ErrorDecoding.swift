package import AccountCore
import FoundationEssentials
package import HTTPStack

/// Turns a non-2xx HTTP response into a ``CognitoError``, as AWS JSON 1.1 clients do.
package enum ErrorDecoder {
  private struct Envelope: JSONReadable {
    var type: String?
    var code: String?
    var message: String?
    var capitalMessage: String?
    var reasonCode: String?

    init(type: String? = nil, code: String? = nil, message: String? = nil) {
      self.type = type
      self.code = code
      self.message = message
    }

    init(json: JSONValue, at name: String) throws(JSONError) {
      type = try json.optional("__type", in: name)
      code = try json.optional("code", in: name)
      message = try json.optional("message", in: name)
      capitalMessage = try json.optional("Message", in: name)
      reasonCode = try json.optional("reasonCode", in: name)
    }
  }

  /// Strips a `namespace#` prefix and a `:…` suffix from an error code.
  package static func sanitize(_ raw: String) -> String {
    var code = Substring(raw)
    if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
    if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
    return code.trimmedWhitespace()
  }

  /// What an error code may hold once sanitised (its `namespace#` prefix and `:…` suffix
  /// dropped): `[A-Za-z0-9_.:#-]{1,128}`, as every Cognito exception name does. Anything else
  /// is replaced by ``unknownCode`` before it can reach a terminal or a log.
  package static func isPlausibleCode(_ raw: String) -> Bool {
    (1...128).contains(raw.utf8.count)
      && raw.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
          UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
          UInt8(ascii: ":"), UInt8(ascii: "#"), UInt8(ascii: "-"):
          true
        default: false
        }
      }
  }

  /// The code and message of an AWS query-protocol error document (`<ErrorResponse><Error>
  /// <Code>…</Code><Message>…</Message>`), which IAM and signature checks in front of a JSON
  /// service may answer with (moto does); nil for anything else, an HTML page included.
  private static func xmlEnvelope(_ body: Data) -> Envelope? {
    guard body.count <= 64 << 10, let text = String(validating: body, as: UTF8.self) else {
      return nil
    }
    let trimmed = text.trimmedWhitespace()
    guard
      trimmed.hasPrefix("<?xml") || trimmed.hasPrefix("<ErrorResponse")
        || trimmed.hasPrefix("<Error>"),
      let code = XMLText.first("Code", in: trimmed)
    else { return nil }
    return Envelope(type: nil, code: code, message: XMLText.first("Message", in: trimmed))
  }

  /// The code kept for a code that fails ``isPlausibleCode(_:)``.
  package static let unknownCode = "unknown error"

  /// A code as sent, checked then sanitised; `nil` when absent or empty.
  private static func code(_ raw: String?) -> String? {
    guard let raw else { return nil }
    let code = sanitize(raw)
    guard !code.isEmpty else { return nil }
    return isPlausibleCode(code) ? code : unknownCode
  }

  /// Decodes the error in `response`; `knownSecrets` are redacted from the message.
  package static func decode(_ response: HTTPResponse, knownSecrets: [Sensitive]) -> CognitoError {
    let envelope =
      (try? Envelope(json: JSONValue.parse(response.body), at: "error"))
      ?? xmlEnvelope(response.body)
    let bodyCode = code(envelope?.type ?? envelope?.code)
    let headerCode = code(response.header("x-amzn-errortype"))
    // The body's __type wins; the header is the fallback, and only counts for a JSON body or an
    // empty one (an HTML page from a proxy is never a Cognito error).
    let code: String?
    if let bodyCode {
      code = bodyCode
    } else if envelope != nil || response.body.isEmpty {
      code = headerCode
    } else {
      code = nil
    }
    guard let code else { return .unexpectedResponse(httpStatus: response.status) }
    let rawMessage =
      envelope?.message ?? envelope?.capitalMessage ?? response.header("x-amzn-errormessage") ?? ""
    return .service(
      ServiceError(
        code: ServiceErrorCode(code: code),
        message: Redactor.redact(rawMessage, knownSecrets: knownSecrets),
        httpStatus: response.status,
        reasonCode: envelope?.reasonCode,
        requestID: response.header("x-amzn-requestid")))
  }
}
