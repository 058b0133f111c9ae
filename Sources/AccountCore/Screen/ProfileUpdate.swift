/// The attribute list's editing: pending edits and additions, their review and save, undo of a
/// save, verification codes and the password. Pure, like the rest of ``TUIUpdate``; the rules
/// (which names may be written, which values, when `change` must be typed) are ``EditRules``,
/// shared with the CLI.
extension TUIUpdate {
  // MARK: Keys on the list

  static func handleProfileAction(_ state: inout TUIState, _ action: ListAction) -> [TUIEffect] {
    if state.header.readOnly {
      state.status = StatusMessage(.warning, "Read-only: editing is disabled")
      return []
    }
    // While a call runs, the edits and the account may be about to change under the cursor.
    guard state.busy == nil else { return [] }
    switch action {
    case .editValue:
      guard let current = state.currentAttribute else { return [] }
      if let reason = AttributeRules.writeProtectionReason(current.name) {
        state.status = StatusMessage(.warning, "\(current.name) cannot be changed: " + reason)
        return []
      }
      let original = state.attributes.first { $0.name == current.name }?.value
      let shown = state.pendingEdit(current.name)?.new ?? current.value
      state.modal = .editValue(name: current.name, original: original, editor: LineEditor(shown))
    case .addAttribute:
      state.modal = .addName(LineEditor("", limit: AttributeRules.maximumNameLength))
    case .reviewEdits:
      guard state.busy == nil else { return [] }
      guard !state.edits.isEmpty else {
        state.status = StatusMessage(.info, "No pending edits: e edits a value, a adds one")
        return []
      }
      state.modal = .editReview(EditReview(edits: state.edits, typed: ""))
    case .dropEdit:
      guard let current = state.currentAttribute, state.pendingEdit(current.name) != nil else {
        return []
      }
      state.edits.removeAll { $0.name == current.name }
      state.status = StatusMessage(.info, "Dropped the pending edit of \(current.name)")
    case .verifyAttribute:
      // The current row when it is email or phone_number on the account; else the attribute a
      // code was last sent for (a new value a pool keeps back until verified has no row).
      let current = state.currentAttribute?.name
      let name: String
      if let current, EditRules.verifiedBy[current] != nil,
        state.attributes.contains(where: { $0.name == current })
          || state.codeDestinations[current] != nil
      {
        name = current
      } else if let pending = state.codeDestinations.keys.sorted().first {
        name = pending
      } else {
        state.status = StatusMessage(
          .info, "Only email and phone_number are verified with a code")
        return []
      }
      state.modal = .verify(name: name, editor: LineEditor("", limit: 64))
      state.status = StatusMessage(
        .info,
        state.codeDestinations[name].map { "A code went to \($0)" }
          ?? "Type the code Cognito sent, or press Tab for a new one")
    case .changePassword:
      state.modal = .changePassword(PasswordForm())
      state.status = StatusMessage(.info, "Type your current password")
    default:
      break
    }
    return []
  }

  // MARK: Dialogs

