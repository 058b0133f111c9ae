public import AccountCore

/// Lays the account screen out as a ``Screen``: pure, so it is tested as text snapshots.
public enum AccountRenderer {
  /// Renders `state` at its terminal size.
  public static func render(_ state: TUIState) -> Screen {
    let size = state.size
    guard size.rows > 0, size.columns > 0 else { return Screen(size: size, rows: []) }
    if size.isTooSmall { return tooSmall(size) }
    var layout = Layout(size: size)
    layout.put(0, headerSpans(state, width: size.columns))
    if let form = state.setup {
      setupBody(state, form, &layout)
    } else if let form = state.signIn {
      signInBody(state, form, &layout)
    } else {
      switch state.currentView {
      case .attributes:
        table(state, &layout)
        // A dialog is drawn over the list, which stays visible around it.
        if let modal = state.modal {
          layout.focusRow = nil
          dialog(modal, state, &layout)
        }
      case .help(let page):
        helpBody(state, page, &layout)
      case .security(let page):
        securityBody(state, page, &layout)
      }
    }
    let (keys, count) = hint(state)
    layout.put(size.rows - 2, [Span(keys, .hint), Span(count, .normal)])
    let status = statusSpan(state)
    if DisplayWidth.of(status.text) <= size.columns || status.role == .statusInfo {
      layout.put(size.rows - 1, [status])
    } else {
      // An error or warning longer than the status bar: over the hint line too, never cut off
      // without a way to read the rest (! shows it whole).
      var lines = wrap(String(status.text.dropFirst()), size.columns - 1).map { " " + $0 }
      if lines.count > 2 {
        let more = " … (!: all)"
        lines = [
          lines[0],
          DisplayWidth.truncate(lines[1], to: size.columns - DisplayWidth.of(more)) + more,
        ]
      }
      layout.put(size.rows - 2, [Span(lines[0], status.role)])
      layout.put(size.rows - 1, [Span(lines.count > 1 ? lines[1] : "", status.role)])
    }
    return layout.screen
  }

  // MARK: Pieces

  private static func headerSpans(_ state: TUIState, width: Int) -> [Span] {
    var parts = [" cognito-account"]
    if let username = state.header.username { parts.append(TerminalText.escape(username)) }
    parts.append(TerminalText.escape(state.header.context))
    if !state.header.region.isEmpty { parts.append(state.header.region) }
    let separator = "  " + state.lineStyle.vertical + "  "
    var text = parts.joined(separator: separator)
    if state.header.readOnly { text += separator + "READ-ONLY" }
    return [Span(text, .header)]
  }

