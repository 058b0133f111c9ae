/// The Security view (`S` from the attribute list): MFA methods, an authenticator app to set
/// up, the devices Cognito tracks, the passkeys, signing out everywhere and closing the account.
/// Its lists come from one request each when it opens (and again on `r`).
public struct SecurityPage: Sendable, Hashable {
  /// The MFA state, once read.
  public var mfa: MFAState?
  /// The devices, once read.
  public var devices: [Device]?
  /// The passkeys, once read.
  public var passkeys: [Passkey]?
  /// Why a list could not be read, per list ("MFA", "Devices", "Passkeys").
  public var failures: [String: String] = [:]
  /// The cursor, as an index into ``rows``.
  public var cursor = 0
  /// A dialog over the view, if one is open.
  public var dialog: SecurityDialog?

  /// A page with nothing read yet.
  public init() {}

  /// The rows the cursor moves over, in the order drawn.
  public var rows: [SecurityRow] {
    var rows: [SecurityRow] = MFAMethod.allCases.map(SecurityRow.mfa)
    rows.append(.setUpApp)
    rows += (devices ?? []).map(SecurityRow.device)
    rows += (passkeys ?? []).map(SecurityRow.passkey)
    rows += [.signOutEverywhere, .closeAccount]
    return rows
  }

  /// The row under the cursor.
  public var currentRow: SecurityRow? {
    let rows = rows
    return rows.indices.contains(cursor) ? rows[cursor] : nil
  }

  /// Puts the cursor back on `row`'s item after the lists changed (the same device or passkey,
  /// wherever it now is), else keeps it within the rows: a key then never acts on another item
  /// than the one shown under the cursor before.
  mutating func keepCursor(on row: SecurityRow?) {
    let rows = rows
    if let row, let index = rows.firstIndex(where: { $0.isSameItem(as: row) }) {
      cursor = index
    } else {
      cursor = min(cursor, max(0, rows.count - 1))
    }
  }
}

/// A row of the Security view.
public enum SecurityRow: Sendable, Hashable {
  /// An MFA method: enable, disable, prefer.
  case mfa(MFAMethod)
  /// Set up an authenticator app (QR code).
  case setUpApp
  /// A device: forget it, remember it or not.
  case device(Device)
  /// A passkey: delete it.
  case passkey(Passkey)
  /// Sign out on every device.
  case signOutEverywhere
  /// Close the account.
  case closeAccount

  /// Whether both rows show the same item (a device by its key, a passkey by its id), whatever
  /// its details now.
  func isSameItem(as other: SecurityRow) -> Bool {
    switch (self, other) {
    case (.device(let one), .device(let two)): one.key == two.key
    case (.passkey(let one), .passkey(let two)): one.id == two.id
    default: self == other
    }
  }
}

/// How an authenticator app's QR code is shown: its lines (dark on light), or why not.
public enum QRPicture: Sendable, Hashable {
  /// The code's text lines (half blocks, or `##` pairs), all the same width.
  case lines([String])
  /// Why there is no code (the text is still shown).
  case unavailable(String)
}

/// Enrolling an authenticator app: the secret (as a QR code of its otpauth URI and as text),
/// then the app's first code and a name for it. Held only while the dialog is open.
public struct TOTPEnrolment: Sendable, Hashable {
  /// The secret, in groups of four.
  public var groupedSecret: Sensitive
  /// The QR code of the otpauth URI.
  public var picture: QRPicture
  /// What the app will show as the account (`issuer: user`).
  public var label: String
  /// The code typed.
  public var code = LineEditor("", limit: 10)
  /// The device name typed.
  public var deviceName = LineEditor("", limit: 128)
  /// Whether the name is being typed (after the code).
  public var typingName = false
  /// Why it is shown again (a refused code), if it is.
  public var notice: String?

  /// Creates an enrolment dialog's state.
  public init(groupedSecret: Sensitive, picture: QRPicture, label: String) {
    self.groupedSecret = groupedSecret
    self.picture = picture
    self.label = label
  }
}

