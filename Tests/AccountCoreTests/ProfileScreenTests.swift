import AccountCore
import AccountView
import Testing

/// Types `text` one character at a time.
func typing(_ state: TUIState, _ text: String) -> (TUIState, [TUIEffect]) {
  var current = state
  var effects: [TUIEffect] = []
  for character in text {
    let (next, produced) = TUIUpdate.update(current, .key(.character(character)))
    current = next
    effects += produced
  }
  return (current, effects)
}

private func rendered(_ state: TUIState) -> String {
  AccountRenderer.render(state).rows.map(\.text).joined(separator: "\n")
}

@Suite("Editing on the screen (pure logic and rendering)")
struct ProfileScreenTests {
  /// The list with the cursor on given_name (row 3).
  private func onGivenName() -> TUIState { press(loadedState(), .down, .down).0 }

  @Test("e edits the value in a line editor; Enter keeps it pending, shown [~] with the new value")
  func editValue() {
    var (state, _) = press(onGivenName(), .character("e"))
    guard case .editValue("given_name", "Zoë", let editor)? = state.modal else {
      Issue.record("\(String(describing: state.modal))")
      return
    }
    #expect(editor.text == "Zoë" && editor.cursor == 3)
    (state, _) = press(state, .backspace)
    (state, _) = typing(state, "e")
    (state, _) = press(state, .enter)
    #expect(state.modal == nil)
    #expect(state.edits == [AttributeEdit(name: "given_name", old: "Zoë", new: "Zoe")])
    #expect(state.status?.text == "1 edit pending: s reviews and saves")
    let text = rendered(state)
    #expect(text.contains("[~] given_name      Zoe"), "\(text)")
    #expect(text.contains("1 edited"))
    #expect(press(state, .backspace).0.edits.isEmpty, "Backspace drops the pending edit")
    let (same, _) = press(onGivenName(), .character("e"), .enter)
    #expect(same.edits.isEmpty && same.status?.text == "given_name is unchanged")
  }

  @Test("the line editor: wide characters, cursor keys, Home/End, Delete, Ctrl-U, limits")
  func lineEditor() {
    var editor = LineEditor("ab")
    for key in [Key.home, .character("プ"), .right, .character("🚀"), .end, .character("e\u{301}")] {
      #expect(editor.handle(key) == .edited)
    }
    #expect(editor.text == "プa🚀be\u{301}" && editor.cursor == 5)
    _ = editor.handle(.left)
    _ = editor.handle(.left)
    _ = editor.handle(.delete)
    #expect(editor.text == "プa🚀e\u{301}")
    _ = editor.handle(.clearLine)
    #expect(editor.text == "e\u{301}" && editor.cursor == 0)
    #expect(editor.handle(.character("\u{1b}")) == .refused("Control characters are not accepted"))
    #expect(editor.handle(.enter) == nil && editor.handle(.escape) == nil)
    var full = LineEditor(String(repeating: "x", count: 2048))
    #expect(full.handle(.character("y")) == .refused("At most 2048 characters"))
    #expect(full.text.count == 2048)
    let window = AccountRenderer.editorWindow(
      LineEditor(String(repeating: "界", count: 50)), width: 20)
    #expect(DisplayWidth.of(window.text) <= 20 && window.cursor <= 19)
    let escaped = AccountRenderer.editorWindow(LineEditor("a\u{202e}b"), width: 40)
    #expect(escaped.text == #"a\u{202e}b"# && escaped.cursor == 10)
  }

  @Test("a adds: the name is checked (custom: prefix), then the value; the row shows [+]")
  func add() {
    var (state, _) = typing(press(loadedState(), .character("a")).0, "team")
    (state, _) = press(state, .enter)
    #expect(state.status?.text.contains("custom:team") == true && state.status?.severity == .error)
    (state, _) = press(state, .clearLine)
    (state, _) = typing(state, "nickname")
    (state, _) = press(state, .enter)
    guard case .editValue("nickname", nil, _)? = state.modal else {
      Issue.record("\(String(describing: state.modal))")
      return
    }
    (state, _) = typing(state, "zo")
    (state, _) = press(state, .enter)
    #expect(state.edits == [AttributeEdit(name: "nickname", old: nil, new: "zo")])
    #expect(state.currentAttribute?.name == "nickname", "the cursor goes to the new row")
    #expect(rendered(state).contains("[+] nickname"))
    let (verified, _) = press(
      typing(press(loadedState(), .character("a")).0, "email_verified").0, .enter)
    #expect(verified.status?.text.contains("cannot be set") == true)
  }