  private static func table(_ state: TUIState, _ layout: inout Layout) {
    let width = state.size.columns
    let visible = state.visibleAttributes
    let longest = state.attributes.map { DisplayWidth.of(TerminalText.escape($0.name)) }.max() ?? 4
    let nameWidth = max(4, min(longest, max(12, (width - 4) / 3)))
    let title = "    " + DisplayWidth.pad("NAME", to: nameWidth) + "  VALUE"
    var titles = title
    if !state.filter.isEmpty || state.editingFilter {
      titles += "   (filter: \(visible.count) of \(state.attributes.count))"
    }
    layout.put(1, [Span(titles, .columnTitles)])
    let firstRow = 2
    if visible.isEmpty {
      let message =
        !state.loaded
        ? "  Reading your attributes…"
        : state.attributes.isEmpty ? "  No attributes" : "  No attribute matches the filter"
      layout.put(firstRow, [Span(message, .normal)])
      return
    }
    for line in 0..<state.tableHeight {
      let index = state.scroll + line
      guard visible.indices.contains(index) else { break }
      let attribute = visible[index]
      let pending = state.pendingEdit(attribute.name)
      let marked = state.marks.contains(attribute.name) || pending != nil
      let mark =
        attribute.isProtected
        ? "[-] "
        : state.marks.contains(attribute.name)
          ? "[x] " : pending?.isAddition == true ? "[+] " : pending != nil ? "[~] " : "[ ] "
      let name = DisplayWidth.pad(
        DisplayWidth.truncate(TerminalText.escape(attribute.name), to: nameWidth), to: nameWidth)
      let valueWidth = max(1, width - 4 - nameWidth - 2)
      let tag = state.isUnverified(attribute.name) ? "  (unverified)" : ""
      let value = DisplayWidth.truncate(
        TerminalText.escape(pending?.new ?? attribute.value),
        to: max(1, valueWidth - DisplayWidth.of(tag)))
      // Only the mark column carries the cursor (reverse video) and the mark (bold): a cursor
      // move or a mark toggle then rewrites a few cells, not whole rows, over a slow link.
      let isCursor = index == state.cursor
      if isCursor { layout.focusRow = firstRow + line }
      let markRole: Role
      switch (isCursor, attribute.isProtected, marked) {
      case (true, true, _): markRole = .cursorLocked
      case (true, false, true): markRole = .cursorMarked
      case (true, false, false): markRole = .cursor
      case (false, true, _): markRole = .locked
      case (false, false, true): markRole = .marked
      case (false, false, false): markRole = .normal
      }
      let textRole: Role = attribute.isProtected ? .locked : .normal
      var spans = [
        Span(String(mark.dropLast()), markRole), Span(" " + name + "  " + value, textRole),
      ]
      if !tag.isEmpty { spans.append(Span(tag, .marked)) }
      layout.put(firstRow + line, spans, fill: textRole)
    }
  }

  /// The hint line: the keys that apply now and, on the list, the mark count at the right end.
  private static func hint(_ state: TUIState) -> (keys: String, count: String) {
    if let keys = dialogHint(state) { return (keys, "") }
    // Short enough that the count fits beside it at 80 columns: marking never rewrites the keys.
    // Every key, r (read again) included, is in the help (?).
    let keys =
      state.header.readOnly
      ? " READ-ONLY  /: filter  Enter: value  r: refresh  ?: help  q: quit"
      : " Space: mark  d: remove  e: edit  s: save  /: filter  ?: help  q: quit"
    // "3 marked " at a fixed place at the right end, in plain video: a toggle rewrites a digit
    // or two and leaves the terminal's attributes as they were.
    var count = state.marks.isEmpty ? "" : "\(state.marks.count) marked "
    if !state.edits.isEmpty { count += "\(state.edits.count) edited " }
    let room = max(0, state.size.columns - DisplayWidth.of(count) - 1)
    return (DisplayWidth.pad(DisplayWidth.truncate(keys, to: room), to: room) + " ", count)
  }

  /// The keys of the sign-in form, a view other than the list, the filter line or an open
  /// dialog; nil on the list.
  private static func dialogHint(_ state: TUIState) -> String? {
    if let form = state.setup {
      return form.field.isChoice
        ? " Space: change   ↑↓: line   Enter: "
          + (form.field == SetupField.allCases.last ? "check and save" : "next") + "   Esc: quit"
        : " ↑↓: line   Enter: "
          + (form.field == SetupField.allCases.last ? "check and save" : "next")
          + "   Ctrl-U: erase   Esc: quit"
    }
    if let form = state.signIn {
      switch form.stage {
      case .newPassphrase: return " Enter: next   Backspace: erase   Esc: do not keep the session"
      case .keepInMemory: return " y: this run only   any other key: back"
      default: return " Enter: next   Backspace: erase   Esc: quit"
      }
    }
    if case .security(let page) = state.currentView { return securityHint(state, page) }
    if case .help = state.currentView {
      return " " + HelpKeymap.bindings.map { "\($0.label): \($0.help)" }.joined(separator: "   ")
    }
    if state.editingFilter {
      return " Filter: " + TerminalText.escape(state.filter) + "   (Enter: keep   Esc: clear)"
    }
    return state.modal.map { DialogKeymap.hint(DialogContext($0)) }
  }

