/// Something that happened: a key, a resize, or the result of an effect.
public enum TUIEvent: Sendable, Hashable {
  /// A key press.
  case key(Key)
  /// The terminal changed size.
  case resized(TerminalSize)
  /// GetUser succeeded.
  case attributesLoaded(username: String, [Attribute])
  /// GetUser failed.
  case loadFailed(AccountError)
  /// DeleteUserAttributes and the GetUser after it succeeded.
  case removalFinished(RemovalReport)
  /// The removal failed (the marks stay).
  case removalFailed(AccountError)
  /// UpdateUserAttributes and the GetUser after it succeeded.
  case restoreFinished(restored: [Attribute], after: [Attribute])
  /// The restore failed.
  case restoreFailed(AccountError)
  /// Sign-in needs another answer.
  case signInChallenge(ChallengePrompt)
  /// Sign-in completed.
  case signedIn(username: String)
  /// Sign-in failed.
  case signInFailed(AccountError)
  /// UpdateUserAttributes and the GetUser after it succeeded.
  case editFinished(EditReport)
  /// Saving the edits failed (they stay pending).
  case editFailed(AccountError)
  /// The last saved edits were undone; the attributes after, and where codes went.
  case undoEditsFinished(undone: [AttributeEdit], after: [Attribute], deliveries: [CodeDelivery])
  /// Undoing the edits failed.
  case undoEditsFailed(AccountError)
  /// Cognito sent a verification code.
  case codeSent(CodeDelivery)
  /// Sending a code failed.
  case codeFailed(AccountError)
  /// The code verified `name`; the attributes after.
  case verified(name: String, after: [Attribute])
  /// The code was refused (or the call failed).
  case verifyFailed(AccountError)
  /// The password was changed.
  case passwordChanged
  /// Changing the password failed.
  case passwordChangeFailed(AccountError)
  /// The session is in the keyfile.
  case sessionStored
  /// Writing the keyfile failed.
  case storeFailed(AccountError)
  /// The set-up form's profile was checked and written; what to tell the user.
  case profileSaved(String)
  /// Checking or writing it failed; the line to go back to, when one is at fault.
  case profileFailed(AccountError, field: SetupField?)
  /// The Security view's lists were read (each may have failed).
  case securityLoaded(SecurityLoad)
  /// An MFA method was changed; the state after.
  case mfaChanged(MFAState)
  /// A new authenticator secret, ready to show.
  case totpSecret(TOTPEnrolment)
  /// The authenticator app was enrolled and preferred; the state after.
  case totpEnrolled(MFAState)
  /// A device was forgotten.
  case deviceForgotten(String)
  /// A device was remembered, or no longer.
  case deviceRememberedChanged(String, remembered: Bool)
  /// A passkey was deleted.
  case passkeyDeleted(String)
  /// A Security-view call failed.
  case securityFailed(AccountError)
  /// Every session ended (GlobalSignOut) and the keyfile is gone; warnings.
  case signedOutEverywhere([String])
  /// The account was closed; the keyfile removed, if any.
  case accountClosed(String?)
}

/// An order for the runtime: the only way the core reaches the world.
public enum TUIEffect: Sendable, Hashable {
  /// Read the attributes (GetUser).
  case loadAttributes
  /// Remove these names in one DeleteUserAttributes call, then GetUser.
  case removeAttributes([String])
  /// Set these attributes again (UpdateUserAttributes), then GetUser.
  case restoreAttributes([Attribute])
  /// Start sign-in.
  case signIn(username: String, password: Sensitive)
  /// Answer the pending challenge.
  case answerChallenge(ChallengeReply)
  /// Repaint the whole terminal (Ctrl-L).
  case repaint
  /// Save these edits in one UpdateUserAttributes call, then GetUser.
  case saveEdits([AttributeEdit])
  /// Put back what these saved edits replaced (additions are removed), then GetUser.
  case undoEdits([AttributeEdit])
  /// Ask Cognito to send a verification code for the attribute.
  case sendCode(String)
  /// Verify the attribute with the code, then GetUser.
  case verifyCode(name: String, code: Sensitive)
  /// Change the password.
  case changePassword(current: Sensitive, new: Sensitive)
  /// Store the session signed in here, encrypted with this passphrase.
  case storeSession(Sensitive)
  /// Keep the session signed in here in memory only, for this run.
  case keepInMemory
  /// Ask Cognito whether the draft's pool and client exist, then write it as the profile.
  case saveProfile(ProfileDraft)
  /// Read the MFA state, the devices and the passkeys (one request each).
  case loadSecurity
  /// Enable, disable or prefer an MFA method.
  case setMFA(MFAMethod, MFAChange)
  /// Ask for a new authenticator secret (AssociateSoftwareToken) and make it a QR code.
  case associateTOTP
  /// Enrol the app with its first code (VerifySoftwareToken), then prefer it.
  case enrolTOTP(code: Sensitive, deviceName: String?)
  /// Forget a device.
  case forgetDevice(String)
  /// Remember a device, or stop remembering it.
  case setDeviceRemembered(String, Bool)
  /// Delete a passkey.
  case deletePasskey(String)
  /// Sign out everywhere, revoke and remove the keyfile.
  case signOutEverywhere
  /// Close the account (DeleteUser) and remove the keyfile.
  case closeAccount
}

