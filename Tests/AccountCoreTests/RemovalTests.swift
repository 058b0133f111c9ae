import AccountCore
import Testing

@Suite("Removal rules, plan and report (shared by the CLI and the screen)")
struct RemovalTests {
  let account = [
    Attribute(name: "sub", value: "s-1"), Attribute(name: "email", value: "a@example.com"),
    Attribute(name: "given_name", value: "Alice"), Attribute(name: "custom:team", value: "x"),
  ]

  @Test(
    "protected names are refused before anything is sent, *_verified included",
    arguments: ["sub", "identities", "email_verified", "phone_number_verified"])
  func protected(name: String) {
    #expect(AttributeRules.isProtected(name))
    #expect(
      throws: AccountError.protectedAttribute(
        name: name, reason: AttributeRules.protectionReason(name) ?? "")
    ) {
      try RemovalPlan(names: ["given_name", name], current: account)
    }
  }

  @Test("a custom attribute ending in _verified is not protected")
  func customVerified() {
    #expect(!AttributeRules.isProtected("custom:id_verified"))
  }

  @Test("an invalid name is refused with the rule's message")
  func invalidName() {
    #expect(
      throws: AccountError.invalidAttributeName(
        name: "team",
        reason: AttributeRules.message(
          for: .missingCustomPrefix(suggestion: "custom:team"), name: "team"))
    ) { try RemovalPlan(names: ["team"], current: account) }
  }

  @Test("the plan keeps the order asked, drops duplicates, and splits present from absent")
  func plan() throws {
    let plan = try RemovalPlan(
      names: ["custom:team", "nickname", "given_name", "custom:team"], current: account)
    #expect(plan.present.map(\.name) == ["custom:team", "given_name"])
    #expect(plan.present.map(\.value) == ["x", "Alice"])
    #expect(plan.absent == ["nickname"])
    #expect(!plan.needsTypedConfirmation)
  }

  @Test(
    "email or phone_number in the set needs the typed word",
    arguments: [
      (["email"], true), (["phone_number", "given_name"], true), (["given_name"], false),
    ])
  func typedConfirmation(names: [String], expected: Bool) {
    #expect(RemovalRules.needsTypedConfirmation(names) == expected)
    let attributes = names.map { Attribute(name: $0, value: "") }
    #expect(RemovalPlan(attributes: attributes).needsTypedConfirmation == expected)
  }

  @Test("the report tells removed, not removed and not present from the read-back")
  func report() throws {
    let plan = try RemovalPlan(
      names: ["given_name", "custom:team", "nickname"], current: account)
    let after = account.filter { $0.name != "given_name" }
    let report = RemovalReport(plan: plan, after: after)
    #expect(report.removed.map(\.name) == ["given_name"])
    #expect(report.notRemoved.map(\.name) == ["custom:team"])
    #expect(report.notPresent == ["nickname"])
    #expect(!report.isComplete)
    #expect(RemovalReport(plan: plan, after: []).isComplete)
  }

  @Test("the review's consequences and the restore note")
  func consequences() {
    #expect(RemovalRules.consequence(of: "email")?.contains("password recovery by email") == true)
    #expect(RemovalRules.consequence(of: "phone_number")?.contains("SMS MFA") == true)
    #expect(RemovalRules.consequence(of: "given_name") == nil)
    #expect(RemovalRules.restoreConsequence(of: ["email"])?.contains("unverified") == true)
    #expect(RemovalRules.restoreConsequence(of: ["locale"]) == nil)
  }
}