  private static func statusSpan(_ state: TUIState) -> Span {
    if let busy = state.busy { return Span(" " + busy.text, .statusInfo) }
    guard let status = state.status else { return Span(" ", .statusInfo) }
    let role: Role
    switch status.severity {
    case .info: role = .statusInfo
    case .warning: role = .statusWarning
    case .error: role = .statusError
    }
    return Span(" " + status.severity.prefix + TerminalText.escape(status.text), role)
  }

  private static func tooSmall(_ size: TerminalSize) -> Screen {
    var layout = Layout(size: size)
    let lines = [
      "Terminal too small",
      "needs \(TerminalSize.minimum.columns)×\(TerminalSize.minimum.rows), now \(size.columns)×\(size.rows)",
    ]
    let top = max(0, size.rows / 2 - 1)
    for (offset, line) in lines.enumerated() where top + offset < size.rows {
      let pad = max(0, (size.columns - DisplayWidth.of(line)) / 2)
      layout.put(top + offset, [Span(String(repeating: " ", count: pad) + line, .normal)])
    }
    return layout.screen
  }

  // MARK: Dialogs

  private static func dialog(_ modal: Modal, _ state: TUIState, _ layout: inout Layout) {
    let width = state.size.columns
    let boxWidth = min(width - 2, 76)
    let inner = boxWidth - 4
    var title: String
    var body: [(String, Role)] = []
    var footer: [(String, Role)] = []
    var input: String?
    var inputCursor: Int?
    func field(_ editor: LineEditor) {
      let window = editorWindow(editor, width: inner - 2)
      input = window.text
      inputCursor = window.cursor
    }
    switch modal {
    case .review(let review):
      let count = review.targets.count
      title = "Remove \(count) attribute\(count == 1 ? "" : "s")?"
      body += attributeLines(review.targets, width: inner)
      body.append(
        ("This cannot be undone on the server. (u puts the old values back,", .dialogTitle))
      body.append(("in this run only.)", .dialogTitle))
      for consequence in review.targets.compactMap({ RemovalRules.consequence(of: $0.name) }) {
        body += wrap(consequence, inner).map { ($0, .dialogTitle) }
      }
      if review.needsTypedConfirmation {
        footer.append(
          ("Type \(RemovalRules.confirmationWord) and press Enter to remove:", .dialogTitle))
        input = TerminalText.escape(review.typed)
      } else {
        footer.append(("y: remove    n / Esc / Enter: cancel (the default)", .dialog))
      }
    case .undo(let attributes):
      title = "Restore \(attributes.count) attribute\(attributes.count == 1 ? "" : "s")?"
      body += attributeLines(attributes, width: inner)
      if let consequence = RemovalRules.restoreConsequence(of: attributes.map(\.name)) {
        body += wrap(consequence, inner).map { ($0, .dialogTitle) }
      }
      footer.append(("y: restore    n / Esc / Enter: cancel", .dialog))
    case .value(let attribute, let offset):
      title = TerminalText.escape(attribute.name)
      let lines = wrap(TerminalText.escape(attribute.value), inner)
      let room = max(1, layout.dialogHeight - 2)
      let start = min(offset, max(0, lines.count - room))
      body = lines.dropFirst(start).prefix(room).map { ($0, .dialog) }
      if lines.isEmpty { body = [("(empty)", .dialog)] }
    case .message(let status):
      switch status.severity {
      case .info: title = "Message"
      case .warning: title = "Warning"
      case .error: title = "Error"
      }
      body = wrap(TerminalText.escape(status.text), inner).map { ($0, .dialog) }
    case .quitWithMarks:
      title = "Quit?"
      if !state.marks.isEmpty {
        body.append(
          (
            "\(state.marks.count) attribute\(state.marks.count == 1 ? " is" : "s are") marked and not removed.",
            .dialog
          ))
      }
      if !state.edits.isEmpty {
        body.append(
          (
            "\(state.edits.count) edit\(state.edits.count == 1 ? " is" : "s are") pending and not saved.",
            .dialog
          ))
      }
      body.append(("y: quit without sending them    any other key: stay", .dialog))
    case .editValue(let name, let original, let editor):
      title = (original == nil ? "Add " : "Edit ") + TerminalText.escape(name)
      if let original {
        body.append(("Was: " + TerminalText.escape(original), .dialog))
      }
      if EditRules.verifiedBy[name] != nil {
        body.append(("Saving a new value sends a code to it (see the review).", .dialogTitle))
      }
      body.append(("The edit stays pending until s saves it.", .dialog))
      field(editor)
    case .addName(let editor):
      title = "Add an attribute"
      let present = Set(state.attributes.map(\.name) + state.edits.map(\.name))
      let missing = AttributeRules.standardNames.sorted().filter {
        !present.contains($0) && AttributeRules.writeProtectionReason($0) == nil
      }
      body.append(("Name: a standard one, or custom:… for the pool's own.", .dialog))
      if !missing.isEmpty {
        body += wrap("Not set yet: " + missing.joined(separator: ", "), inner).map {
          ($0, .dialog)
        }
      }
      field(editor)
    case .editReview(let review):
      let count = review.edits.count
      title = "Save \(count) change\(count == 1 ? "" : "s")?"
      body += editLines(review.edits, width: inner, undo: false, style: state.lineStyle)
      for consequence in review.edits.compactMap(EditRules.consequence) {
        body += wrap(consequence, inner).map { ($0, .dialogTitle) }
      }
      body.append(("One UpdateUserAttributes call; u undoes it in this run.", .dialogTitle))
      if review.needsTypedConfirmation {
        footer.append(("Type \(EditRules.confirmationWord) and press Enter to save:", .dialogTitle))
        input = TerminalText.escape(review.typed)
      } else {
        footer.append(("y: save    n / Esc / Enter: cancel (the default)", .dialog))
      }
    case .undoEdits(let edits):
      title = "Undo \(edits.count) change\(edits.count == 1 ? "" : "s")?"
      body += editLines(edits, width: inner, undo: true, style: state.lineStyle)
      if let consequence = RemovalRules.restoreConsequence(
        of: edits.filter { $0.old != nil }.map(\.name))
      {
        body += wrap(consequence, inner).map { ($0, .dialogTitle) }
      }
      footer.append(("y: undo    n / Esc / Enter: cancel", .dialog))
    case .verify(let name, let editor):
      title = "Verify " + TerminalText.escape(name)
      if let destination = state.codeDestinations[name] {
        body.append(("A code went to " + TerminalText.escape(destination) + ".", .dialog))
      } else {
        body.append(("Cognito sent a code when \(name) was set; Tab asks for a new one.", .dialog))
      }
      body.append(("Type the code, then Enter.", .dialog))
      field(editor)
    case .changePassword(let form):
      title = "Change password"
      let hidden = "********"
      var lines: [(String, Role)] = []
      switch form.stage {
      case .current:
        lines.append(("Current password:", .dialogTitle))
      case .new:
        lines.append(("Current password:      " + hidden, .dialog))
        lines.append(("New password:", .dialogTitle))
      case .repeated:
        lines.append(("Current password:      " + hidden, .dialog))
        lines.append(("New password:          " + hidden, .dialog))
        lines.append(("New password, again:", .dialogTitle))
      }
      body = lines
      input = String(repeating: "*", count: form.input.count)
    }
    drawBox(
      title: title, body: body, footer: footer, input: input, inputCursor: inputCursor,
      state: state, layout: &layout)
  }