/// A dialog of the Security view.
public enum SecurityDialog: Sendable, Hashable {
  /// Asking Cognito for a new authenticator secret.
  case waitingForSecret
  /// The authenticator-app enrolment.
  case enrol(TOTPEnrolment)
  /// A y/N question before a change.
  case confirm(SecurityConfirmation)
  /// Closing the account: the user name typed so far.
  case closeAccount(typed: String)
}

/// What a y/N question of the Security view confirms.
public enum SecurityConfirmation: Sendable, Hashable {
  /// Forget a device.
  case forgetDevice(Device)
  /// Delete a passkey.
  case deletePasskey(Passkey)
  /// Sign out everywhere.
  case signOutEverywhere
}

/// What the Security view read when it opened.
public struct SecurityLoad: Sendable, Hashable {
  /// The MFA state, or why not.
  public var mfa: Result<MFAState, AccountError>
  /// The devices, or why not.
  public var devices: Result<[Device], AccountError>
  /// The passkeys, or why not.
  public var passkeys: Result<[Passkey], AccountError>

  /// Creates a load result.
  public init(
    mfa: Result<MFAState, AccountError>, devices: Result<[Device], AccountError>,
    passkeys: Result<[Passkey], AccountError>
  ) {
    self.mfa = mfa
    self.devices = devices
    self.passkeys = passkeys
  }
}

/// What a key does in the Security view.
public enum SecurityAction: Sendable, Hashable, CaseIterable {
  /// Cursor up.
  case moveUp
  /// Cursor down.
  case moveDown
  /// Enable the MFA method under the cursor.
  case enable
  /// Disable it.
  case disable
  /// Enable and prefer it.
  case prefer
  /// Set up an authenticator app.
  case setUpApp
  /// Forget the device, or delete the passkey, under the cursor.
  case remove
  /// Remember the device under the cursor, or stop remembering it.
  case toggleRemembered
  /// Sign out everywhere.
  case signOutEverywhere
  /// Close the account.
  case closeAccount
  /// The row's own action (Enter).
  case activate
  /// Read the lists again.
  case refresh
  /// Every key.
  case showHelp
  /// Back to the attribute list.
  case close
}

/// The Security view's keymap.
public enum SecurityKeymap {
  /// Every binding, in help order.
  public static let bindings: [KeyBinding<SecurityAction>] = [
    KeyBinding(keys: [.up, .character("k")], label: "↑ k", action: .moveUp, help: "move up"),
    KeyBinding(keys: [.down, .character("j")], label: "↓ j", action: .moveDown, help: "move down"),
    KeyBinding(
      keys: [.character("t")], label: "t", action: .setUpApp,
      help: "set up an authenticator app (QR code)"),
    KeyBinding(
      keys: [.character("e")], label: "e", action: .enable, help: "enable the MFA method"),
    KeyBinding(
      keys: [.character("x")], label: "x", action: .disable, help: "disable the MFA method"),
    KeyBinding(
      keys: [.character("p")], label: "p", action: .prefer,
      help: "make the MFA method preferred"),
    KeyBinding(
      keys: [.character("d"), .delete], label: "d Del", action: .remove,
      help: "forget the device / delete the passkey"),
    KeyBinding(
      keys: [.character("m")], label: "m", action: .toggleRemembered,
      help: "remember the device, or stop remembering it"),
    KeyBinding(
      keys: [.character("O")], label: "O", action: .signOutEverywhere,
      help: "sign out everywhere"),
    KeyBinding(
      keys: [.character("C")], label: "C", action: .closeAccount, help: "close the account"),
    KeyBinding(keys: [.enter], label: "Enter", action: .activate, help: "the row's action"),
    KeyBinding(
      keys: [.character("r")], label: "r", action: .refresh, help: "read again from Cognito"),
    KeyBinding(keys: [.character("?")], label: "?", action: .showHelp, help: "this help"),
    KeyBinding(
      keys: [.escape, .character("q")], label: "Esc q", action: .close,
      help: "back to the attributes"),
  ]

  /// The action bound to `key`, if any.
  public static func action(for key: Key) -> SecurityAction? {
    KeyBinding.action(for: key, in: bindings)
  }

