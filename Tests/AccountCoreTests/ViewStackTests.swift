import AccountCore
import AccountView
import Testing

@Suite("Views stack: a view opened over another closes back to it as it was")
struct ViewStackTests {
  private let space = Key.character(" ")

  @Test("help opens over the list and closes back with cursor, marks and filter intact")
  func helpOverList() {
    let (list, _) = press(
      loadedState(), .down, .down, space, .character("/"), .character("n"), .enter)
    let (help, _) = press(list, .character("?"))
    #expect(help.views == [.attributes, .help(HelpPage())])
    for key in [Key.escape, .character("q"), .character("?"), .enter] {
      let (back, effects) = press(help, key)
      #expect(back.views == [.attributes] && effects.isEmpty, "\(key)")
      #expect(back.cursor == list.cursor && back.marks == list.marks && back.filter == list.filter)
      #expect(!back.quitting, "q closes the view; it does not quit")
    }
  }

  @Test("keys of the view below do nothing while help is open")
  func listKeysIgnored() {
    let (help, _) = press(loadedState(), .character("?"))
    let (after, effects) = press(help, space, .character("d"), .character("r"), .character("u"))
    #expect(after.marks.isEmpty && after.modal == nil && effects.isEmpty && after.busy == nil)
    #expect(press(help, .interrupt).0.quitting, "Ctrl-C still quits from any view")
  }

  @Test("the bottom view is never popped")
  func bottomStays() {
    var state = loadedState()
    state.pop()
    #expect(state.views == [.attributes])
  }

  @Test("help scrolls within its length on a short terminal and says which lines it shows")
  func helpScrolls() {
    var state = snapshotState(rows: 12, columns: 80)
    state = press(state, .character("?")).0
    let total = state.helpSubject.helpLines.count
    let first = AccountRenderer.render(state).rows.map(\.text)
    #expect(
      first[1].contains("Keys: Attributes") && first[1].contains("of \(total)"), "\(first[1])")
    #expect(first[2].contains("move up"))
    state = press(state, .down).0
    #expect(AccountRenderer.render(state).rows[2].text.contains("move down"))
    for _ in 0..<200 { state = press(state, .pageDown).0 }
    guard case .help(let page) = state.currentView else {
      Issue.record("help closed")
      return
    }
    #expect(page.offset == total - state.tableHeight, "stops at the last page")
    let last = AccountRenderer.render(state).rows.map(\.text)
    guard case .key(let lastKey)? = state.helpSubject.helpLines.last else {
      Issue.record("the help ends with a key")
      return
    }
    let lastRow = last[1 + state.tableHeight]
    #expect(lastRow.contains(lastKey.label) && lastRow.contains(lastKey.help), "\(lastRow)")
    for _ in 0..<200 { state = press(state, .pageUp).0 }
    #expect(state.currentView == .help(HelpPage()))
  }

  @Test("the help lists every key of the list and every dialog's keys, from the tables")
  func helpLists() {
    let state = press(snapshotState(rows: 80, columns: 100), .character("?")).0
    let text = AccountRenderer.render(state).rows.map(\.text).joined(separator: "\n")
    for binding in ListKeymap.bindings {
      #expect(text.contains(binding.label) && text.contains(binding.help), "\(binding.label)")
    }
    for context in DialogContext.allCases where ![.message, .quitWithMarks].contains(context) {
      #expect(text.contains(context.title))
      for binding in DialogKeymap.bindings(context) { #expect(text.contains(binding.help)) }
    }
    #expect(text.contains("Esc / q / ?: back"), "the hint line comes from the help's keymap")
  }
}