  /// Draws a dialog box centred over the view: a title in the top border, the body (wrapped,
  /// cut with "… and N more lines" when too long), the footer, and an input line when given.
  static func drawBox(
    title: String, body: [(String, Role)], footer: [(String, Role)], input: String?,
    inputCursor: Int?, state: TUIState, layout: inout Layout
  ) {
    let width = state.size.columns
    let boxWidth = min(width - 2, 76)
    let inner = boxWidth - 4
    func fit(_ lines: [(String, Role)]) -> [(String, Role)] {
      lines.flatMap { line in
        DisplayWidth.of(line.0) <= inner ? [line] : wrap(line.0, inner).map { ($0, line.1) }
      }
    }
    let body = fit(body)
    let footer = fit(footer)
    var lines: [[Span]] = []
    let line = state.lineStyle
    let (topLeft, topRight, bottomLeft, bottomRight) = line.corners
    let titleText = DisplayWidth.truncate(" " + title + " ", to: boxWidth - 4)
    let dashes = boxWidth - 2 - DisplayWidth.of(titleText) - 2
    lines.append([
      Span(topLeft + line.horizontal + line.horizontal, .dialog), Span(titleText, .dialogTitle),
      Span(String(repeating: line.horizontal, count: max(0, dashes)) + topRight, .dialog),
    ])
    let room = max(1, layout.dialogHeight - 2 - footer.count - (input == nil ? 0 : 1))
    var shown = body.prefix(room).map { $0 }
    if body.count > room, let last = shown.indices.last {
      shown[last] = ("… and \(body.count - room + 1) more lines", .dialog)
    }
    for (text, role) in shown + footer {
      lines.append([
        Span(line.vertical + " ", .dialog),
        Span(DisplayWidth.pad(DisplayWidth.truncate(text, to: inner), to: inner), role),
        Span(" " + line.vertical, .dialog),
      ])
    }
    var inputRow: Int?
    if let input {
      inputRow = lines.count
      lines.append([
        Span(line.vertical + " ", .dialog), Span(DisplayWidth.pad("> " + input, to: inner), .input),
        Span(" " + line.vertical, .dialog),
      ])
    }
    lines.append([
      Span(
        bottomLeft + String(repeating: line.horizontal, count: boxWidth - 2) + bottomRight, .dialog)
    ])
    let left = max(0, (width - boxWidth) / 2)
    let top = 1 + max(0, (layout.dialogHeight - lines.count) / 2)
    for (offset, spans) in lines.enumerated() where top + offset < state.size.rows - 2 {
      layout.overlay(top + offset, at: left, spans)
    }
    if let inputRow, let input {
      layout.cursor = (top + inputRow, left + 2 + 2 + (inputCursor ?? DisplayWidth.of(input)))
    }
  }

