public import AccountCore

/// Lays the support screen out as a ``Screen``: pure, tested as text snapshots and in tmux.
public enum SupportRenderer {
  /// Renders `state` at its terminal size.
  public static func render(_ state: SupportScreenState) -> Screen {
    let size = state.size
    guard size.rows > 0, size.columns > 0 else { return Screen(size: size, rows: []) }
    if size.isTooSmall {
      var layout = Layout(size: size)
      layout.put(size.rows / 2, [Span(" Terminal too small for the support screen", .normal)])
      return layout.screen
    }
    var layout = Layout(size: size)
    layout.put(0, [Span(header(state), .header)])
    if let view = state.user {
      userBody(state, view, &layout)
    } else {
      resultsBody(state, &layout)
    }
    if let modal = state.modal {
      layout.focusRow = nil
      dialog(modal, state, &layout)
    }
    layout.put(size.rows - 2, [Span(hint(state), .hint)])
    layout.put(size.rows - 1, [statusSpan(state)])
    return layout.screen
  }

  static func header(_ state: SupportScreenState) -> String {
    let separator = "  " + state.lineStyle.vertical + "  "
    // READ-ONLY first after the name: ARNs and pool ids are long, and it must never be cut off.
    var parts = [" cognito-account admin"]
    if state.readOnly { parts.append("READ-ONLY") }
    parts.append(state.caller.map(TerminalText.escape) ?? "(identity…)")
    parts.append(TerminalText.escape(state.userPool))
    return parts.joined(separator: separator)
  }

  /// Column widths for username, email, status, enabled, created at `width`.
  static func columns(_ width: Int) -> [Int] {
    let status = width >= 100 ? 21 : 14
    let fixed = 1 + status + 1 + 3 + 1 + 10 + 3
    let rest = max(16, width - fixed)
    let username = max(8, rest * 2 / 5)
    return [username, max(8, rest - username), status, 3, 10]
  }

  static func row(_ cells: [String], _ widths: [Int]) -> String {
    " "
      + zip(cells, widths).map { cell, width in
        DisplayWidth.pad(DisplayWidth.truncate(TerminalText.escape(cell), to: width), to: width)
      }.joined(separator: " ")
  }

  private static func resultsBody(_ state: SupportScreenState, _ layout: inout Layout) {
    let width = state.size.columns
    let label = " Search: "
    if state.editingQuery {
      let (text, cursor) = AccountRenderer.editorWindow(
        state.query, width: width - DisplayWidth.of(label) - 1)
      layout.put(1, [Span(label, .normal), Span(text, .input)], fill: .input)
      layout.cursor = (1, DisplayWidth.of(label) + cursor)
    } else {
      let shown = state.filter.map { TerminalText.escape($0.description) } ?? "all users"
      layout.put(1, [Span(label + shown + "   (/ or type to search)", .normal)])
    }
    let widths = columns(width)
    layout.put(
      2, [Span(row(["USERNAME", "EMAIL", "STATUS", "ON", "CREATED"], widths), .columnTitles)])
    guard !state.results.isEmpty else {
      let message = state.searched ? "  No users match" : "  Searching the pool…"
      layout.put(3, [Span(message, .normal)])
      return
    }
    for line in 0..<(state.tableHeight - 1) {
      let index = state.scroll + line
      guard state.results.indices.contains(index) else { break }
      let user = state.results[index]
      let created =
        user.created.map {
          String(PlainFormat.iso8601(epochSeconds: Int($0)).prefix(10))
        } ?? ""
      let text = row(
        [
          user.username, user.value("email") ?? "", user.status, user.enabled ? "yes" : "no",
          created,
        ],
        widths)
      let isCursor = index == state.cursor
      if isCursor { layout.focusRow = 3 + line }
      layout.put(
        3 + line,
        [
          Span(String(text.prefix(1)), isCursor ? .cursor : .normal),
          Span(String(text.dropFirst()), user.enabled ? .normal : .locked),
        ])
    }
    if state.nextToken != nil, state.scroll + state.tableHeight - 1 >= state.results.count {
      layout.put(
        min(state.size.rows - 3, 3 + state.results.count - state.scroll),
        [Span("  … more: n", .hint)])
    }
  }

