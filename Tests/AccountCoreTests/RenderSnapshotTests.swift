import AccountCore
import AccountView
import Testing

/// A state with wide characters, combining marks, emoji and a value carrying an escape sequence.
func snapshotState(rows: Int, columns: Int) -> TUIState {
  var attributes = sampleAttributes
  attributes.insert(Attribute(name: "nickname", value: "zo 🚀 e\u{301}"), at: 3)
  attributes.insert(
    Attribute(name: "address", value: "Line 1\nLine 2 \u{1b}]0;pwned\u{07} \u{202e}txt"), at: 4)
  var state = TUIState(
    header: HeaderInfo(
      username: "zoe", context: "profile demo", region: "us-east-1", readOnly: false),
    size: TerminalSize(rows: rows, columns: columns), signedIn: true)
  state = TUIUpdate.update(state, .attributesLoaded(username: "zoe", attributes)).0
  return press(state, .down, .down, space, .down).0
}

@Suite("Screen snapshots")
struct RenderSnapshotTests {
  @Test(
    "main list at 80×24: marks, protected rows, wide and combining characters, escaped controls")
  func mainAt80x24() {
    let screen = AccountRenderer.render(snapshotState(rows: 24, columns: 80))
    #expect(
      trimmedText(screen) == #"""
         cognito-account  │  zoe  │  profile demo  │  us-east-1
            NAME            VALUE
        [ ] email           zoe@example.com
        [-] email_verified  true
        [x] given_name      Zoë
        [ ] nickname        zo 🚀 é
        [ ] address         Line 1\nLine 2 \e]0;pwned\x07 \u{202e}txt
        [ ] phone_number    +46700000000  (unverified)
        [ ] custom:team     プラットフォーム
        [-] sub             6ac27660-be15-4847-b361-d916cd313fb7