  @Test("s reviews: n keeps the edits pending; y saves them in one effect")
  func reviewAndSave() {
    let (edited, _) = press(
      typing(press(onGivenName(), .character("e"), .clearLine).0, "Al").0, .enter)
    let (review, _) = press(edited, .character("s"))
    guard case .editReview(let content)? = review.modal else {
      Issue.record("no review")
      return
    }
    #expect(!content.needsTypedConfirmation)
    let text = rendered(review)
    #expect(text.contains("Save 1 change?") && text.contains("given_name  Zoë → Al"), "\(text)")
    let (kept, none) = press(review, .character("n"))
    #expect(none.isEmpty && kept.edits.count == 1 && kept.modal == nil)
    let (saving, effects) = press(review, .character("y"))
    #expect(effects == [.saveEdits([AttributeEdit(name: "given_name", old: "Zoë", new: "Al")])])
    #expect(saving.busy == .saving(count: 1))
  }

  @Test("email among the edits: only typing 'change' saves, and the review says what follows")
  func typedChange() {
    let email = press(loadedState(), .character("e"), .clearLine).0
    let (edited, _) = press(typing(email, "z@example.org").0, .enter)
    let (review, _) = press(edited, .character("s"))
    let text = rendered(review)
    #expect(text.contains("Cognito sends an email with a code"), "\(text)")
    #expect(text.contains("Type change and press Enter to save:"))
    let (cancelled, none) = press(typing(review, "y").0, .enter)
    #expect(none.isEmpty && cancelled.edits.count == 1)
    let (saving, effects) = press(typing(review, " change ").0, .enter)
    #expect(
      effects == [
        .saveEdits([AttributeEdit(name: "email", old: "zoe@example.com", new: "z@example.org")])
      ])
    #expect(saving.busy == .saving(count: 1))
  }

  @Test("while a save runs, e/a/Backspace wait; an edit typed meanwhile survives the result")
  func editsDuringASave() {
    let (edited, _) = press(onGivenName(), .character("e"), .backspace, .enter)
    let (saving, _) = press(edited, .character("s"), .character("y"))
    #expect(saving.busy == .saving(count: 1))
    for key in [Key.character("e"), .character("a"), .backspace] {
      let (after, effects) = press(saving, key)
      #expect(after.modal == nil && after.edits == saving.edits && effects.isEmpty, "\(key)")
    }
    var racing = saving
    let sent = AttributeEdit(name: "given_name", old: "Zoë", new: "Zo")
    let later = AttributeEdit(name: "given_name", old: "Zo", new: "Zed")
    racing.edits = [later]
    var after = sampleAttributes
    after[2].value = "Zo"
    let report = EditReport(plan: EditPlan(edits: [sent]), deliveries: [], after: after)
    let (settled, _) = TUIUpdate.update(racing, .editFinished(report))
    #expect(settled.edits == [later], "only what was sent settles")
  }

  @Test("rows that are only pending additions cannot be marked or removed")
  func additionsAreNotRemovable() {
    var (state, _) = press(typing(press(loadedState(), .character("a")).0, "nickname").0, .enter)
    (state, _) = press(typing(state, "zo").0, .enter)
    #expect(state.currentAttribute?.name == "nickname")
    for key in [Key.character(" "), .character("d")] {
      let (after, effects) = press(state, key)
      #expect(after.marks.isEmpty && after.modal == nil && effects.isEmpty, "\(key)")
      #expect(after.status?.text.contains("Backspace drops the addition") == true)
    }
  }

  @Test("a value waiting for its code is not offered for undo; v reaches it with no row")
  func awaitingVerification() {
    var state = loadedState()
    state.attributes.removeAll { $0.name == "phone_number" }
    let edit = AttributeEdit(name: "phone_number", old: nil, new: "+15550000")
    state.edits = [edit]
    let report = EditReport(
      plan: EditPlan(edits: [edit]),
      deliveries: [CodeDelivery(attribute: "phone_number", medium: "SMS", destination: "+*0000")],
      after: state.attributes)
    #expect(report.outcomes.map(\.outcome) == [.awaitingVerification])
    let (waiting, _) = TUIUpdate.update(state, .editFinished(report))
    #expect(waiting.lastEdits.isEmpty && waiting.edits.isEmpty)
    #expect(waiting.status?.text.contains("keeps its old value") == true)
    #expect(waiting.status?.text.contains("u undoes") == false)
    #expect(press(waiting, .character("u")).0.status?.text == "Nothing to restore in this run")
    let (dialog, _) = press(waiting, .character("g"), .down, .down, .character("v"))
    guard case .verify("phone_number", _)? = dialog.modal else {
      Issue.record(
        "v on a row that is not verifiable, with a code pending: \(String(describing: dialog.modal))"
      )
      return
    }
  }

  @Test("Cognito's own attributes and read-only mode refuse editing with the reason")
  func refusals() {
    let (sub, _) = press(loadedState(), .character("G"), .character("e"))
    #expect(sub.modal == nil && sub.status?.text.contains("sub cannot be changed") == true)
    let (flag, _) = press(loadedState(), .down, .character("e"))
    #expect(flag.status?.text.contains("change email, then verify it") == true)
    for key in ["e", "a", "s", "v", "p"] {
      let (state, effects) = press(loadedState(readOnly: true), .character(Character(key)))
      #expect(state.modal == nil && effects.isEmpty, "\(key)")
      #expect(state.status?.text == "Read-only: editing is disabled", "\(key)")
    }
  }

  @Test("v: Tab sends a new code, Enter checks the typed one; a wrong code keeps the dialog")
  func verify() {
    let phone = press(loadedState(), .down, .down, .down).0
    #expect(rendered(phone).contains("+46700000000  (unverified)"))
    let (dialog, _) = press(phone, .character("v"))
    guard case .verify("phone_number", _)? = dialog.modal else {
      Issue.record("no verify dialog")
      return
    }
    let (sending, resend) = press(dialog, .tab)
    #expect(resend == [.sendCode("phone_number")] && sending.busy == .sendingCode)
    let (sent, _) = TUIUpdate.update(
      sending,
      .codeSent(CodeDelivery(attribute: "phone_number", medium: "SMS", destination: "+*0000")))
    #expect(rendered(sent).contains("A code went to +*0000."))
    let (checking, effects) = press(typing(sent, " 123 456").0, .enter)
    #expect(effects == [.verifyCode(name: "phone_number", code: "123456")])
    let wrong = ServiceProblem(
      kind: .verificationCodeMismatch, code: "CodeMismatchException", message: "")
    let (failed, _) = TUIUpdate.update(checking, .verifyFailed(.service(wrong)))
    guard case .verify("phone_number", let emptied)? = failed.modal else {
      Issue.record("the dialog closed after a wrong code")
      return
    }
    #expect(emptied.text.isEmpty && failed.status?.severity == .error)
    #expect(failed.status?.text.contains("ask for a new code") == true)
    var after = sampleAttributes
    after.append(Attribute(name: "phone_number_verified", value: "true"))
    let (done, _) = TUIUpdate.update(checking, .verified(name: "phone_number", after: after))
    #expect(done.modal == nil && done.status?.text == "phone_number verified")
    #expect(!rendered(done).contains("unverified"))
    let (notVerifiable, _) = press(onGivenName(), .character("v"))
    #expect(notVerifiable.modal == nil)
  }

  @Test("p: current, new, new again (masked); a mismatch asks again; a wrong current restarts")
  func changePassword() {
    var (state, _) = press(loadedState(), .character("p"))
    (state, _) = press(typing(state, "old-pw").0, .enter)
    (state, _) = press(typing(state, "N3w-pass!").0, .enter)
    #expect(!rendered(state).contains("N3w-pass!") && rendered(state).contains("New password:  "))
    #expect(!rendered(state).contains("old-pw"))
    (state, _) = press(typing(state, "N3w-pass?").0, .enter)
    #expect(state.status?.text == "The two new passwords differ; type it again")
    (state, _) = press(typing(state, "N3w-pass!").0, .enter)
    let (sending, effects) = press(typing(state, "N3w-pass!").0, .enter)
    #expect(effects == [.changePassword(current: "old-pw", new: "N3w-pass!")])
    let wrong = ServiceProblem(
      kind: .wrongCurrentPassword, code: "NotAuthorizedException", message: "")
    let (again, _) = TUIUpdate.update(sending, .passwordChangeFailed(.service(wrong)))
    #expect(again.modal == .changePassword(PasswordForm()))
    #expect(again.status?.text.contains("current password is wrong") == true)
    let (done, _) = TUIUpdate.update(sending, .passwordChanged)
    #expect(done.modal == nil && done.status?.text.hasPrefix("Password changed") == true)
  }

  @Test("q with pending edits asks first")
  func quitWithEdits() {
    let (edited, _) = press(onGivenName(), .character("e"), .backspace, .enter)
    let (asked, _) = press(edited, .character("q"))
    #expect(asked.modal == .quitWithMarks && !asked.quitting)
    #expect(rendered(asked).contains("1 edit is pending and not saved."))
  }
}

