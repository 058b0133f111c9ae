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