  /// Keys for the editing dialogs; `nil` when `modal` is not one of them.
  static func handleProfileDialogKey(_ state: inout TUIState, _ modal: Modal, _ key: Key)
    -> [TUIEffect]?
  {
    switch modal {
    case .editValue(let name, let original, var editor):
      switch key {
      case .escape:
        state.modal = nil
        state.status = StatusMessage(.info, "Edit cancelled")
      case .enter:
        state.modal = nil
        keepEdit(&state, name: name, original: original, value: editor.text)
      default:
        if case .refused(let reason)? = editor.handle(key) {
          state.status = StatusMessage(.warning, reason)
        }
        state.modal = .editValue(name: name, original: original, editor: editor)
      }
      return []
    case .addName(var editor):
      switch key {
      case .escape:
        state.modal = nil
        state.status = StatusMessage(.info, "Nothing added")
      case .enter:
        let name = editor.text
        if let problem = AttributeRules.problem(with: name) {
          state.status = StatusMessage(.error, AttributeRules.message(for: problem, name: name))
        } else if let reason = AttributeRules.writeProtectionReason(name) {
          state.status = StatusMessage(.error, "\(name) cannot be set: " + reason)
        } else {
          let original = state.attributes.first { $0.name == name }?.value
          let shown = state.pendingEdit(name)?.new ?? original ?? ""
          state.modal = .editValue(name: name, original: original, editor: LineEditor(shown))
          state.status = StatusMessage(
            .info, original == nil ? "Type the value of \(name)" : "\(name) exists: editing it")
        }
      default:
        if case .refused(let reason)? = editor.handle(key) {
          state.status = StatusMessage(.warning, reason)
        }
        state.modal = .addName(editor)
      }
      return []
    case .editReview(var review):
      let context = DialogContext(modal)
      switch DialogKeymap.action(for: key, in: context) {
      case .confirm?:
        guard state.busy == nil else { return [] }
        if context == .typedEditReview
          && EditRules.typedWord(review.typed) != EditRules.confirmationWord
        {
          state.modal = nil
          state.status = StatusMessage(.info, "Cancelled: nothing saved; the edits stay pending")
          return []
        }
        state.modal = nil
        state.busy = .saving(count: review.edits.count)
        return [.saveEdits(review.edits)]
      case .cancel?:
        state.modal = nil
        state.status = StatusMessage(.info, "Cancelled: nothing saved; the edits stay pending")
      case .erase?:
        if !review.typed.isEmpty { review.typed.removeLast() }
        state.modal = .editReview(review)
      default:
        if context == .typedEditReview, case .character(let character) = key {
          review.typed.append(character)
          state.modal = .editReview(review)
        }
      }
      return []
    case .undoEdits(let edits):
      switch DialogKeymap.action(for: key, in: .undoEdits) {
      case .confirm?:
        guard state.busy == nil else { return [] }
        state.modal = nil
        state.busy = .undoingEdits(count: edits.count)
        return [.undoEdits(edits)]
      case .cancel?:
        state.modal = nil
        state.status = StatusMessage(.info, "Nothing undone")
      default: break
      }
      return []
    case .verify(let name, var editor):
      guard state.busy == nil else { return [] }
      switch key {
      case .escape:
        state.modal = nil
        state.status = StatusMessage(.info, "Not verified: v enters the code later")
      case .tab:
        state.busy = .sendingCode
        return [.sendCode(name)]
      case .enter:
        let code = editor.text.filter { !$0.isWhitespace }
        guard !code.isEmpty else {
          state.status = StatusMessage(.warning, "Type the code, or press Tab for a new one")
          return []
        }
        state.busy = .verifying
        state.modal = .verify(name: name, editor: LineEditor("", limit: editor.limit))
        return [.verifyCode(name: name, code: Sensitive(code))]
      default:
        if case .refused(let reason)? = editor.handle(key) {
          state.status = StatusMessage(.warning, reason)
        }
        state.modal = .verify(name: name, editor: editor)
      }
      return []
    case .changePassword(var form):
      guard state.busy == nil else { return [] }
      switch key {
      case .escape:
        state.modal = nil
        state.status = StatusMessage(.info, "Password not changed")
      case .character(let character):
        form.input.append(character)
      case .backspace:
        if !form.input.isEmpty { form.input.removeLast() }
      case .enter:
        guard !form.input.isEmpty else { return [] }
        let entry = Sensitive(form.input)
        form.input = ""
        switch form.stage {
        case .current:
          form.current = entry
          form.stage = .new
          state.status = StatusMessage(.info, "Type the new password")
        case .new:
          form.new = entry
          form.stage = .repeated
          state.status = StatusMessage(.info, "Type the new password again")
        case .repeated:
          guard let current = form.current, let new = form.new, new == entry else {
            form.new = nil
            form.stage = .new
            state.status = StatusMessage(.error, "The two new passwords differ; type it again")
            break
          }
          state.busy = .changingPassword
          state.modal = .changePassword(form)
          return [.changePassword(current: current, new: new)]
        }
      default:
        break
      }
      state.modal = .changePassword(form)
      return []
    default:
      return nil
    }
  }