  /// The keys of the Security view's dialogs, for the help view.
  public static let dialogHelp: [(String, [KeyHelp])] = [
    (
      "Set up an authenticator app",
      [
        KeyHelp(label: "Enter", help: "next field; on the name, enrol"),
        KeyHelp(label: "Esc", help: "cancel (the secret is cleared)"),
      ]
    ),
    (
      "Forget, delete, sign out everywhere",
      [KeyHelp(label: "y", help: "confirm"), KeyHelp(label: "any other key", help: "cancel")]
    ),
    (
      "Close the account",
      [
        KeyHelp(label: "Type your user name, then Enter", help: "close it"),
        KeyHelp(label: "Esc", help: "cancel"),
      ]
    ),
  ]
}

extension TUIState {
  /// The Security view's page, when it is the current view.
  public var securityPage: SecurityPage? {
    if case .security(let page) = currentView { page } else { nil }
  }

  /// Rows the Security view can show between its title and the hint line.
  public var securityHeight: Int { max(1, size.rows - 4) }
}

extension TUIUpdate {
  /// Opens the Security view and asks for its lists.
  static func openSecurity(_ state: inout TUIState) -> [TUIEffect] {
    state.push(.security(SecurityPage()))
    state.busy = .loadingSecurity
    return [.loadSecurity]
  }

  static func handleSecurityKey(_ state: inout TUIState, _ page: SecurityPage, _ key: Key)
    -> [TUIEffect]
  {
    var page = page
    defer { if case .security = state.currentView { state.replaceCurrent(.security(page)) } }
    if page.dialog != nil { return handleSecurityDialogKey(&state, &page, key) }
    guard let action = SecurityKeymap.action(for: key) else { return [] }
    let rows = page.rows
    switch action {
    case .moveUp: page.cursor = max(0, page.cursor - 1)
    case .moveDown: page.cursor = min(max(0, rows.count - 1), page.cursor + 1)
    case .close:
      state.pop()
      return []
    case .showHelp:
      state.replaceCurrent(.security(page))
      state.push(.help(HelpPage()))
      return []
    case .refresh:
      guard state.busy == nil else { return [] }
      state.busy = .loadingSecurity
      return [.loadSecurity]
    case .activate:
      switch page.currentRow {
      case .setUpApp?: return securityWrite(&state, &page, .setUpApp)
      case .signOutEverywhere?: return securityWrite(&state, &page, .signOutEverywhere)
      case .closeAccount?: return securityWrite(&state, &page, .closeAccount)
      case .mfa?:
        state.status = StatusMessage(.info, "e enables, x disables, p prefers this method")
      case .device?:
        state.status = StatusMessage(.info, "d forgets this device, m remembers it or not")
      case .passkey?:
        state.status = StatusMessage(.info, "d deletes this passkey")
      case nil: break
      }
      return []
    default:
      return securityWrite(&state, &page, action)
    }
    return []
  }

  /// The actions that change the account: refused read-only or while a call runs.
  private static func securityWrite(
    _ state: inout TUIState, _ page: inout SecurityPage, _ action: SecurityAction
  ) -> [TUIEffect] {
    guard state.busy == nil else { return [] }
    if state.header.readOnly {
      state.status = StatusMessage(.warning, "Read-only: security changes are disabled")
      return []
    }
    switch (action, page.currentRow) {
    case (.enable, .mfa(let method)?), (.disable, .mfa(let method)?), (.prefer, .mfa(let method)?):
      let change: MFAChange = action == .enable ? .enable : action == .disable ? .disable : .prefer
      state.busy = .changingSecurity
      return [.setMFA(method, change)]
    case (.enable, _), (.disable, _), (.prefer, _):
      state.status = StatusMessage(.info, "Move to an MFA method first (the first rows)")
    case (.setUpApp, _):
      page.dialog = .waitingForSecret
      state.busy = .changingSecurity
      return [.associateTOTP]
    case (.remove, .device(let device)?):
      page.dialog = .confirm(.forgetDevice(device))
    case (.remove, .passkey(let passkey)?):
      page.dialog = .confirm(.deletePasskey(passkey))
    case (.remove, _):
      state.status = StatusMessage(.info, "Move to a device or a passkey first")
    case (.toggleRemembered, .device(let device)?):
      state.busy = .changingSecurity
      return [.setDeviceRemembered(device.key, !(device.remembered ?? false))]
    case (.toggleRemembered, _):
      state.status = StatusMessage(.info, "Move to a device first")
    case (.signOutEverywhere, _):
      page.dialog = .confirm(.signOutEverywhere)
    case (.closeAccount, _):
      page.dialog = .closeAccount(typed: "")
    default:
      break
    }
    return []
  }