/// The account screen's logic: pure, exhaustive, no I/O.
public enum TUIUpdate {
  /// Applies `event` to `state`, returning the new state and the effects to run.
  public static func update(_ state: TUIState, _ event: TUIEvent) -> (TUIState, [TUIEffect]) {
    var next = state
    var effects: [TUIEffect] = []
    switch event {
    case .resized(let size):
      next.size = size
      next.clampCursor()
    case .key(let key):
      if next.setup != nil {
        effects = handleSetupKey(&next, key)
      } else if next.signIn != nil {
        effects = handleSignInKey(&next, key)
      } else {
        effects = handleViewKey(&next, key)
      }
    case .attributesLoaded(let username, let attributes):
      next.busy = nil
      next.header.username = username
      let wasLoaded = next.loaded
      next.setAttributes(attributes)
      next.loaded = true
      next.status = StatusMessage(
        .info,
        wasLoaded
          ? "Read again: \(attributes.count) attributes"
          : "\(attributes.count) attributes"
            + (next.sessionNotStored ? " (session not stored: this run only)" : "")
            + ". Space marks, d removes, e edits, ? shows every key")
    case .loadFailed(let error):
      next.busy = nil
      next.fail(error)
    case .removalFinished(let report):
      next.busy = nil
      let removed = report.removed
      let kept = report.notRemoved
      next.setAttributes(report.after)
      next.marks.subtract(removed.map(\.name))
      if !removed.isEmpty {
        next.lastRemoved = removed
        next.lastEdits = []
      }
      let removedText = "Removed \(removed.count): " + removed.map(\.name).joined(separator: ", ")
      if kept.isEmpty {
        next.status = StatusMessage(.info, removedText + ". u restores them")
      } else {
        next.status = StatusMessage(
          .warning,
          (removed.isEmpty ? "" : removedText + "; ") + "not removed: "
            + kept.map(\.name).joined(separator: ", "))
      }
    case .removalFailed(let error):
      next.busy = nil
      next.fail(error)
    case .restoreFinished(let restored, let after):
      next.busy = nil
      next.setAttributes(after)
      next.lastRemoved = []
      let verification = restored.contains { $0.name == "email" || $0.name == "phone_number" }
      next.status = StatusMessage(
        .info,
        "Restored \(restored.count): " + restored.map(\.name).joined(separator: ", ")
          + (verification ? " (unverified: Cognito sent a verification code)" : ""))
    case .restoreFailed(let error):
      next.busy = nil
      next.fail(error)
    case .signInChallenge(let prompt):
      next.busy = nil
      next.signIn?.stage = .challenge(prompt, repeating: false)
      next.signIn?.input = ""
      next.signIn?.firstEntry = nil
      if case .setUpApp(let enrolment) = prompt, let notice = enrolment.notice {
        next.status = StatusMessage(.error, notice)
      } else {
        next.status = StatusMessage(.info, Self.challengeHint(prompt))
      }
    case .signedIn(let username):
      next.header.username = username
      if next.storeAfterSignIn != nil {
        next.busy = nil
        next.signIn?.stage = .newPassphrase(repeating: false)
        next.signIn?.input = ""
        next.signIn?.firstEntry = nil
        next.status = StatusMessage(
          .info, "Signed in as \(username). Choose a passphrase to keep the session")
      } else {
        next.busy = .loading
        next.signIn = nil
        next.status = StatusMessage(.info, "Signed in as \(username)")
        effects.append(.loadAttributes)
      }
    case .sessionStored:
      let minutes = next.storeAfterSignIn?.unlockMinutes ?? 0
      next.storeAfterSignIn = nil
      next.signIn = nil
      next.busy = .loading
      next.status = StatusMessage(
        .info,
        "Session stored"
          + (minutes > 0 ? "; it stays unlocked for \(minutes) minutes" : ""))
      effects.append(.loadAttributes)
    case .storeFailed(let error):
      next.busy = nil
      next.signIn?.stage = .newPassphrase(repeating: false)
      next.signIn?.input = ""
      next.signIn?.firstEntry = nil
      next.status = StatusMessage(.error, StatusLine(error: error).text)
    case .signInFailed(let error):
      next.busy = nil
      var form = SignInForm()
      form.username = state.signIn?.username ?? ""
      form.stage = form.username.isEmpty ? .username : .password
      next.signIn = form
      let line = StatusLine(error: error)
      next.status = StatusMessage(.error, line.text)
    case .profileSaved, .profileFailed:
      applySetupEvent(&next, event)
    default:
      if let securityEffects = applySecurityEvent(&next, event) {
        effects = securityEffects
      } else {
        effects = applyProfileEvent(&next, event)
      }
    }
    next.keepCursorVisible()
    return (next, effects)
  }

