import AccountCore
import Testing

let sampleAttributes = [
  Attribute(name: "email", value: "zoe@example.com"),
  Attribute(name: "email_verified", value: "true"),
  Attribute(name: "given_name", value: "Zoë"),
  Attribute(name: "phone_number", value: "+46700000000"),
  Attribute(name: "custom:team", value: "プラットフォーム"),
  Attribute(name: "sub", value: "6ac27660-be15-4847-b361-d916cd313fb7"),
]

func loadedState(readOnly: Bool = false, rows: Int = 24, columns: Int = 80) -> TUIState {
  let state = TUIState(
    header: HeaderInfo(
      username: "zoe", context: "profile demo", region: "us-east-1", readOnly: readOnly),
    size: TerminalSize(rows: rows, columns: columns), signedIn: true)
  return TUIUpdate.update(state, .attributesLoaded(username: "zoe", sampleAttributes)).0
}

/// Applies keys in order, collecting every effect.
func press(_ state: TUIState, _ keys: Key...) -> (TUIState, [TUIEffect]) {
  var current = state
  var effects: [TUIEffect] = []
  for key in keys {
    let (next, produced) = TUIUpdate.update(current, .key(key))
    current = next
    effects += produced
  }
  return (current, effects)
}

let space = Key.character(" ")

@Suite("Account screen logic (pure)")
struct ScreenUpdateTests {
  @Test("moving: j/k, arrows, g/G, Home/End, paging; the cursor never leaves the list")
  func movement() {
    let state = loadedState()
    #expect(press(state, .down, .down).0.cursor == 2)
    #expect(press(state, .character("j"), .character("k"), .up).0.cursor == 0)
    #expect(press(state, .character("G")).0.cursor == 5)
    #expect(press(state, .end, .down, .down).0.cursor == 5)
    #expect(press(state, .end, .character("g")).0.cursor == 0)
    #expect(press(state, .pageDown).0.cursor == 5)
    #expect(press(state, .end, .pageUp).0.cursor == 0)
  }

  @Test("Space marks and moves on; Space again unmarks; c clears")
  func marks() {
    let (marked, _) = press(loadedState(), space)
    #expect(marked.marks == ["email"])
    #expect(marked.cursor == 1)
    let (unmarked, _) = press(marked, .up, space)
    #expect(unmarked.marks.isEmpty)
    let (two, _) = press(loadedState(), .down, .down, space, space)
    #expect(two.marks == ["given_name", "phone_number"])
    #expect(press(two, .character("c")).0.marks.isEmpty)
  }

  @Test("protected rows refuse a mark with the reason", arguments: [1, 5])
  func protectedRows(row: Int) {
    var state = loadedState()
    state.cursor = row
    let (next, _) = press(state, space)
    #expect(next.marks.isEmpty)
    #expect(next.status?.severity == .warning)
    #expect(next.status?.text.contains("protected") == true)
    let (review, _) = press(state, .character("d"))
    #expect(review.modal == nil)
  }

  @Test("d reviews the marked rows; n, Esc and Enter cancel with nothing sent")
  func reviewAndCancel() {
    let (marked, _) = press(loadedState(), .down, .down, space, .down, .down)
    for cancel in [Key.character("n"), .escape, .enter] {
      let (review, _) = press(marked, .character("d"))
      guard case .review(let dialog)? = review.modal else {
        Issue.record("no review dialog")
        return
      }
      #expect(dialog.targets.map(\.name) == ["given_name"])
      let (cancelled, effects) = press(review, cancel)
      #expect(cancelled.modal == nil)
      #expect(effects.isEmpty)
      #expect(cancelled.marks == ["given_name"])
    }
  }

  @Test("with nothing marked, d reviews the current row")
  func reviewCurrentRow() {
    let (review, _) = press(loadedState(), .down, .down, .delete)
    guard case .review(let dialog)? = review.modal else {
      Issue.record("no review dialog")
      return
    }
    #expect(dialog.targets.map(\.name) == ["given_name"])
  }