  private static func userBody(
    _ state: SupportScreenState, _ view: SupportUserView, _ layout: inout Layout
  ) {
    let user = view.user
    var facts = " User: \(TerminalText.escape(user.username))   \(TerminalText.escape(user.status))"
    facts += user.enabled ? "   enabled" : "   DISABLED"
    facts +=
      "   groups: "
      + (user.groups.isEmpty
        ? "(none)" : user.groups.map(TerminalText.escape).joined(separator: ", "))
    layout.put(1, [Span(facts, .normal)])
    let width = state.size.columns
    let nameWidth = max(
      4,
      min(
        user.attributes.map { DisplayWidth.of(TerminalText.escape($0.name)) }.max() ?? 4, width / 3)
    )
    layout.put(
      2, [Span("    " + DisplayWidth.pad("NAME", to: nameWidth) + "  VALUE", .columnTitles)])
    for line in 0..<(state.tableHeight - 1) {
      let index = view.scroll + line
      guard user.attributes.indices.contains(index) else { break }
      let attribute = user.attributes[index]
      let marked = view.marks.contains(attribute.name)
      let mark = attribute.isProtected ? "[-]" : marked ? "[x]" : "[ ]"
      let isCursor = index == view.cursor
      if isCursor { layout.focusRow = 3 + line }
      let markRole: Role =
        switch (isCursor, attribute.isProtected, marked) {
        case (true, true, _): .cursorLocked
        case (true, false, true): .cursorMarked
        case (true, false, false): .cursor
        case (false, true, _): .locked
        case (false, false, true): .marked
        case (false, false, false): .normal
        }
      let name = DisplayWidth.pad(
        DisplayWidth.truncate(TerminalText.escape(attribute.name), to: nameWidth), to: nameWidth)
      let value = DisplayWidth.truncate(
        TerminalText.escape(attribute.value), to: max(1, width - nameWidth - 7))
      layout.put(
        3 + line,
        [
          Span(mark, markRole),
          Span(" " + name + "  " + value, attribute.isProtected ? .locked : .normal),
        ])
    }
  }

  static func hint(_ state: SupportScreenState) -> String {
    if let modal = state.modal {
      switch modal {
      case .value: return " Enter: next (the reason)   Esc: cancel   Ctrl-U: erase"
      case .reason: return " Enter: review   Esc: cancel"
      case .review(let write, _, _):
        guard let user = state.user?.user else { return "" }
        return write.typedWord(username: user.username) != nil
          ? " Type the word, Enter: send   Esc: cancel" : " y: send   any other key: cancel"
      }
    }
    if state.editingQuery {
      return " Enter: search   Esc: cancel   email ^= \"zo\", username = \"x\", or a word"
    }
    if state.user != nil {
      return state.readOnly
        ? " READ-ONLY  ↑↓: move  r: reload  Esc: back to results  q: back"
        : " Space: mark  d: remove  e: edit  o: sign out  x: disable/enable  p: reset password  Esc: back"
    }
    return " /: search  Enter: open  n: more  r: refresh  q: quit"
  }

  private static func statusSpan(_ state: SupportScreenState) -> Span {
    if let busy = state.busy { return Span(" " + busy.text, .statusInfo) }
    guard let status = state.status else { return Span(" ", .statusInfo) }
    let role: Role =
      switch status.severity {
      case .info: .statusInfo
      case .warning: .statusWarning
      case .error: .statusError
      }
    return Span(" " + status.severity.prefix + TerminalText.escape(status.text), role)
  }