  private static func handleSecurityDialogKey(
    _ state: inout TUIState, _ page: inout SecurityPage, _ key: Key
  ) -> [TUIEffect] {
    guard let dialog = page.dialog else { return [] }
    switch dialog {
    case .waitingForSecret:
      // The answer is on its way; the dialog it opens can be cancelled with Esc.
      state.status = StatusMessage(.info, "Waiting for Cognito's answer…")
    case .enrol(var enrolment):
      guard state.busy == nil else { return [] }
      switch key {
      case .escape:
        page.dialog = nil
        state.status = StatusMessage(.info, "Nothing enrolled: the secret is cleared")
      case .enter, .tab:
        if !enrolment.typingName {
          guard !enrolment.code.text.trimmedWhitespace().isEmpty else {
            state.status = StatusMessage(.error, "Type the code the app shows, then Enter")
            return []
          }
          enrolment.typingName = true
          page.dialog = .enrol(enrolment)
          state.status = StatusMessage(
            .info, "A name for this app or device (optional), then Enter to enrol")
        } else if key == .enter {
          let name = enrolment.deviceName.text.trimmedWhitespace()
          state.busy = .changingSecurity
          return [
            .enrolTOTP(
              code: Sensitive(enrolment.code.text.trimmedWhitespace()),
              deviceName: name.isEmpty ? nil : name)
          ]
        } else {
          enrolment.typingName = false
          page.dialog = .enrol(enrolment)
        }
      default:
        var outcome: LineEditor.Outcome?
        if enrolment.typingName {
          outcome = enrolment.deviceName.handle(key)
        } else {
          outcome = enrolment.code.handle(key)
        }
        if case .refused(let reason)? = outcome { state.status = StatusMessage(.warning, reason) }
        page.dialog = .enrol(enrolment)
      }
    case .confirm(let confirmation):
      page.dialog = nil
      guard DialogKeymap.yes.contains(key) else {
        state.status = StatusMessage(.info, "Cancelled: nothing changed")
        return []
      }
      state.busy = .changingSecurity
      switch confirmation {
      case .forgetDevice(let device): return [.forgetDevice(device.key)]
      case .deletePasskey(let passkey): return [.deletePasskey(passkey.id)]
      case .signOutEverywhere: return [.signOutEverywhere]
      }
    case .closeAccount(var typed):
      switch key {
      case .escape:
        page.dialog = nil
        state.status = StatusMessage(.info, "Cancelled: the account stays")
      case .backspace:
        if !typed.isEmpty { typed.removeLast() }
        page.dialog = .closeAccount(typed: typed)
      case .character(let character):
        typed.append(character)
        page.dialog = .closeAccount(typed: typed)
      case .enter:
        page.dialog = nil
        guard let username = state.header.username, typed == username else {
          state.status = StatusMessage(
            .info, "Cancelled: the name typed is not your user name; the account stays")
          return []
        }
        state.busy = .changingSecurity
        return [.closeAccount]
      default:
        break
      }
    }
    return []
  }

