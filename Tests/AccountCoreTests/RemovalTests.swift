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

@Suite("Edit rules, plan and report (shared by the CLI and the screen)")
struct EditRulesTests {
  private let current = [
    Attribute(name: "email", value: "alice@example.com"),
    Attribute(name: "given_name", value: "Alice"),
    Attribute(name: "sub", value: "6ac2"),
  ]

  @Test("names only Cognito writes are refused with the way forward")
  func notWritable() {
    for name in ["sub", "identities", "email_verified", "phone_number_verified"] {
      #expect(throws: AccountError.self) { try EditRules.check(name: name) }
      do {
        try EditRules.check(name: name)
      } catch {
        guard case .notWritable(let refused, let reason) = error else {
          Issue.record("\(error)")
          continue
        }
        #expect(refused == name && !reason.isEmpty)
      }
    }
    #expect(
      AttributeRules.writeProtectionReason("email_verified")?.contains("change email, then verify")
        == true)
    #expect(AttributeRules.writeProtectionReason("custom:x_verified") == nil)
  }

  @Test("values: at most 2,048 characters, no control characters; wide text is fine")
  func values() {
    #expect(EditRules.problem(withValue: String(repeating: "é", count: 2048)) == nil)
    #expect(EditRules.problem(withValue: "プラットフォーム 🚀 \u{202e}") == nil)
    #expect(
      EditRules.problem(withValue: String(repeating: "a", count: 2049))?.contains("2049") == true)
    for control in ["a\u{1b}]0;x\u{07}", "line\nbreak", "nul\u{0}", "del\u{7f}"] {
      #expect(EditRules.problem(withValue: control)?.contains("control character") == true)
    }
  }

  @Test("a plan keeps the order, drops values already set, and marks additions")
  func plan() throws {
    let plan = try EditPlan(
      changes: [
        ("given_name", "Alicia"), ("nickname", "al"), ("email", "alice@example.com"),
        ("given_name", "Ally"),
      ],
      current: current)
    #expect(
      plan.edits == [
        AttributeEdit(name: "given_name", old: "Alice", new: "Ally"),
        AttributeEdit(name: "nickname", old: nil, new: "al"),
      ])
    #expect(plan.unchanged == ["email"])
    #expect(!plan.needsTypedConfirmation)
    let email = try EditPlan(changes: [("email", "z@example.org")], current: current)
    #expect(email.needsTypedConfirmation)
    #expect(EditRules.consequence(of: email.edits[0])?.contains("code") == true)
    #expect(throws: AccountError.self) { try EditPlan(changes: [("nick", "x")], current: current) }
  }

  @Test("the report tells changed, waiting for verification, unchanged and failed apart")
  func report() throws {
    let plan = try EditPlan(
      changes: [
        ("email", "z@example.org"), ("phone_number", "+15550000"), ("given_name", "Al"),
        ("locale", "sv"), ("given_name", "Al"),
      ],
      current: current + [Attribute(name: "locale", value: "sv")])
    let after = [
      Attribute(name: "email", value: "alice@example.com"),
      Attribute(name: "phone_number", value: "+15550000"),
      Attribute(name: "given_name", value: "Alice"),
    ]
    let deliveries = [
      CodeDelivery(attribute: "email", medium: "EMAIL", destination: "z***@e***"),
      CodeDelivery(attribute: "phone_number", medium: "SMS", destination: "+*****0000"),
    ]
    let report = EditReport(plan: plan, deliveries: deliveries, after: after)
    #expect(
      report.outcomes.map(\.outcome) == [.awaitingVerification, .changed, .failed, .unchanged])
    #expect(report.failed == ["given_name"])
    #expect(
      report.verificationNotes == [
        "A code went to z***@e***; email keeps its old value until you enter it",
        "A code went to +*****0000; phone_number is unverified until you enter it",
      ])
  }
}