  @Test(
    "y confirms: one removal effect with every marked name; keys that start calls are ignored meanwhile"
  )
  func confirm() {
    let (marked, _) = press(loadedState(), .down, .down, space, .down, space)
    let (busy, effects) = press(marked, .character("d"), .character("y"))
    #expect(effects == [.removeAttributes(["given_name", "custom:team"])])
    #expect(busy.busy == .removing(count: 2))
    let (ignored, more) = press(busy, .character("r"), .character("d"), .character("u"))
    #expect(more.isEmpty)
    #expect(ignored.modal == nil)
    #expect(press(busy, .character("q")).0.modal == .quitWithMarks)
  }

  @Test("email or phone_number in the set: only typing 'delete' and Enter confirms")
  func typedConfirmation() {
    let (review, _) = press(loadedState(), space, .character("d"))
    let (wrongKey, none) = press(review, .character("y"), .enter)
    #expect(none.isEmpty)
    #expect(wrongKey.modal == nil)
    let typed = press(
      review, .character("d"), .character("e"), .character("l"), .character("e"), .character("t"),
      .character("e"), .enter)
    #expect(typed.1 == [.removeAttributes(["email"])])
    let (escaped, escapeEffects) = press(review, .character("d"), .escape)
    #expect(escapeEffects.isEmpty && escaped.modal == nil)
  }

  @Test("a finished removal reports per name, clears those marks and enables undo")
  func removalFinished() {
    let (marked, _) = press(loadedState(), .down, .down, space, .down, space)
    let (busy, _) = press(marked, .character("d"), .character("y"))
    let after = sampleAttributes.filter { $0.name != "given_name" }
    let requested = sampleAttributes.filter { ["given_name", "custom:team"].contains($0.name) }
    let (done, _) = TUIUpdate.update(
      busy, .removalFinished(RemovalReport(plan: RemovalPlan(attributes: requested), after: after)))
    #expect(done.busy == nil)
    #expect(done.marks == ["custom:team"])
    #expect(done.lastRemoved.map(\.name) == ["given_name"])
    #expect(done.status?.severity == .warning)
    #expect(done.status?.text == "Removed 1: given_name; not removed: custom:team")
    let (undo, _) = press(done, .character("u"))
    #expect(undo.modal == .undo([Attribute(name: "given_name", value: "Zoë")]))
    let (restoring, effects) = press(undo, .character("y"))
    #expect(effects == [.restoreAttributes([Attribute(name: "given_name", value: "Zoë")])])
    let (restored, _) = TUIUpdate.update(
      restoring, .restoreFinished(restored: requested.prefix(1).map { $0 }, after: sampleAttributes)
    )
    #expect(restored.lastRemoved.isEmpty)
    #expect(restored.status?.text.hasPrefix("Restored 1: given_name") == true)
  }

  @Test("a failed removal keeps the marks and shows the error")
  func removalFailed() {
    let (marked, _) = press(loadedState(), .down, .down, space)
    let (busy, _) = press(marked, .character("d"), .character("y"))
    let problem = ServiceProblem(kind: .rateLimited, code: "TooManyRequestsException", message: "")
    let (failed, _) = TUIUpdate.update(busy, .removalFailed(.service(problem)))
    #expect(failed.marks == ["given_name"])
    #expect(failed.busy == nil)
    #expect(failed.status?.severity == .error)
    #expect(failed.status?.text.hasPrefix("TooManyRequestsException") == true)
    #expect(failed.signIn == nil)
  }

  @Test("a session that ended returns to the sign-in screen with the message")
  func sessionEnded() {
    let (ended, _) = TUIUpdate.update(
      loadedState(), .loadFailed(.sessionEnded(code: "NotAuthorizedException")))
    #expect(ended.signIn?.stage == .password)
    #expect(ended.signIn?.username == "zoe")
    #expect(ended.status?.text.contains("Session ended") == true)
  }