  // MARK: Views

  /// Sends `key` to the current view.
  private static func handleViewKey(_ state: inout TUIState, _ key: Key) -> [TUIEffect] {
    if key == .interrupt {
      state.quitting = true
      return []
    }
    switch state.currentView {
    case .attributes:
      if state.modal != nil { return handleModalKey(&state, key) }
      if state.editingFilter {
        handleFilterKey(&state, key)
        return []
      }
      return handleListKey(&state, key)
    case .help(let page):
      handleHelpKey(&state, page, key)
      return []
    case .security(let page):
      return handleSecurityKey(&state, page, key)
    }
  }

  private static func handleHelpKey(_ state: inout TUIState, _ page: HelpPage, _ key: Key) {
    guard let action = HelpKeymap.action(for: key) else { return }
    var page = page
    switch action {
    case .scrollUp: page.offset = max(0, page.offset - 1)
    case .scrollDown: page.offset += 1
    case .pageUp: page.offset = max(0, page.offset - state.tableHeight)
    case .pageDown: page.offset += state.tableHeight
    case .close:
      state.pop()
      return
    }
    // The renderer stops at the last line; the offset is kept within the help's length here.
    page.offset = min(page.offset, max(0, state.helpLineCount - state.tableHeight))
    state.replaceCurrent(.help(page))
  }

  // MARK: Attribute list