  private static func attributeLines(_ attributes: [Attribute], width: Int) -> [(String, Role)] {
    let nameWidth = min(
      attributes.map { DisplayWidth.of(TerminalText.escape($0.name)) }.max() ?? 4, width / 2)
    return attributes.map { attribute in
      let name = DisplayWidth.pad(
        DisplayWidth.truncate(TerminalText.escape(attribute.name), to: nameWidth), to: nameWidth)
      let value = DisplayWidth.truncate(
        TerminalText.escape(attribute.value), to: max(1, width - nameWidth - 4))
      return ("  " + name + "  " + value, .dialog)
    }
  }

  /// Each edit as `name: old → new` (`name (new): value` for an addition); reversed for undo.
  private static func editLines(
    _ edits: [AttributeEdit], width: Int, undo: Bool, style: LineStyle
  ) -> [(String, Role)] {
    let arrow = style == .unicode ? " → " : " -> "
    let nameWidth = min(
      edits.map { DisplayWidth.of(TerminalText.escape($0.name)) }.max() ?? 4, width / 3)
    return edits.map { edit in
      let name = DisplayWidth.pad(
        DisplayWidth.truncate(TerminalText.escape(edit.name), to: nameWidth), to: nameWidth)
      let room = max(4, (width - nameWidth - 8) / 2)
      let new = DisplayWidth.truncate(TerminalText.escape(edit.new), to: room)
      let text: String
      switch (edit.old, undo) {
      case (nil, false): text = "(new) " + new
      case (nil, true): text = new + arrow + "(removed)"
      case (let old?, false):
        text = DisplayWidth.truncate(TerminalText.escape(old), to: room) + arrow + new
      case (let old?, true):
        text = new + arrow + DisplayWidth.truncate(TerminalText.escape(old), to: room)
      }
      return ("  " + name + "  " + text, .dialog)
    }
  }

