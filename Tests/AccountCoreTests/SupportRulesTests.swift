import AccountCore
import Testing

@Suite("Support-mode rules: the ListUsers filter and the reason")
struct SupportRulesTests {
  @Test(
    "filters read and written back in ListUsers' form",
    arguments: [
      (#"email ^= "zoe""#, #"email ^= "zoe""#),
      (#"  email="zoe@example.com"  "#, #"email = "zoe@example.com""#),
      (#"cognito:user_status = "UNCONFIRMED""#, #"cognito:user_status = "UNCONFIRMED""#),
      (#"name ^= "O\"Brien \\ co""#, #"name ^= "O\"Brien \\ co""#),
      ("status = Disabled", #"status = "Disabled""#),
      ("zoe", #"username ^= "zoe""#),
      ("zoe@exa", #"email ^= "zoe@exa""#),
      ("+1555", #"phone_number ^= "+1555""#),
    ])
  func parsed(_ text: String, _ expected: String) throws {
    #expect(try UserFilter.parse(text).description == expected)
  }

  @Test(
    "filters refused with a reason",
    arguments: [
      #"custom:tier = "gold""#, #"email ^= "zoe"#, #"email = "a" and"#, "", "email = \"\u{1b}[2J\"",
    ])
  func refused(_ text: String) {
    #expect(throws: AccountError.self) { try UserFilter.parse(text) }
  }

  @Test("a reason is one line of text, trimmed, at most 500 characters")
  func reasons() throws {
    #expect(try SupportRules.checkReason("  TICKET-1 customer call ") == "TICKET-1 customer call")
    for bad in [nil, "", "   ", "two\nlines", "bell\u{07}", String(repeating: "x", count: 501)] {
      #expect(throws: AccountError.self) { try SupportRules.checkReason(bad) }
    }
  }
}
