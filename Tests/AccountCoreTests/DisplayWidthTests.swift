import AccountCore
import AccountView
import Foundation
import TestSupport
import Testing

@Suite("Display width")
struct DisplayWidthTests {
  @Test("every printable scalar up to U+3FFFF has glibc's wcwidth (what ncursesw draws with)")
  func matchesGlibc() throws {
    let scalars = (UInt32(0x20)...0x3FFFF).filter { !(0x7F...0x9F).contains($0) }
    let data = try ReferenceScript.run(
      "wcwidth_reference.py",
      input: Data(scalars.map(String.init).joined(separator: "\n").utf8))
    var compared = 0
    var differences: [String] = []
    // U+1171E: Swift's and glibc's Unicode versions disagree on its category.
    let knownVersionSkew: Set<UInt32> = [0x1171E]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: " ")
      guard parts.count == 2, let value = UInt32(parts[0]), let expected = Int(parts[1]),
        let scalar = Unicode.Scalar(value), !knownVersionSkew.contains(value)
      else { continue }
      compared += 1
      if DisplayWidth.of(scalar) != expected {
        differences.append(
          "U+\(String(value, radix: 16)) ours \(DisplayWidth.of(scalar)) glibc \(expected)")
      }
    }
    #expect(compared > 140_000)
    #expect(differences.isEmpty, "\(differences.prefix(20))")
  }

  @Test(
    "strings",
    arguments: [
      ("abc", 3), ("Zoë", 3), ("e\u{301}", 1), ("用户名", 6), ("🚀", 2), ("👩‍👩‍👧", 2), ("🇫🇷", 2), ("", 0),
    ])
  func strings(text: String, width: Int) { #expect(DisplayWidth.of(text) == width) }

  @Test("truncation by cells ends in an ellipsis and never splits a wide character")
  func truncation() {
    #expect(DisplayWidth.truncate("hello world", to: 5) == "hell…")
    #expect(DisplayWidth.truncate("用户名用户名", to: 6) == "用户…")
    #expect(DisplayWidth.truncate("用户名用户名", to: 5) == "用户…")
    #expect(DisplayWidth.truncate("short", to: 10) == "short")
  }

  @Test("the attribute table aligns by display width and escapes values")
  func table() {
    let lines = AttributeTable.render([
      (name: "email", value: "a@example.com"), (name: "custom:名前", value: "用户\u{1b}[31m"),
      (name: "sub", value: nil),
    ])
    #expect(
      lines == [
        "NAME         VALUE",
        "email        a@example.com",
        "custom:名前  用户\\e[31m",
        "sub          ",
      ])
  }
}

@Suite("One mapping from errors to status lines and exit codes")
struct StatusLineTests {
  @Test(
    "exit codes",
    arguments: [
      (AccountError.notSignedIn, Int32(2)),
      (.sessionEnded(code: "NotAuthorizedException"), 2),
      (.protectedAttribute(name: "sub", reason: "r"), 3),
      (.notWritable(name: "sub", reason: "r"), 3),
      (.readOnly(action: "delete"), 3),
      (.notConfirmed(nothing: "removed"), 3),
      (.confirmationUnavailable(action: "remove attributes"), 3),
      (.keyfile(message: "m"), 3),
      (.invalidAttributeName(name: "x", reason: "r"), 3),
      (
        .service(ServiceProblem(kind: .rateLimited, code: "TooManyRequestsException", message: "")),
        4
      ),
      (.network(message: "m"), 1),
      (.unexpectedResponse(message: "m"), 1),
    ])
  func exitCodes(error: AccountError, code: Int32) {
    #expect(StatusLine(error: error).exitCode == code)
    #expect(StatusLine(error: error).rendered.hasPrefix("Error: "))
  }

  @Test(
    "plain language with the exception name and the next step",
    arguments: [
      (
        ServiceProblem.Kind.userNotConfirmed, "UserNotConfirmedException",
        "confirm it from the sign-up email"
      ),
      (.forbidden, "ForbiddenException", "web firewall"),
      (.rateLimited, "TooManyRequestsException", "try again in a minute"),
      (.passwordResetRequired, "PasswordResetRequiredException", "reset"),
      (.resourceNotFound, "ResourceNotFoundException", "region"),
      (.verificationCodeMismatch, "CodeMismatchException", "ask for a new code"),
      (.verificationCodeExpired, "ExpiredCodeException", "ask for a new code"),
      (.wrongCurrentPassword, "NotAuthorizedException", "current password is wrong"),
      (.passwordReused, "PasswordHistoryPolicyViolationException", "used before"),
      (.limitExceeded, "LimitExceededException", "try again later"),
      (.aliasExists, "AliasExistsException", "Another account already uses"),
      (.codeDeliveryFailure, "CodeDeliveryFailureException", "could not send the code"),
      (.lambdaRejected, "UserLambdaValidationException", "Lambda trigger"),
    ])
  func serviceLines(kind: ServiceProblem.Kind, code: String, fragment: String) {
    let line = StatusLine(error: .service(ServiceProblem(kind: kind, code: code, message: "")))
    #expect(line.text.hasPrefix(code + ": "))
    #expect(line.text.contains(fragment))
  }

  @Test("a session that ended says to sign in again")
  func sessionEnded() {
    #expect(
      StatusLine(error: .sessionEnded(code: "NotAuthorizedException")).text.contains(
        "cognito-account login"))
  }
}