  /// The part of `editor`'s text that fits `width` cells with the cursor in view, escaped, and
  /// the cursor's column within it.
  public static func editorWindow(_ editor: LineEditor, width: Int) -> (text: String, cursor: Int) {
    let pieces = editor.characters.map { TerminalText.escape(String($0)) }
    let widths = pieces.map(DisplayWidth.of)
    let room = max(1, width)
    var start = 0
    while start < editor.cursor && widths[start..<editor.cursor].reduce(0, +) > room - 1 {
      start += 1
    }
    var text = ""
    var used = 0
    for index in start..<pieces.count {
      if used + widths[index] > room { break }
      text += pieces[index]
      used += widths[index]
    }
    return (text, widths[start..<editor.cursor].reduce(0, +))
  }

  /// Splits text into lines of at most `width` cells (at spaces when possible).
  static func wrap(_ text: String, _ width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      var piece = String(word)
      let pieceWidth = DisplayWidth.of(piece)
      if lineWidth > 0 && lineWidth + 1 + pieceWidth <= width {
        line += " " + piece
        lineWidth += 1 + pieceWidth
        continue
      }
      if lineWidth > 0 {
        lines.append(line)
        line = ""
        lineWidth = 0
      }
      while DisplayWidth.of(piece) > width {
        var head = ""
        var used = 0
        var rest = piece[...]
        while let character = rest.first, used + DisplayWidth.of(String(character)) <= width {
          head.append(character)
          used += DisplayWidth.of(String(character))
          rest = rest.dropFirst()
        }
        if head.isEmpty, let character = rest.first {
          head.append(character)
          rest = rest.dropFirst()
        }
        lines.append(head)
        piece = String(rest)
      }
      line = piece
      lineWidth = DisplayWidth.of(piece)
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }

  // MARK: Help

  /// The help view: the keys of the view below it, one per line, scrolled.
  private static func helpBody(_ state: TUIState, _ page: HelpPage, _ layout: inout Layout) {
    let subject = state.helpSubject
    let lines = subject.helpLines
    let height = state.tableHeight
    let offset = min(page.offset, max(0, lines.count - height))
    var title = " Keys: " + subject.title
    if lines.count > height {
      title += "   (lines \(offset + 1)–\(min(lines.count, offset + height)) of \(lines.count))"
    }
    layout.put(1, [Span(title, .columnTitles)])
    // Labels line up within a section (the lines between two headings).
    var labelWidths: [Int] = []
    var sectionStart = 0
    for (index, line) in (lines + [.heading("")]).enumerated() {
      guard case .heading = line else { continue }
      let width =
        lines[sectionStart..<index].compactMap { line -> Int? in
          if case .key(let key) = line { DisplayWidth.of(key.label) } else { nil }
        }.max() ?? 0
      labelWidths += Array(repeating: width, count: index - sectionStart) + [0]
      sectionStart = index + 1
    }
    for (row, (line, labelWidth)) in zip(lines, labelWidths).dropFirst(offset).prefix(height)
      .enumerated()
    {
      let span: Span
      switch line {
      case .key(let key):
        span = Span("  " + DisplayWidth.pad(key.label, to: labelWidth) + "  " + key.help, .normal)
      case .heading(let text): span = Span(" " + text, .columnTitles)
      case .note(let text): span = Span("  " + text, .normal)
      }
      layout.put(2 + row, [span])
    }
  }

  // MARK: Sign-in

  /// The sentences above the passphrase field: what it protects, and for how long it stays
  /// unlocked.
  private static func passphraseExplanation(_ state: TUIState) -> [String] {
    let width = max(20, state.size.columns - 6)
    let path = TerminalText.escape(state.storeAfterSignIn?.path ?? "the keyfile")
    let minutes = state.storeAfterSignIn?.unlockMinutes ?? 0
    let text =
      "Your session is kept in \(path), encrypted with a passphrase you choose now. "
      + (minutes > 0
        ? "After you type it, it stays unlocked for \(minutes) minutes. "
        : "You type it each time the session is used. ")
      + "Esc: do not keep the session."
    return wrap(text, width)
  }