  private static func handleListKey(_ state: inout TUIState, _ key: Key) -> [TUIEffect] {
    guard let action = ListKeymap.action(for: key) else { return [] }
    let visible = state.visibleAttributes
    switch action {
    case .moveUp: state.cursor = max(0, state.cursor - 1)
    case .moveDown: state.cursor = min(max(0, visible.count - 1), state.cursor + 1)
    case .pageUp: state.cursor = max(0, state.cursor - state.tableHeight)
    case .pageDown: state.cursor = min(max(0, visible.count - 1), state.cursor + state.tableHeight)
    case .moveToTop: state.cursor = 0
    case .moveToBottom: state.cursor = max(0, visible.count - 1)
    case .toggleMark:
      guard let current = state.currentAttribute else { return [] }
      if !state.attributes.contains(where: { $0.name == current.name }) {
        state.status = StatusMessage(
          .warning, "\(current.name) is not on the account yet: Backspace drops the addition")
      } else if state.header.readOnly {
        state.status = StatusMessage(.warning, "Read-only: marking is disabled")
      } else if current.isProtected {
        state.status = StatusMessage(
          .warning, "\(current.name) is protected: " + protectionReason(current.name))
      } else if state.marks.contains(current.name) {
        state.marks.remove(current.name)
      } else {
        state.marks.insert(current.name)
        state.cursor = min(max(0, visible.count - 1), state.cursor + 1)
      }
    case .clearMarks:
      let count = state.marks.count
      state.marks.removeAll()
      state.status = StatusMessage(
        .info, count == 0 ? "No marks to clear" : "Cleared \(count) marks")
    case .requestDelete:
      guard state.busy == nil else { return [] }
      if state.header.readOnly {
        state.status = StatusMessage(.warning, "Read-only: removal is disabled")
        return []
      }
      let targets: [Attribute]
      if state.marks.isEmpty {
        guard let current = state.currentAttribute else { return [] }
        if !state.attributes.contains(where: { $0.name == current.name }) {
          state.status = StatusMessage(
            .warning, "\(current.name) is not on the account yet: Backspace drops the addition")
          return []
        }
        if current.isProtected {
          state.status = StatusMessage(
            .warning, "\(current.name) is protected: " + protectionReason(current.name))
          return []
        }
        targets = [current]
      } else {
        targets = state.attributes.filter { state.marks.contains($0.name) }
      }
      state.modal = .review(Review(targets: targets, typed: ""))
    case .startFilter:
      state.editingFilter = true
    case .clearFilter:
      if !state.filter.isEmpty {
        state.filter = ""
        state.cursor = 0
        state.status = StatusMessage(.info, "Filter cleared")
      }
    case .refresh:
      guard state.busy == nil else { return [] }
      state.busy = .loading
      return [.loadAttributes]
    case .requestUndo:
      guard state.busy == nil else { return [] }
      if state.header.readOnly {
        state.status = StatusMessage(.warning, "Read-only: restoring is disabled")
      } else if !state.lastEdits.isEmpty {
        state.modal = .undoEdits(state.lastEdits)
      } else if state.lastRemoved.isEmpty {
        state.status = StatusMessage(.info, "Nothing to restore in this run")
      } else {
        state.modal = .undo(state.lastRemoved)
      }
    case .viewValue:
      if let current = state.currentAttribute { state.modal = .value(current, offset: 0) }
    case .showHelp:
      state.push(.help(HelpPage()))
    case .showSecurity:
      guard state.busy == nil else { return [] }
      return openSecurity(&state)
    case .showMessage:
      guard let status = state.status else {
        state.status = StatusMessage(.info, "No message to show")
        return []
      }
      state.modal = .message(status)
    case .quit:
      if state.marks.isEmpty && state.edits.isEmpty {
        state.quitting = true
      } else {
        state.modal = .quitWithMarks
      }
    case .redraw:
      return [.repaint]
    case .editValue, .addAttribute, .reviewEdits, .dropEdit, .verifyAttribute, .changePassword:
      return handleProfileAction(&state, action)
    }
    return []
  }

  private static func handleFilterKey(_ state: inout TUIState, _ key: Key) {
    switch key {
    case .character(let character):
      state.filter.append(character)
      state.cursor = 0
    case .backspace:
      if !state.filter.isEmpty { state.filter.removeLast() }
      state.cursor = 0
    case .enter, .down, .up, .tab:
      state.editingFilter = false
    case .escape:
      state.editingFilter = false
      state.filter = ""
      state.cursor = 0
    case .interrupt:
      state.quitting = true
    default:
      break
    }
    let count = state.visibleAttributes.count
    state.status = StatusMessage(
      .info,
      state.filter.isEmpty
        ? "Type to filter; Enter keeps it, Esc clears it"
        : "Filter '\(state.filter)': \(count) of \(state.attributes.count)")
  }

  // MARK: Dialogs