  private static func dialog(
    _ modal: SupportModal, _ state: SupportScreenState, _ layout: inout Layout
  ) {
    guard let user = state.user?.user else { return }
    let width = state.size.columns
    let boxWidth = min(width - 2, 76)
    let inner = boxWidth - 4
    let title: String
    var input: (label: String, text: String, cursor: Int)?
    let value = { (text: String) in DisplayWidth.truncate(TerminalText.escape(text), to: 60) }
    let who = [
      (
        "User:   " + TerminalText.escape(user.username)
          + (user.sub.map { " (sub \(TerminalText.escape($0)))" } ?? ""), Role.dialog
      ),
      ("Pool:   " + TerminalText.escape(state.userPool), .dialog),
    ]
    // What the dialog shows in three parts: the first and last are always whole, the items
    // between them give way ("+N more") when the terminal is short.
    var head: [(String, Role)] = who
    var items: [(String, Role)] = []
    var tail: [(String, Role)] = []
    switch modal {
    case .value(let attribute, let editor):
      title = "New value of \(TerminalText.escape(attribute.name))"
      head.append(("Now: " + value(attribute.value), .dialog))
      let (text, cursor) = AccountRenderer.editorWindow(editor, width: inner - 7)
      input = ("Value: ", text, cursor)
    case .reason(let write, let editor):
      title = "Reason for \(write.operation)"
      head.append(("A ticket id or a sentence; it goes to the audit log.", .dialog))
      let (text, cursor) = AccountRenderer.editorWindow(editor, width: inner - 9)
      input = ("Reason: ", text, cursor)
    case .review(let write, let reason, let typed):
      title = "Review: \(write.operation)"
      head.append(("Reason: " + TerminalText.escape(reason), .dialog))
      switch write {
      case .remove(let attributes):
        head.append(("These attributes will be removed:", .dialogTitle))
        items = attributes.map {
          ("- " + TerminalText.escape($0.name) + " = " + value($0.value), .dialog)
        }
        tail = attributes.compactMap { RemovalRules.consequence(of: $0.name) }.map {
          ($0, .dialogTitle)
        }
      case .edit(let edit):
        head.append(("This change will be sent:", .dialogTitle))
        items = [
          (
            "- " + TerminalText.escape(edit.name) + ": " + value(edit.old ?? "") + " -> "
              + value(edit.new),
            .dialog
          )
        ]
        tail = EditRules.consequence(of: edit).map { [($0, Role.dialogTitle)] } ?? []
      case .action(let action):
        head.append(("\(action.operation): \(action.consequence).", .dialogTitle))
      }
      if let word = write.typedWord(username: user.username) {
        tail.append(("Type \(TerminalText.escape(word)) to send it:", .dialogTitle))
        input = ("> ", TerminalText.escape(typed), DisplayWidth.of(TerminalText.escape(typed)))
      } else {
        tail.append(("y sends it; any other key cancels.", .dialogTitle))
      }
    }
    func wrap(_ lines: [(String, Role)]) -> [(String, Role)] {
      lines.flatMap { line in AccountRenderer.wrap(line.0, inner).map { ($0, line.1) } }
    }
    let fixed = wrap(head).count + wrap(tail).count + (input == nil ? 0 : 1)
    var shownItems = wrap(items)
    let room = max(0, layout.dialogHeight - 2 - fixed)
    if shownItems.count > room {
      let kept = max(0, room - 1)
      let hidden = items.count - Set(shownItems.prefix(kept).map(\.0)).count
      shownItems = Array(shownItems.prefix(kept)) + [("… and \(max(1, hidden)) more", .dialogTitle)]
    }
    let lines = wrap(head) + shownItems + wrap(tail)
    let wrapped = lines
    let bodyHeight = wrapped.count + (input == nil ? 0 : 1)
    let height = min(layout.dialogHeight, bodyHeight + 2)
    let top = max(1, (state.size.rows - height) / 2)
    let left = max(0, (width - boxWidth) / 2)
    let (topLeft, topRight, bottomLeft, bottomRight) = state.lineStyle.corners
    let horizontal = state.lineStyle.horizontal
    let titleText = " " + title + " "
    let topLine =
      topLeft + horizontal + titleText
      + String(repeating: horizontal, count: max(0, boxWidth - 3 - DisplayWidth.of(titleText)))
      + topRight
    layout.overlay(top, at: left, [Span(topLine, .dialogTitle)])
    var row = top + 1
    for (text, role) in wrapped.prefix(height - 2 - (input == nil ? 0 : 1)) {
      layout.overlay(
        row, at: left,
        [
          Span(state.lineStyle.vertical + " ", .dialog),
          Span(DisplayWidth.pad(DisplayWidth.truncate(text, to: inner), to: inner), role),
          Span(" " + state.lineStyle.vertical, .dialog),
        ])
      row += 1
    }
    if let input {
      let text = DisplayWidth.truncate(input.label + input.text, to: inner)
      layout.overlay(
        row, at: left,
        [
          Span(state.lineStyle.vertical + " ", .dialog),
          Span(DisplayWidth.pad(text, to: inner), .input),
          Span(" " + state.lineStyle.vertical, .dialog),
        ])
      layout.cursor = (row, left + 2 + min(inner, DisplayWidth.of(input.label) + input.cursor))
      row += 1
    }
    layout.overlay(
      row, at: left,
      [Span(bottomLeft + String(repeating: horizontal, count: boxWidth - 2) + bottomRight, .dialog)]
    )
  }
}