  private static func setupBody(_ state: TUIState, _ form: SetupForm, _ layout: inout Layout) {
    layout.put(1, [Span(" Set up profile '\(form.profileName)'", .columnTitles)])
    let width = max(10, state.size.columns - 6)
    var row = 3
    let intro =
      "Written to \(form.configPath)"
      + (form.replacing
        ? ", replacing the incomplete profile '\(form.profileName)' there."
        : " (other profiles and comments are kept).")
      + " The last line asks Cognito whether the pool and the client exist (no account"
      + " needed), then saves, then you sign in."
    for line in wrap(TerminalText.escape(intro), width) {
      layout.put(row, [Span("   " + line, .normal)])
      row += 1
    }
    row += 1
    let active = state.busy == nil
    for field in SetupField.allCases {
      let current = field == form.field && active
      let prefix = (current ? " > " : "   ") + DisplayWidth.pad(field.label, to: 22)
      let value: String
      var note = ""
      switch field {
      case .signInFlow:
        value = form.draft.passwordFlow ? "< password >" : "< SRP >"
        note =
          form.draft.passwordFlow
          ? "  USER_PASSWORD_AUTH: the password is sent over TLS"
          : "  the password never leaves this machine"
      case .readOnly:
        value = form.draft.readOnly ? "< yes >" : "< no >"
        note = form.draft.readOnly ? "  nothing can be changed" : ""
      default:
        value = TerminalText.escape(form.text(field))
        if value.isEmpty {
          switch field {
          case .region: note = "(from the pool id)"
          case .clientSecretFile: note = "(none: the client has no secret)"
          case .userPoolID: note = current ? "" : "(like eu-west-1_AbC123)"
          default: break
          }
        }
      }
      layout.put(
        row,
        [Span(prefix + value, current ? .input : .normal), Span(note, .hint), Span("", .normal)])
      if current {
        let typed =
          field.isChoice
          ? value.count - 2
          : DisplayWidth.of(
            TerminalText.escape(String(form.editor.characters.prefix(form.editor.cursor))))
        layout.cursor = (row, DisplayWidth.of(prefix) + typed)
      }
      row += 1
    }
    if let status = state.status, status.severity == .error, state.busy == nil {
      row += 1
      for line in wrap(TerminalText.escape(status.text), width) {
        layout.put(row, [Span("   " + line, .statusError)], fill: .normal)
        row += 1
      }
    }
  }

  private static func signInBody(_ state: TUIState, _ form: SignInForm, _ layout: inout Layout) {
    layout.put(1, [Span(" Sign in", .columnTitles)])
    layout.put(
      3,
      [
        Span(
          "   " + TerminalText.escape(state.header.context) + "   " + state.header.region, .normal)
      ])
    var row = 5
    func field(_ label: String, _ value: String, active: Bool) {
      let text = "   " + DisplayWidth.pad(label, to: 22) + value
      layout.put(row, [Span(text, active ? .input : .normal)])
      if active { layout.cursor = (row, DisplayWidth.of(text)) }
      row += 1
    }
    let typing = TerminalText.escape(form.input)
    let masked = String(repeating: "*", count: form.input.count)
    switch form.stage {
    case .username:
      field("Username:", typing, active: state.busy == nil)
    case .password:
      field("Username:", TerminalText.escape(form.username), active: false)
      field("Password:", masked, active: state.busy == nil)
    case .challenge(.setUpApp(let enrolment), let repeating):
      enrolmentBody(
        enrolment, title: " Your account needs MFA: set up an authenticator app", state: state,
        typing: form.input, typingName: repeating, &layout)
    case .challenge(let prompt, let repeating):
      field("Username:", TerminalText.escape(form.username), active: false)
      switch prompt {
      case .setUpApp: break
      case .newPassword:
        field(
          repeating ? "Repeat new password:" : "New password:", masked, active: state.busy == nil)
      case .code(let kind, let destination):
        if let destination {
          layout.put(row, [Span("   Code sent to " + TerminalText.escape(destination), .normal)])
        }
        row += 1
        field("Code (\(kind)):", typing, active: state.busy == nil)
      case .chooseMFA(let options):
        for (index, option) in options.enumerated() {
          layout.put(
            row,
            [Span("   \(index + 1). " + MFAMethods.label(option), .normal)])
          row += 1
        }
        field("Method number:", typing, active: state.busy == nil)
      }
    case .newPassphrase(let repeating):
      field("Username:", TerminalText.escape(form.username), active: false)
      row += 1
      for line in passphraseExplanation(state) {
        layout.put(row, [Span("   " + line, .normal)])
        row += 1
      }
      row += 1
      field(
        repeating ? "Passphrase again:" : "Passphrase:", masked, active: state.busy == nil)
    case .keepInMemory:
      field("Username:", TerminalText.escape(form.username), active: false)
      row += 1
      for line in [
        "Keep the session for this run only?",
        "Nothing is written to disk; you sign in again next time.",
        "",
        "y: yes, this run only     any other key: choose a passphrase",
      ] {
        layout.put(row, [Span("   " + line, .normal)])
        row += 1
      }
    }
  }
}

