import AccountCore
import AccountView
import Testing

@Suite("The support screen's update and layout")
struct SupportScreenTests {
  static func user(_ name: String, enabled: Bool = true, values: Int = 3) -> SupportUser {
    SupportUser(
      username: name, sub: "sub-\(name)", status: "CONFIRMED", enabled: enabled, created: 0,
      attributes: (0..<values).map { Attribute(name: "custom:a\($0)", value: "value \($0)") }
        + [Attribute(name: "sub", value: "sub-\(name)")],
      groups: [])
  }

  static func opened(_ user: SupportUser, rows: Int = 24) -> SupportScreenState {
    var state = SupportScreenState(
      userPool: "us-east-1_X", readOnly: false, size: TerminalSize(rows: rows, columns: 80),
      lineStyle: .ascii)
    state.results = [user, Self.user("other")]
    state.user = SupportUserView(user: user)
    return state
  }

  @Test("q never quits while a write is on its way; it does while reading")
  func quitWhileWriting() {
    var state = Self.opened(Self.user("zoe"))
    state.busy = .writing("AdminDisableUser")
    let (writing, _) = SupportUpdate.update(state, .key(.character("q")))
    #expect(!writing.quitting)
    #expect(writing.status?.text.contains("on its way") == true)
    state.busy = .loadingUser
    #expect(SupportUpdate.update(state, .key(.character("q"))).0.quitting)
  }

  @Test("after a write the results row shows the user as now")
  func resultsUpdated() {
    let state = Self.opened(Self.user("zoe"))
    let (next, _) = SupportUpdate.update(
      state, .written(Self.user("zoe", enabled: false), "done", .info))
    #expect(next.results[0].enabled == false)
    #expect(next.user?.user.enabled == false)
  }

  @Test("a reason is asked before the review, and Esc sends nothing")
  func reasonThenReview() {
    var state = Self.opened(Self.user("zoe"))
    var effects: [SupportEffect]
    (state, effects) = SupportUpdate.update(state, .key(.character("x")))
    guard case .reason(.action(.disable), _)? = state.modal else {
      Issue.record("no reason dialog: \(String(describing: state.modal))")
      return
    }
    (state, effects) = SupportUpdate.update(state, .key(.enter))
    #expect(state.status?.text.contains("needs a reason") == true)
    for character in "T-1" {
      (state, effects) = SupportUpdate.update(state, .key(.character(character)))
    }
    (state, effects) = SupportUpdate.update(state, .key(.enter))
    guard case .review(.action(.disable), "T-1", "")? = state.modal else {
      Issue.record("no review")
      return
    }
    (state, effects) = SupportUpdate.update(state, .key(.character("y")))
    #expect(effects.isEmpty)  // disabling needs the user name typed; y is just a letter
    (state, effects) = SupportUpdate.update(state, .key(.escape))
    #expect(state.modal == nil && effects.isEmpty)
  }

  @Test("a long removal review keeps the reason, the consequences and the prompt on a short screen")
  func longReviewFits() {
    let user = Self.user("zoe", values: 40)
    var state = Self.opened(user, rows: 16)
    state.modal = .review(
      .remove(
        user.attributes.filter { !$0.isProtected } + [Attribute(name: "email", value: "z@x")]),
      reason: "T-9", typed: "")
    let text = SupportRenderer.render(state).text
    #expect(text.contains("Reason: T-9"))
    #expect(text.contains("more"))
    #expect(text.contains("Type delete to send it"))
  }
}