  /// Applies a Security-view result; `nil` when `event` is not one.
  static func applySecurityEvent(_ state: inout TUIState, _ event: TUIEvent) -> [TUIEffect]? {
    // Results that end the program, or fail, whatever view is on top.
    switch event {
    case .signedOutEverywhere(let warnings):
      state.busy = nil
      state.farewell =
        "Signed out everywhere: every session of \(state.header.username ?? "this user") ended"
        + " and the keyfile was removed."
        + (warnings.isEmpty ? "" : " Warning: " + warnings.joined(separator: "; "))
      state.quitting = true
      return []
    case .accountClosed(let removedKeyfile):
      state.busy = nil
      state.farewell =
        "Account \(state.header.username ?? "") closed."
        + (removedKeyfile.map { " Removed \($0)." } ?? "") + " Goodbye."
      state.quitting = true
      return []
    default:
      break
    }
    switch event {
    case .securityLoaded, .mfaChanged, .totpSecret, .totpEnrolled, .deviceForgotten,
      .deviceRememberedChanged, .passkeyDeleted, .securityFailed:
      break
    default:
      return nil
    }
    state.busy = nil
    // The page may be under the help view: results go to it wherever it is in the stack.
    guard
      let index = state.views.lastIndex(where: {
        if case .security = $0 { true } else { false }
      }), case .security(var page) = state.views[index]
    else {
      // The view was closed meanwhile: only errors matter.
      if case .securityFailed(let error) = event { state.fail(error) }
      return []
    }
    defer { state.views[index] = .security(page) }
    let before = page.currentRow
    switch event {
    case .securityLoaded(let load):
      page.failures = [:]
      if case .success(let mfa) = load.mfa { page.mfa = mfa }
      if case .success(let devices) = load.devices { page.devices = devices }
      if case .success(let passkeys) = load.passkeys { page.passkeys = passkeys }
      let failures: [(String, Result<Void, AccountError>)] = [
        ("MFA", load.mfa.map { _ in () }), ("Devices", load.devices.map { _ in () }),
        ("Passkeys", load.passkeys.map { _ in () }),
      ]
      var firstError: AccountError?
      for (name, result) in failures {
        if case .failure(let error) = result {
          page.failures[name] = StatusLine(error: error).text
          firstError = firstError ?? error
        }
      }
      page.keepCursor(on: before)
      if let firstError {
        state.fail(firstError)
      } else {
        state.status = StatusMessage(
          .info,
          "Security: \(page.devices?.count ?? 0) device(s), \(page.passkeys?.count ?? 0) "
            + "passkey(s). t sets up an authenticator app, ? shows every key")
      }
    case .mfaChanged(let mfa):
      page.mfa = mfa
      state.status = StatusMessage(.info, "MFA: " + Self.mfaSummary(mfa))
    case .totpSecret(let enrolment):
      guard case .waitingForSecret? = page.dialog else { return [] }
      page.dialog = .enrol(enrolment)
      state.status = StatusMessage(
        .info, "Scan the code (or type the secret), then type the app's code and Enter")
    case .totpEnrolled(let mfa):
      page.dialog = nil
      page.mfa = mfa
      state.status = StatusMessage(.info, "Authenticator app enrolled and preferred")
    case .deviceForgotten(let key):
      page.devices?.removeAll { $0.key == key }
      page.keepCursor(on: before)
      state.status = StatusMessage(.info, "Device forgotten")
    case .deviceRememberedChanged(let key, let remembered):
      if let index = page.devices?.firstIndex(where: { $0.key == key }) {
        page.devices?[index].remembered = remembered
      }
      state.status = StatusMessage(
        .info, remembered ? "Device remembered" : "Device no longer remembered")
    case .passkeyDeleted(let id):
      page.passkeys?.removeAll { $0.id == id }
      page.keepCursor(on: before)
      state.status = StatusMessage(.info, "Passkey deleted")
    case .securityFailed(let error):
      if case .enrol(var enrolment)? = page.dialog {
        // A wrong code: type it again (the secret stays the same).
        enrolment.code = LineEditor("", limit: 10)
        enrolment.typingName = false
        page.dialog = .enrol(enrolment)
      } else {
        page.dialog = nil
      }
      state.fail(error)
    default:
      return nil
    }
    return []
  }

  /// "totp enabled (preferred), sms off, email off".
  static func mfaSummary(_ mfa: MFAState) -> String {
    MFAMethod.allCases.map { method in
      method.rawValue + " "
        + (mfa.enabled.contains(method)
          ? "enabled" + (mfa.preferred == method ? " (preferred)" : "") : "off")
    }.joined(separator: ", ")
  }
}