         Space: mark  d: remove  e: edit  s: save  /: filter  ?: help  q: quit 1 marked
         8 attributes. Space marks, d removes, e edits, ? shows every key
        """#)
    #expect(screen.rows.count == screen.size.rows)
    #expect(screen.rows.allSatisfy { DisplayWidth.of($0.text) == screen.size.columns })
  }

  @Test("review dialog at 80×24 with email: typed confirmation")
  func reviewAt80x24() {
    let screen = AccountRenderer.render(
      press(
        snapshotState(rows: 24, columns: 80), .character("g"), space, .character("d"),
        .character("d"), .character("e")
      ).0)
    #expect(
      trimmedText(screen) == #"""
         cognito-account  │  zoe  │  profile demo  │  us-east-1
            NAME            VALUE
        [x] email           zoe@example.com
        [-] email_verified  true
        [x] given_name      Zoë
        [ ] nickname        zo 🚀 é
        [ ┌── Remove 2 attributes? ──────────────────────────────────────────────────┐
        [ │   email       zoe@example.com                                            │
        [ │   given_name  Zoë                                                        │
        [-│ This cannot be undone on the server. (u puts the old values back,        │
          │ in this run only.)                                                       │
          │ Without email you lose password recovery by email and signing in with    │
          │ this address.                                                            │
          │ Type delete and press Enter to remove:                                   │
          │ > de                                                                     │
          └──────────────────────────────────────────────────────────────────────────┘






         Type delete, then Enter: remove   Esc: cancel   Backspace: erase
         8 attributes. Space marks, d removes, e edits, ? shows every key
        """#)
    #expect(screen.rows.count == screen.size.rows)
    #expect(screen.rows.allSatisfy { DisplayWidth.of($0.text) == screen.size.columns })
  }

  @Test("the hidden cursor rests on the selected row; the mark count is in plain video")
  func focusAndCount() {
    // Cursor on the fourth attribute (index 3), first table row 2.
    let state = snapshotState(rows: 24, columns: 80)
    let screen = AccountRenderer.render(state)
    #expect(screen.cursor == nil)
    #expect(screen.focusRow == 2 + state.cursor - state.scroll)
    let hint = screen.rows[22]
    #expect(hint.spans.last(where: { $0.text.contains("marked") })?.role == .normal)
    let dialog = AccountRenderer.render(press(state, .character("?")).0)
    #expect(dialog.focusRow == nil)
    #expect(!dialog.rows[22].text.contains("marked"))
  }

  @Test("main list at 40×10")
  func mainAt40x10() {
    let screen = AccountRenderer.render(snapshotState(rows: 10, columns: 40))
    #expect(
      trimmedText(screen) == #"""
         cognito-account  │  zoe  │  profile de…
            NAME          VALUE
        [ ] email         zoe@example.com
        [-] email_verif…  true
        [x] given_name    Zoë
        [ ] nickname      zo 🚀 é
        [ ] address       Line 1\nLine 2 \e]0;p…
        [ ] phone_number  +467000…  (unverified)
         Space: mark  d: remove  e: e… 1 marked
         8 attributes. Space marks, d removes, …
        """#)
    #expect(screen.rows.count == screen.size.rows)
    #expect(screen.rows.allSatisfy { DisplayWidth.of($0.text) == screen.size.columns })
  }

  @Test("review dialog at 40×10 keeps the instruction and the field")
  func reviewAt40x10() {
    let screen = AccountRenderer.render(
      press(
        snapshotState(rows: 10, columns: 40), .character("g"), space, .character("d"),
        .character("d"), .character("e")
      ).0)
    #expect(
      trimmedText(screen) == #"""
         cognito-account  │  zoe  │  profile de…
         ┌── Remove 2 attributes? ────────────┐
        [│   email       zoe@example.com      │
        [│ … and 8 more lines                 │
        [│ Type delete and press Enter to     │
        [│ remove:                            │
        [│ > de                               │…
        [└────────────────────────────────────┘)
         Type delete, then Enter: remove   Esc:…
         8 attributes. Space marks, d removes, …
        """#)
    #expect(screen.rows.count == screen.size.rows)
    #expect(screen.rows.allSatisfy { DisplayWidth.of($0.text) == screen.size.columns })
  }

  @Test("where the terminal has no line drawing, boxes and separators are ASCII")
  func asciiLines() {
    var state = snapshotState(rows: 10, columns: 40)
    state.lineStyle = .ascii
    let screen = AccountRenderer.render(
      press(state, .character("g"), space, .character("d"), .character("d"), .character("e")).0)
    #expect(
      trimmedText(screen) == #"""
         cognito-account  |  zoe  |  profile de…
         +-- Remove 2 attributes? ------------+
        [|   email       zoe@example.com      |
        [| … and 8 more lines                 |
        [| Type delete and press Enter to     |
        [| remove:                            |
        [| > de                               |…
        [+------------------------------------+)
         Type delete, then Enter: remove   Esc:…
         8 attributes. Space marks, d removes, …
        """#)
  }

  @Test(
    "line drawing: Unicode, but ASCII on the Linux console, VT100-class terminals, non-UTF-8",
    arguments: [
      ("xterm-256color", true, LineStyle.unicode), ("tmux-256color", true, .unicode),
      ("screen", true, .unicode), ("linux", true, .ascii), ("vt100", true, .ascii),
      ("vt220-am", true, .ascii), ("xterm", false, .ascii),
    ])
  func lineStyleRule(term: String, utf8: Bool, expected: LineStyle) {
    #expect(LineStyle(term: term, localeIsUTF8: utf8) == expected)
  }

  @Test("a status longer than the bar wraps over the hint line; ! shows a longer one whole")
  func longStatus() {
    var state = snapshotState(rows: 24, columns: 80)
    let policy =
      "InvalidPasswordException: The new password does not meet the pool's password policy "
      + "(Password must have numeric characters and symbols)"
    state.status = StatusMessage(.error, policy)
    var rows = AccountRenderer.render(state).rows.map(\.text)
    #expect(rows[22].hasPrefix(" Error: InvalidPasswordException: The new password"))
    #expect((rows[22] + rows[23]).contains("numeric characters"))
    #expect(rows[23].contains("symbols)"))

    let long = String(repeating: "a very long server message ", count: 12) + "THE END"
    state.status = StatusMessage(.error, long)
    rows = AccountRenderer.render(state).rows.map(\.text)
    #expect(rows[23].contains("… (!: all)"), "\(rows[23])")
    let opened = press(state, .character("!")).0
    #expect(opened.modal == .message(StatusMessage(.error, long)))
    let dialog = AccountRenderer.render(opened).rows.map(\.text).joined(separator: "\n")
    #expect(dialog.contains("THE END"), "\(dialog)")
    #expect(dialog.contains("Error"))
    #expect(press(opened, .escape).0.modal == nil)
  }

  @Test("below 40×10 the screen says it is too small")
  func tooSmall() {
    let screen = AccountRenderer.render(snapshotState(rows: 8, columns: 30))
    #expect(
      trimmedText(screen) == #"""



              Terminal too small
            needs 40×10, now 30×8
        """#)
    #expect(screen.rows.count == screen.size.rows)
    #expect(screen.rows.allSatisfy { DisplayWidth.of($0.text) == screen.size.columns })
  }

  @Test("sign-in screen masks the password")
  func signIn() {
    let screen = AccountRenderer.render(
      press(signInState(), .character("z"), .enter, .character("p")).0)
    #expect(
      trimmedText(screen) == #"""
         cognito-account  │  us-east-1_Pool  │  us-east-1
         Sign in

           us-east-1_Pool   us-east-1

           Username:             z
           Password:             *















         Enter: next   Backspace: erase   Esc: quit
        """#)
    #expect(screen.rows.count == screen.size.rows)
    #expect(screen.rows.allSatisfy { DisplayWidth.of($0.text) == screen.size.columns })
  }

  @Test("no raw control character reaches a screen row")
  func noRawControls() {
    let screen = AccountRenderer.render(snapshotState(rows: 24, columns: 80))
    #expect(!screen.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(
      !screen.text.unicodeScalars.contains {
        (0x7F...0x9F).contains($0.value) || $0.value == 0x202E
      })
  }
}

func signInState() -> TUIState {
  TUIState(
    header: HeaderInfo(
      username: nil, context: "us-east-1_Pool", region: "us-east-1", readOnly: false),
    size: TerminalSize(rows: 24, columns: 80), signedIn: false)
}

/// The screen's text without its trailing empty lines.
func trimmedText(_ screen: Screen) -> String {
  var lines = screen.text.split(separator: "\n", omittingEmptySubsequences: false)
  while lines.last?.isEmpty == true { lines.removeLast() }
  return lines.joined(separator: "\n")
}

@Suite("Screen snapshots: views")
struct ViewSnapshotTests {
  @Test("the help view at 80×24")
  func helpAt80x24() {
    let screen = AccountRenderer.render(
      press(snapshotState(rows: 24, columns: 80), .character("?")).0)
    #expect(
      trimmedText(screen) == #"""
         cognito-account  │  zoe  │  profile demo  │  us-east-1
         Keys: Attributes   (lines 1–20 of 65)
          ↑ k        move up
          ↓ j        move down
          PgUp       page up
          PgDn       page down
          Home g     first attribute
          End G      last attribute
          Space      mark / unmark for removal
          c          clear all marks
          d Del      review removal of the marked (or current) attributes
          Enter      show the whole value
          /          filter by name or value
          Esc        clear the filter
          e          edit the value (pending)
          a          add an attribute (pending)
          s          review and save the pending edits
          Backspace  drop the pending edit of this row
          v          verify email or phone_number with a code
          p          change the password
          r          read again from Cognito
          u          undo the last removal or saved edit (this run only)
         Esc / q / ?: back   ↑ k: scroll up   ↓ j: scroll down   PgUp: page up   PgDn: …
         8 attributes. Space marks, d removes, e edits, ? shows every key
        """#)
  }
}
