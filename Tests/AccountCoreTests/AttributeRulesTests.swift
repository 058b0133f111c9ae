import AccountCore
import Testing

@Suite("Attribute name rules")
struct AttributeRulesTests {
  @Test(
    "acceptable names",
    arguments: [
      "email", "given_name", "custom:team", "custom:département", "dev:x", "custom:a.b-c",
    ])
  func acceptable(name: String) {
    #expect(AttributeRules.problem(with: name) == nil)
  }

  @Test("an empty name is refused")
  func empty() { #expect(AttributeRules.problem(with: "") == .empty) }

  @Test("33 characters is one too many; 32 is fine")
  func length() {
    let thirtyTwo = "custom:" + String(repeating: "x", count: 25)
    #expect(AttributeRules.problem(with: thirtyTwo) == nil)
    #expect(AttributeRules.problem(with: thirtyTwo + "y") == .tooLong(length: 33))
  }

  @Test(
    "whitespace and control characters are refused",
    arguments: ["custom:a b", "custom:\u{1b}x", "custom:\u{7f}"])
  func invalidCharacters(name: String) {
    guard case .invalidCharacter = AttributeRules.problem(with: name) else {
      Issue.record("expected invalidCharacter for \(name.debugDescription)")
      return
    }
  }

  @Test("a bare custom name is refused with the prefixed suggestion")
  func missingPrefix() {
    #expect(
      AttributeRules.problem(with: "department")
        == .missingCustomPrefix(suggestion: "custom:department"))
    let message = AttributeRules.message(
      for: .missingCustomPrefix(suggestion: "custom:department"), name: "department")
    #expect(message.contains("custom:department"))
  }

  @Test(
    "protected names", arguments: ["sub", "identities", "email_verified", "phone_number_verified"])
  func protected(name: String) {
    #expect(AttributeRules.isProtected(name))
    #expect(AttributeRules.protectedNames[name]?.isEmpty == false)
  }

  @Test("ordinary names are not protected", arguments: ["email", "phone_number", "custom:sub"])
  func notProtected(name: String) { #expect(!AttributeRules.isProtected(name)) }
}

@Suite("MFA method choice (one rule for the CLI and the screen)")
struct MFAChoiceTests {
  private let options = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]

  @Test("a number, a wire name or a plain name picks; anything else picks nothing")
  func choice() {
    #expect(MFAMethods.choice("2", from: options) == "SOFTWARE_TOKEN_MFA")
    #expect(MFAMethods.choice(" 3 ", from: options) == "EMAIL_OTP")
    #expect(MFAMethods.choice("sms_mfa", from: options) == "SMS_MFA")
    #expect(MFAMethods.choice("Authenticator App", from: options) == "SOFTWARE_TOKEN_MFA")
    #expect(MFAMethods.choice("email", from: options) == "EMAIL_OTP")
    for bad in ["0", "4", "-1", "", "  ", "totp", "EMAIL_OTP_X"] {
      #expect(MFAMethods.choice(bad, from: options) == nil, "\(bad)")
    }
    #expect(MFAMethods.choice("EMAIL_OTP", from: ["SMS_MFA"]) == nil, "only what was offered")
  }

  @Test("the sign-in form sends the chosen method, by number or name, and refuses others")
  func screen() {
    var state = TUIState(
      header: HeaderInfo(username: nil, context: "p", region: "us-east-1", readOnly: false),
      size: TerminalSize(rows: 24, columns: 80), signedIn: false)
    state = TUIUpdate.update(state, .signInChallenge(.chooseMFA(options: options))).0
    let (refused, none) = press(state, .character("9"), .enter)
    #expect(none.isEmpty && refused.status?.severity == .error)
    #expect(press(state, .character("1"), .enter).1 == [.answerChallenge(.mfaType("SMS_MFA"))])
    let typed = "email".map { Key.character($0) } + [.enter]
    var named = state
    var effects: [TUIEffect] = []
    for key in typed { (named, effects) = TUIUpdate.update(named, .key(key)) }
    #expect(effects == [.answerChallenge(.mfaType("EMAIL_OTP"))])
  }
}