  @Test("read-only disables marking, removal and undo")
  func readOnly() {
    let state = loadedState(readOnly: true)
    for key in [space, Key.character("d"), .character("u")] {
      let (next, effects) = press(state, key)
      #expect(next.marks.isEmpty && next.modal == nil && effects.isEmpty)
      #expect(next.status?.text.hasPrefix("Read-only") == true)
    }
  }

  @Test("filter by name or value; Enter keeps it, Esc clears it")
  func filter() {
    let (typing, _) = press(loadedState(), .character("/"), .character("t"), .character("e"))
    #expect(typing.editingFilter)
    #expect(typing.visibleAttributes.map(\.name) == ["custom:team"])
    let (kept, _) = press(typing, .enter)
    #expect(!kept.editingFilter && kept.filter == "te")
    #expect(press(kept, .escape).0.filter.isEmpty)
    let (byValue, _) = press(loadedState(), .character("/"), .character("プ"), .enter)
    #expect(byValue.visibleAttributes.map(\.name) == ["custom:team"])
    #expect(press(loadedState(), .character("/"), .character("x"), .escape).0.filter.isEmpty)
  }

  @Test("resizing keeps the cursor and marks, and scrolls to keep the cursor visible")
  func resize() {
    let (marked, _) = press(loadedState(), .down, space, .down, .down, .down)
    let (small, _) = TUIUpdate.update(marked, .resized(TerminalSize(rows: 6, columns: 40)))
    #expect(small.cursor == marked.cursor)
    #expect(small.marks == marked.marks)
    #expect(small.cursor >= small.scroll && small.cursor < small.scroll + small.tableHeight)
    let (back, _) = TUIUpdate.update(small, .resized(TerminalSize(rows: 30, columns: 100)))
    #expect(back.cursor == marked.cursor && back.marks == marked.marks && back.scroll == 0)
  }

  @Test("q quits at once without marks, asks with marks; y quits, anything else stays")
  func quit() {
    #expect(press(loadedState(), .character("q")).0.quitting)
    let (asked, _) = press(loadedState(), .down, .down, space, .character("q"))
    #expect(asked.modal == .quitWithMarks && !asked.quitting)
    #expect(press(asked, .character("y")).0.quitting)
    let (stayed, _) = press(asked, .character("n"))
    #expect(!stayed.quitting && stayed.marks == ["given_name"])
  }

  @Test("help, value view and Ctrl-L")
  func dialogs() {
    #expect(press(loadedState(), .character("?")).0.currentView == .help(HelpPage()))
    let (value, _) = press(loadedState(), .down, .down, .enter)
    #expect(value.modal == .value(Attribute(name: "given_name", value: "Zoë"), offset: 0))
    #expect(press(loadedState(), .redraw).1 == [.repaint])
  }

  @Test("sign-in: username, password, then a new password asked twice")
  func signIn() {
    let state = TUIState(
      header: HeaderInfo(username: nil, context: "pool", region: "us-east-1", readOnly: false),
      size: TerminalSize(rows: 24, columns: 80), signedIn: false)
    let (typed, effects) = press(
      state, .character("z"), .character("o"), .enter, .character("p"), .character("w"), .enter)
    #expect(effects == [.signIn(username: "zo", password: "pw")])
    #expect(typed.busy == .signingIn)
    let (challenged, _) = TUIUpdate.update(typed, .signInChallenge(.newPassword))
    let (mismatch, none) = press(challenged, .character("a"), .enter, .character("b"), .enter)
    #expect(none.isEmpty)
    #expect(mismatch.status?.text.contains("differ") == true)
    let (answered, reply) = press(mismatch, .character("a"), .enter, .character("a"), .enter)
    #expect(reply == [.answerChallenge(.newPassword("a"))])
    let (signedIn, load) = TUIUpdate.update(answered, .signedIn(username: "zo"))
    #expect(signedIn.signIn == nil && load == [.loadAttributes])
    #expect(press(state, .escape).0.quitting)
  }
}