@Suite("The passphrase after signing in (pure logic)")
struct PassphraseStepTests {
  private func signedIn() -> TUIState {
    var state = TUIState(
      header: HeaderInfo(username: nil, context: "p", region: "us-east-1", readOnly: false),
      size: TerminalSize(rows: 24, columns: 80), signedIn: false)
    state.storeAfterSignIn = StorePrompt(path: "/home/z/.local/state/k", unlockMinutes: 15)
    state = typing(state, "zoe").0
    state = press(state, .enter).0
    state = typing(state, "pw").0
    state = press(state, .enter).0
    return TUIUpdate.update(state, .signedIn(username: "zoe")).0
  }

  @Test("signed in: the passphrase is asked before anything loads, twice, again on a mismatch")
  func twice() {
    let state = signedIn()
    #expect(state.signIn?.stage == .newPassphrase(repeating: false) && state.busy == nil)
    let text = AccountRenderer.render(state).rows.map(\.text).joined(separator: " ")
      .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(
      text.contains("/home/z/.local/state/k") && text.contains("unlocked for 15 minutes"), "\(text)"
    )
    let (mismatch, none) = press(typing(press(typing(state, "one").0, .enter).0, "two").0, .enter)
    #expect(none.isEmpty && mismatch.status?.text == "The two passphrases differ; type it again")
    #expect(mismatch.signIn?.stage == .newPassphrase(repeating: false))
    let (storing, effects) = press(typing(press(typing(state, "one").0, .enter).0, "one").0, .enter)
    #expect(effects == [.storeSession("one")] && storing.busy == .storing)
    #expect(!AccountRenderer.render(storing).rows.contains { $0.text.contains("one") })
    let (stored, load) = TUIUpdate.update(storing, .sessionStored)
    #expect(load == [.loadAttributes] && stored.signIn == nil && stored.storeAfterSignIn == nil)
    #expect(stored.status?.text == "Session stored; it stays unlocked for 15 minutes")
  }

  @Test("Esc offers this run only: y keeps it in memory and loads; another key goes back")
  func keepInMemory() {
    let (asked, _) = press(signedIn(), .escape)
    #expect(asked.signIn?.stage == .keepInMemory && !asked.quitting)
    #expect(press(asked, .character("n")).0.signIn?.stage == .newPassphrase(repeating: false))
    let (kept, effects) = press(asked, .character("y"))
    #expect(effects == [.keepInMemory, .loadAttributes] && kept.signIn == nil)
    let (loaded, _) = TUIUpdate.update(kept, .attributesLoaded(username: "zoe", sampleAttributes))
    #expect(loaded.status?.text.contains("session not stored: this run only") == true)
  }
}
