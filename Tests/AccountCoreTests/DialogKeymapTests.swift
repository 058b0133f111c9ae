import AccountCore
import AccountView
import Testing

@Suite("Dialog keymaps: one table for dispatch, hints and help")
struct DialogKeymapTests {
  @Test("every listed key does what its binding says", arguments: DialogContext.allCases)
  func dispatch(context: DialogContext) {
    for binding in DialogKeymap.bindings(context) {
      for key in binding.keys {
        #expect(DialogKeymap.action(for: key, in: context) == binding.action, "\(key)")
      }
    }
  }

  @Test("hint lines are made from the tables")
  func hints() {
    #expect(DialogKeymap.hint(.review) == " y: remove   n / Esc / Enter: cancel")
    #expect(DialogKeymap.hint(.quitWithMarks) == " y: quit   any other key: stay")
    #expect(DialogKeymap.action(for: .character("x"), in: .quitWithMarks) == .cancel)
    #expect(DialogKeymap.action(for: .character("y"), in: .typedReview) == nil, "y is typed")
  }

}