  private static func handleModalKey(_ state: inout TUIState, _ key: Key) -> [TUIEffect] {
    if key == .interrupt {
      state.quitting = true
      return []
    }
    guard let modal = state.modal else { return [] }
    if let effects = handleProfileDialogKey(&state, modal, key) { return effects }
    let context = DialogContext(modal)
    let action = DialogKeymap.action(for: key, in: context)
    switch (modal, action) {
    case (.review(var review), nil) where context == .typedReview:
      // Every other key types into the confirmation field.
      if case .character(let character) = key {
        review.typed.append(character)
        state.modal = .review(review)
      }
    case (.review(var review), .erase?):
      if !review.typed.isEmpty { review.typed.removeLast() }
      state.modal = .review(review)
    case (.review(let review), .confirm?):
      if context == .typedReview
        && EditRules.typedWord(review.typed) != RemovalRules.confirmationWord
      {
        cancelRemoval(&state)
        return []
      }
      return confirmRemoval(&state, review)
    case (.review, .cancel?):
      cancelRemoval(&state)
    case (.undo(let attributes), .confirm?):
      guard state.busy == nil else { return [] }
      state.modal = nil
      state.busy = .restoring(count: attributes.count)
      return [.restoreAttributes(attributes)]
    case (.undo, .cancel?):
      state.modal = nil
      state.status = StatusMessage(.info, "Nothing restored")
    case (.value(let attribute, let offset), .scrollDown?):
      state.modal = .value(attribute, offset: offset + 1)
    case (.value(let attribute, let offset), .scrollUp?):
      state.modal = .value(attribute, offset: max(0, offset - 1))
    case (.quitWithMarks, .confirm?):
      state.quitting = true
    case (.quitWithMarks, .cancel?):
      state.modal = nil
      state.status = StatusMessage(.info, "Marks kept")
    case (_, .close?):
      state.modal = nil
    default:
      break
    }
    return []
  }

  private static func confirmRemoval(_ state: inout TUIState, _ review: Review) -> [TUIEffect] {
    guard state.busy == nil else { return [] }
    state.modal = nil
    state.busy = .removing(count: review.targets.count)
    return [.removeAttributes(review.targets.map(\.name))]
  }

  private static func cancelRemoval(_ state: inout TUIState) {
    state.modal = nil
    state.status = StatusMessage(.info, "Cancelled: nothing removed")
  }

  // MARK: Sign-in

  private static func handleSignInKey(_ state: inout TUIState, _ key: Key) -> [TUIEffect] {
    guard var form = state.signIn else { return [] }
    if key == .interrupt {
      state.quitting = true
      return []
    }
    guard state.busy == nil else { return [] }
    switch form.stage {
    case .newPassphrase, .keepInMemory:
      let effects = handlePassphraseKey(&state, &form, key)
      if state.signIn != nil { state.signIn = form }
      return effects
    default:
      break
    }
    if key == .escape {
      state.quitting = true
      return []
    }
    var effects: [TUIEffect] = []
    switch key {
    case .character(let character):
      form.input.append(character)
    case .backspace:
      if !form.input.isEmpty { form.input.removeLast() }
    case .enter:
      switch form.stage {
      case .username:
        guard !form.input.isEmpty else { break }
        form.username = form.input
        form.input = ""
        form.stage = .password
      case .password:
        guard !form.input.isEmpty else { break }
        effects = [.signIn(username: form.username, password: Sensitive(form.input))]
        form.input = ""
        state.busy = .signingIn
      case .challenge(.newPassword, let repeating):
        guard !form.input.isEmpty else { break }
        if !repeating {
          form.firstEntry = Sensitive(form.input)
          form.stage = .challenge(.newPassword, repeating: true)
          state.status = StatusMessage(.info, "Type the new password again")
        } else if form.firstEntry?.reveal == form.input {
          effects = [.answerChallenge(.newPassword(Sensitive(form.input)))]
          state.busy = .signingIn
          form.firstEntry = nil
        } else {
          form.stage = .challenge(.newPassword, repeating: false)
          form.firstEntry = nil
          state.status = StatusMessage(.error, "The two new passwords differ; type it again")
        }
        form.input = ""
      case .challenge(.code, _):
        guard !form.input.isEmpty else { break }
        effects = [.answerChallenge(.code(Sensitive(form.input)))]
        form.input = ""
        state.busy = .signingIn
      case .challenge(.setUpApp(let enrolment), let typingName):
        if !typingName {
          guard !form.input.trimmedWhitespace().isEmpty else { break }
          form.firstEntry = Sensitive(form.input.trimmedWhitespace())
          form.stage = .challenge(.setUpApp(enrolment), repeating: true)
          state.status = StatusMessage(
            .info, "A name for this app or device (optional), then Enter")
        } else {
          let name = form.input.trimmedWhitespace()
          effects = [
            .answerChallenge(
              .totpSetup(
                code: form.firstEntry ?? Sensitive(""), deviceName: name.isEmpty ? nil : name))
          ]
          form.firstEntry = nil
          state.busy = .signingIn
        }
        form.input = ""
      case .challenge(.chooseMFA(let options), _):
        guard let choice = MFAMethods.choice(form.input, from: options) else {
          state.status = StatusMessage(.error, "Type the number or name of a method, then Enter")
          form.input = ""
          break
        }
        effects = [.answerChallenge(.mfaType(choice))]
        form.input = ""
        state.busy = .signingIn
      case .newPassphrase, .keepInMemory:
        break  // handled by handlePassphraseKey
      }
    default:
      break
    }
    state.signIn = form
    return effects
  }