/// Builds a screen's rows, each exactly the screen's width.
struct Layout {
  let size: TerminalSize
  var rows: [ScreenRow]
  var cursor: (row: Int, column: Int)?
  var focusRow: Int?

  init(size: TerminalSize) {
    self.size = size
    rows = Array(
      repeating: ScreenRow([Span(String(repeating: " ", count: size.columns), .normal)]),
      count: size.rows)
  }

  /// The rows between the header and the hint line, where dialogs go.
  var dialogHeight: Int { max(1, size.rows - 3) }

  /// Sets row `index` to `spans`, cut or padded to the width (padding in `fill`'s role, else the
  /// last span's role).
  mutating func put(_ index: Int, _ spans: [Span], fill: Role? = nil) {
    guard rows.indices.contains(index) else { return }
    var result: [Span] = []
    var used = 0
    for span in spans {
      let room = size.columns - used
      guard room > 0 else { break }
      let text =
        DisplayWidth.of(span.text) > room ? DisplayWidth.truncate(span.text, to: room) : span.text
      result.append(Span(text, span.role))
      used += DisplayWidth.of(text)
    }
    if used < size.columns {
      let role = fill ?? result.last?.role ?? .normal
      result.append(Span(String(repeating: " ", count: size.columns - used), role))
    }
    rows[index] = ScreenRow(result)
  }

  /// Draws `spans` over row `index` from column `column`, keeping what the row showed to the
  /// left and right of them (a wide character cut in two becomes a space).
  mutating func overlay(_ index: Int, at column: Int, _ spans: [Span]) {
    guard rows.indices.contains(index) else { return }
    let width = spans.reduce(0) { $0 + DisplayWidth.of($1.text) }
    let end = min(size.columns, column + width)
    let old = rows[index].spans
    put(
      index, Self.cut(old, from: 0, to: column) + spans + Self.cut(old, from: end, to: size.columns)
    )
  }

  /// The part of `spans` covering display columns `start..<end`, exactly that wide.
  static func cut(_ spans: [Span], from start: Int, to end: Int) -> [Span] {
    guard end > start else { return [] }
    var result: [Span] = []
    var column = 0
    for span in spans {
      var text = ""
      for character in span.text {
        let width = DisplayWidth.of(String(character))
        defer { column += width }
        if column >= end { break }
        if column >= start && column + width <= end {
          text.append(character)
        } else if column + width > start {
          // Straddles an edge: the part inside becomes spaces.
          text += String(repeating: " ", count: min(end, column + width) - max(start, column))
        }
      }
      if !text.isEmpty { result.append(Span(text, span.role)) }
      if column >= end { break }
    }
    return result
  }

  var screen: Screen {
    var screen = Screen(size: size, rows: rows)
    screen.cursor = cursor
    screen.focusRow = focusRow
    return screen
  }
}