  /// Records `value` as the pending value of `name` (or drops the edit when it is the value
  /// the account has), after the value rules.
  private static func keepEdit(
    _ state: inout TUIState, name: String, original: String?, value: String
  ) {
    if let problem = EditRules.problem(withValue: value) {
      state.status = StatusMessage(.error, "\(name): \(problem)")
      return
    }
    state.edits.removeAll { $0.name == name }
    if value == original {
      state.status = StatusMessage(.info, "\(name) is unchanged")
      return
    }
    state.edits.append(AttributeEdit(name: name, old: original, new: value))
    if let index = state.visibleAttributes.firstIndex(where: { $0.name == name }) {
      state.cursor = index
    }
    let count = state.edits.count
    state.status = StatusMessage(
      .info, "\(count) edit\(count == 1 ? "" : "s") pending: s reviews and saves")
  }

  // MARK: Results

  static func applyProfileEvent(_ state: inout TUIState, _ event: TUIEvent) -> [TUIEffect] {
    state.busy = nil
    switch event {
    case .editFinished(let report):
      state.setAttributes(report.after)
      let outcome = Dictionary(
        report.outcomes.map { ($0.name, $0.outcome) }, uniquingKeysWith: { first, _ in first })
      // Only what was sent settles: an edit typed while the call ran stays pending.
      state.edits.removeAll { edit in
        report.edits.contains(edit) && outcome[edit.name] != .failed
      }
      // Undo covers what the account now holds; a value waiting for its code is not there yet.
      let saved = report.edits.filter { outcome[$0.name] == .changed }
      if !saved.isEmpty {
        state.lastEdits = saved
        state.lastRemoved = []
      }
      for delivery in report.deliveries {
        state.codeDestinations[delivery.attribute] = delivery.destination
      }
      var parts: [String] = []
      if !saved.isEmpty {
        parts.append("Saved \(saved.count): " + saved.map(\.name).joined(separator: ", "))
      }
      parts += report.verificationNotes.map { $0 + " (v)" }
      if report.failed.isEmpty {
        state.status = StatusMessage(
          .info, parts.joined(separator: "; ") + (saved.isEmpty ? "" : ". u undoes"))
      } else {
        parts.append("not changed: " + report.failed.joined(separator: ", "))
        state.status = StatusMessage(.warning, parts.joined(separator: "; "))
      }
    case .undoEditsFinished(let undone, let after, let deliveries):
      state.setAttributes(after)
      state.lastEdits = []
      for edit in undone where EditRules.verifiedBy[edit.name] != nil {
        state.codeDestinations[edit.name] = nil
      }
      for delivery in deliveries {
        state.codeDestinations[delivery.attribute] = delivery.destination
      }
      let verification = undone.contains { EditRules.verifiedBy[$0.name] != nil && $0.old != nil }
      state.status = StatusMessage(
        .info,
        "Undone \(undone.count): " + undone.map(\.name).joined(separator: ", ")
          + (verification ? " (unverified: Cognito sent a verification code)" : ""))
    case .codeSent(let delivery):
      state.codeDestinations[delivery.attribute] = delivery.destination
      state.status = StatusMessage(.info, "A new code went to \(delivery.destination)")
    case .verified(let name, let after):
      state.setAttributes(after)
      state.modal = nil
      state.codeDestinations[name] = nil
      state.status = StatusMessage(.info, "\(name) verified")
    case .passwordChanged:
      state.modal = nil
      state.status = StatusMessage(
        .info, "Password changed. Other devices stay signed in until their sessions end")
    case .passwordChangeFailed(let error):
      if case .changePassword(var form) = state.modal, case .service(let problem) = error {
        switch problem.kind {
        case .wrongCurrentPassword:
          form = PasswordForm()
          state.modal = .changePassword(form)
          state.status = StatusMessage(.error, StatusLine(error: error).text)
          return []
        case .invalidPassword, .passwordReused:
          form.new = nil
          form.stage = .new
          state.modal = .changePassword(form)
          state.status = StatusMessage(.error, StatusLine(error: error).text)
          return []
        default: break
        }
      }
      state.modal = nil
      state.fail(error)
    case .verifyFailed(let error), .codeFailed(let error):
      // The dialog stays open for another try, unless the session ended.
      state.fail(error)
      if state.signIn != nil { state.modal = nil }
    case .editFailed(let error), .undoEditsFailed(let error):
      state.fail(error)
    default:
      break
    }
    return []
  }
}