  /// The passphrase step after signing in: typed twice (asked again when the two differ), or
  /// Esc, then y, for a session kept in memory for this run only.
  private static func handlePassphraseKey(
    _ state: inout TUIState, _ form: inout SignInForm, _ key: Key
  ) -> [TUIEffect] {
    if form.stage == .keepInMemory {
      if DialogKeymap.yes.contains(key) {
        state.storeAfterSignIn = nil
        state.sessionNotStored = true
        state.signIn = nil
        state.busy = .loading
        state.status = StatusMessage(
          .info, "Not stored: this session ends with this run; you sign in again next time")
        return [.keepInMemory, .loadAttributes]
      }
      form.stage = .newPassphrase(repeating: false)
      state.status = StatusMessage(.info, "Choose a passphrase to keep the session")
      return []
    }
    switch key {
    case .escape:
      form.stage = .keepInMemory
      form.input = ""
      form.firstEntry = nil
    case .character(let character):
      form.input.append(character)
    case .backspace:
      if !form.input.isEmpty { form.input.removeLast() }
    case .enter:
      guard !form.input.isEmpty else { return [] }
      let entry = Sensitive(form.input)
      form.input = ""
      if form.stage == .newPassphrase(repeating: false) {
        form.firstEntry = entry
        form.stage = .newPassphrase(repeating: true)
        state.status = StatusMessage(.info, "Type the passphrase again")
      } else if form.firstEntry == entry {
        form.firstEntry = nil
        state.busy = .storing
        return [.storeSession(entry)]
      } else {
        form.firstEntry = nil
        form.stage = .newPassphrase(repeating: false)
        state.status = StatusMessage(.error, "The two passphrases differ; type it again")
      }
    default:
      break
    }
    return []
  }

  static func challengeHint(_ prompt: ChallengePrompt) -> String {
    switch prompt {
    case .newPassword: "Your account needs a new password"
    case .code(let kind, let destination):
      "Enter the code" + (destination.map { " sent to \($0)" } ?? "") + " (\(kind))"
    case .chooseMFA: "Choose how to receive your sign-in code"
    case .setUpApp:
      "Your account needs MFA: scan the code with an authenticator app, then type its code"
    }
  }

  private static func protectionReason(_ name: String) -> String {
    AttributeRules.protectionReason(name) ?? "Cognito manages it"
  }

}

extension TUIState {
  mutating func setAttributes(_ attributes: [Attribute]) {
    let current = currentAttribute?.name
    self.attributes = attributes
    marks.formIntersection(attributes.map(\.name))
    if let current, let index = visibleAttributes.firstIndex(where: { $0.name == current }) {
      cursor = index
    }
    clampCursor()
  }

  mutating func clampCursor() {
    cursor = min(max(0, cursor), max(0, visibleAttributes.count - 1))
  }

  mutating func keepCursorVisible() {
    clampCursor()
    let height = tableHeight
    if cursor < scroll { scroll = cursor }
    if cursor >= scroll + height { scroll = cursor - height + 1 }
    scroll = max(0, min(scroll, max(0, visibleAttributes.count - height)))
  }

  mutating func fail(_ error: AccountError) {
    let line = StatusLine(error: error)
    switch error {
    case .notSignedIn, .sessionEnded, .sessionMismatch:
      signIn = SignInForm()
      signIn?.username = header.username ?? ""
      signIn?.stage = (header.username ?? "").isEmpty ? .username : .password
      status = StatusMessage(.error, line.text)
    default:
      status = StatusMessage(.error, line.text)
    }
  }
}
