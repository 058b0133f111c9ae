import AccountCore
import AccountView
import Testing

private func setupState(_ draft: ProfileDraft = ProfileDraft(), replacing: Bool = false)
  -> TUIState
{
  TUIState(
    setup: SetupForm(
      profileName: "default", configPath: "/home/zoe/.config/cognito-account/config.toml",
      replacing: replacing, draft: draft),
    size: TerminalSize(rows: 24, columns: 80))
}

private func rendered(_ state: TUIState) -> String {
  AccountRenderer.render(state).rows.map { row in
    var text = row.text
    while text.last == " " { text.removeLast() }
    return text
  }.joined(separator: "\n")
}

@Suite("The set-up form (pure logic and rendering)")
struct SetupFormTests {
  @Test("pool id, then the region fills itself in; every line typed; Enter on the last saves")
  func fillAndSave() {
    var (state, _) = typing(setupState(), "eu-west-1_AbC123")
    (state, _) = press(state, .enter)
    #expect(state.setup?.field == .region)
    #expect(state.setup?.editor.text == "eu-west-1", "derived from the pool id")
    (state, _) = press(state, .enter)
    (state, _) = typing(state, "1example23456789")
    (state, _) = press(state, .tab, .tab)
    #expect(state.setup?.field == .signInFlow)
    (state, _) = press(state, .character(" "), .down, .right)
    #expect(state.setup?.draft.passwordFlow == true && state.setup?.draft.readOnly == true)
    let (saving, effects) = press(state, .enter)
    var expected = ProfileDraft()
    expected.userPoolID = "eu-west-1_AbC123"
    expected.region = "eu-west-1"
    expected.clientID = "1example23456789"
    expected.passwordFlow = true
    expected.readOnly = true
    #expect(effects == [.saveProfile(expected)])
    #expect(saving.busy == .checkingProfile)
    #expect(press(saving, .character("x")).0 == saving, "keys wait while Cognito is asked")
  }

  @Test("a malformed pool id is refused here: the line says why, the cursor goes back to it")
  func malformedPool() {
    var (state, _) = typing(setupState(), "nope")
    (state, _) = press(state, .down, .down)
    (state, _) = typing(state, "client1")
    let (refused, effects) = press(state, .down, .down, .down, .enter)
    #expect(effects.isEmpty)
    #expect(refused.setup?.field == .userPoolID)
    #expect(refused.status?.severity == .error)
    #expect(refused.status?.text.contains("'nope' is not a user pool id") == true)
    #expect(refused.setup?.draft.clientID == "client1", "the other lines are kept")
    #expect(rendered(refused).contains("'nope' is not a user pool id"))
  }

  @Test("Cognito's no: the line at fault gets the cursor, nothing typed is lost")
  func checkFailed() {
    var draft = ProfileDraft()
    draft.userPoolID = "us-east-1_Wrong1"
    draft.region = "us-east-1"
    draft.clientID = "client1"
    draft.clientSecretFile = "/tmp/secret"
    var state = setupState(draft)
    (state, _) = press(state, .down, .down, .down, .down, .down, .enter)
    #expect(state.busy == .checkingProfile)
    (state, _) = TUIUpdate.update(
      state,
      .profileFailed(
        .configuration(message: "Cognito has no user pool us-east-1_Wrong1"), field: .userPoolID))
    #expect(state.busy == nil)
    #expect(state.setup?.field == .userPoolID)
    #expect(state.setup?.editor.text == "us-east-1_Wrong1")
    #expect(state.setup?.draft == draft)
    #expect(!state.quitting)
    (state, _) = TUIUpdate.update(state, .profileSaved("Profile 'default' saved"))
    #expect(state.profileSaved && state.quitting && state.setup == nil)
  }

  @Test("changing the pool id moves a derived region along, but not one typed by hand")
  func regionFollowsPool() {
    var (state, _) = typing(setupState(), "eu-west-1_A1")
    (state, _) = press(state, .down, .up, .clearLine)
    (state, _) = typing(state, "ap-south-1_A1")
    (state, _) = press(state, .down)
    #expect(state.setup?.editor.text == "ap-south-1")
    (state, _) = press(state, .clearLine)
    (state, _) = typing(state, "eu-central-1")
    (state, _) = press(state, .up, .clearLine)
    (state, _) = typing(state, "us-east-1_B2")
    (state, _) = press(state, .down)
    #expect(state.setup?.editor.text == "eu-central-1")
  }

  @Test("Esc or Ctrl-C quits without saving")
  func quit() {
    for key in [Key.escape, .interrupt] {
      let (state, effects) = press(setupState(), key)
      #expect(state.quitting && !state.profileSaved && effects.isEmpty)
    }
  }

  @Test("the form at 80×24, prefilled from what the environment already says")
  func snapshot() {
    var draft = ProfileDraft()
    draft.userPoolID = "eu-west-1_AbC123"
    let (state, _) = press(setupState(draft, replacing: true), .down, .down)
    #expect(
      rendered(state) == """
         cognito-account  │  set-up: profile default
         Set up profile 'default'

           Written to /home/zoe/.config/cognito-account/config.toml, replacing the
           incomplete profile 'default' there. The last line asks Cognito whether the
           pool and the client exist (no account needed), then saves, then you sign
           in.

           User pool id:         eu-west-1_AbC123
           Region:               eu-west-1
         > App client id:
           Client secret file:   (none: the client has no secret)
           Sign-in flow:         < SRP >  the password never leaves this machine
           Read-only:            < no >








         ↑↓: line   Enter: next   Ctrl-U: erase   Esc: quit
         No profile names a user pool and an app client yet: set one up
        """)
    let screen = AccountRenderer.render(state)
    #expect(screen.rows.allSatisfy { DisplayWidth.of($0.text) == 80 })
  }
}
