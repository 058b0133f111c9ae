import AccountCore

/// The Security view's body, its dialogs and the authenticator-app enrolment (shared with the
/// `MFA_SETUP` step of the sign-in form).
extension AccountRenderer {
  /// One line of the Security view: its text and role, and the row index it selects (section
  /// titles and notes select nothing).
  private struct Line {
    var text: String
    var role: Role
    var row: Int?
  }

  static func securityBody(_ state: TUIState, _ page: SecurityPage, _ layout: inout Layout) {
    if case .enrol(let enrolment)? = page.dialog {
      enrolmentBody(enrolment, title: " Set up an authenticator app", state: state, &layout)
      return
    }
    layout.put(1, [Span(" Security", .columnTitles)])
    let lines = securityLines(page, width: state.size.columns)
    let height = state.securityHeight
    let cursorLine = lines.firstIndex { $0.row == page.cursor } ?? 0
    let offset = max(0, min(cursorLine - height / 2, lines.count - height))
    for (index, line) in lines.dropFirst(offset).prefix(height).enumerated() {
      let selected = line.row != nil && line.row == page.cursor
      if selected { layout.focusRow = 2 + index }
      layout.put(2 + index, [Span(line.text, selected ? .cursor : line.role)])
    }
    switch page.dialog {
    case .confirm(let confirmation)?:
      let (title, body) = confirmationText(confirmation, state)
      drawBox(
        title: title, body: body, footer: [("y: yes   any other key: no", .dialog)], input: nil,
        inputCursor: nil, state: state, layout: &layout)
    case .closeAccount(let typed)?:
      let name = TerminalText.escape(state.header.username ?? "")
      drawBox(
        title: "Close the account \(name)? It cannot be undone",
        body: [
          ("Type your user name (\(name)), then Enter. Esc: keep the account.", .dialogTitle),
          ("", .dialog),
          ("Deleted for good: every attribute, every session on every device, the MFA", .dialog),
          ("methods, the passkeys and the remembered devices.", .dialog),
          ("The user name may be taken by someone else afterwards.", .dialog),
        ], footer: [], input: TerminalText.escape(typed), inputCursor: nil, state: state,
        layout: &layout)
    case .waitingForSecret?:
      drawBox(
        title: "Set up an authenticator app",
        body: [("Asking Cognito for a new secret…", .dialog)], footer: [], input: nil,
        inputCursor: nil, state: state, layout: &layout)
    default:
      break
    }
  }

  private static func confirmationText(_ confirmation: SecurityConfirmation, _ state: TUIState)
    -> (String, [(String, Role)])
  {
    switch confirmation {
    case .forgetDevice(let device):
      return (
        "Forget this device?",
        [
          (device.displayName + (device.isThisDevice ? " (this device)" : ""), .dialogTitle),
          ("Signing in from it again counts as a new device: MFA is asked where the pool", .dialog),
          ("requires it.", .dialog),
        ]
          + (device.isThisDevice
            ? [("It is this device: Cognito may also end the session here.", .dialogTitle)] : [])
      )
    case .deletePasskey(let passkey):
      return (
        "Delete this passkey?",
        [
          (
            TerminalText.escape(passkey.name) + " (" + TerminalText.escape(passkey.relyingParty)
              + ")", .dialogTitle
          ),
          (
            "You can no longer sign in with it; add it again from your app's sign-in page.", .dialog
          ),
        ]
      )
    case .signOutEverywhere:
      return (
        "Sign out everywhere?",
        [
          (
            "Every session of \(TerminalText.escape(state.header.username ?? "this user")) "
              + "ends: apps, browsers and this one.", .dialogTitle
          ),
          ("The keyfile here is removed; you sign in again next time.", .dialog),
        ]
      )
    }
  }

  private static func securityLines(_ page: SecurityPage, width: Int) -> [Line] {
    var lines: [Line] = []
    var row = 0
    func section(_ title: String) {
      if !lines.isEmpty { lines.append(Line(text: "", role: .normal)) }
      lines.append(Line(text: " " + title, role: .columnTitles))
    }
    func selectable(_ text: String) {
      lines.append(Line(text: "   " + text, role: .normal, row: row))
      row += 1
    }
    func note(_ text: String, _ role: Role = .normal) {
      lines.append(Line(text: "   " + text, role: role))
    }
    section("MFA")
    let labelWidth = 26
    for method in MFAMethod.allCases {
      let label: String
      switch method {
      case .totp: label = "Authenticator app (TOTP)"
      case .sms: label = "SMS"
      case .email: label = "Email"
      }
      let state: String
      if let mfa = page.mfa {
        state =
          mfa.enabled.contains(method)
          ? "enabled" + (mfa.preferred == method ? ", preferred" : "") : "off"
      } else {
        state = page.failures["MFA"] == nil ? "…" : "?"
      }
      selectable(DisplayWidth.pad(label, to: labelWidth) + state)
    }
    selectable("Set up an authenticator app…  (QR code)")
    if let failure = page.failures["MFA"] { note(failure, .statusError) }
    if let factors = page.mfa?.factors, !factors.isEmpty {
      note("Sign-in factors: " + factors.map(TerminalText.escape).joined(separator: ", "))
    }
    section("Devices" + (page.devices.map { " (\($0.count))" } ?? ""))
    if let devices = page.devices {
      if devices.isEmpty { note("None: this pool tracks no devices for you, or none yet") }
      let nameWidth = min(36, devices.map { DisplayWidth.of($0.displayName) + 14 }.max() ?? 10)
      for device in devices {
        let name = device.displayName + (device.isThisDevice ? " (this device)" : "")
        let last =
          device.lastSignIn.map { PlainFormat.iso8601(epochSeconds: Int($0)) } ?? "never"
        let ip = device.lastIP.map { "  " + TerminalText.escape($0) } ?? ""
        selectable(
          DisplayWidth.pad(DisplayWidth.truncate(name, to: nameWidth), to: nameWidth) + "  "
            + DisplayWidth.pad(device.rememberedLabel, to: 14) + "  last " + last + ip)
      }
    } else {
      note(
        page.failures["Devices"] ?? "Reading…",
        page.failures["Devices"] == nil ? .normal : .statusError)
    }
    section("Passkeys" + (page.passkeys.map { " (\($0.count))" } ?? ""))
    if let passkeys = page.passkeys {
      if passkeys.isEmpty {
        note("None. Add one from your app's sign-in page (it needs a browser).")
      }
      for passkey in passkeys {
        selectable(
          TerminalText.escape(passkey.name) + "  " + TerminalText.escape(passkey.relyingParty)
            + "  added " + PlainFormat.iso8601(epochSeconds: Int(passkey.created)))
      }
    } else {
      note(
        page.failures["Passkeys"] ?? "Reading…",
        page.failures["Passkeys"] == nil ? .normal : .statusError)
    }
    section("Account")
    selectable("Sign out everywhere…")
    selectable("Close the account…")
    return lines.map { line in
      var line = line
      line.text = DisplayWidth.truncate(line.text, to: width)
      return line
    }
  }

  /// The enrolment: the QR code (black on white) or why not, the secret in groups of four, the
  /// code and the name fields. Drawn over the whole body, so a large code has the room; when the
  /// code does not fit, a short message takes its place, and the secret and the two fields are
  /// always shown (wrapped, without blank lines when rows are few).
  static func enrolmentBody(
    _ enrolment: TOTPEnrolment, title: String, state: TUIState, typing: String? = nil,
    typingName: Bool? = nil, _ layout: inout Layout
  ) {
    let width = state.size.columns
    layout.put(1, [Span(title, .columnTitles)])
    let top = 2
    let bottom = state.size.rows - 2  // the hint line
    let secretLines = wrap(
      "Or type this secret into the app: " + enrolment.groupedSecret.reveal, width - 2)
    let fieldLines = 2
    let roomy = bottom - top >= secretLines.count + fieldLines + 4
    let textHeight = secretLines.count + fieldLines + (roomy ? 2 : 0)
    var row = top
    switch enrolment.picture {
    case .lines(let lines):
      let qrWidth = lines.map(DisplayWidth.of).max() ?? 0
      if 1 + lines.count + textHeight <= bottom - top && qrWidth + 2 <= width {
        layout.put(
          row,
          [Span(" Scan this with your authenticator app (" + enrolment.label + "):", .normal)])
        row += 1
        for line in lines {
          layout.put(row, [Span(" ", .normal), Span(line, .qrCode)], fill: .normal)
          row += 1
        }
      } else {
        let message =
          "Too small for the QR code (it needs \(qrWidth + 2)×\(lines.count + textHeight + 4)): "
          + "enlarge the terminal, or type the secret below into the app."
        for text in wrap(message, width - 2).prefix(max(1, bottom - top - textHeight)) {
          layout.put(row, [Span(" " + text, .statusWarning)], fill: .normal)
          row += 1
        }
      }
    case .unavailable(let reason):
      layout.put(row, [Span(" " + reason, .statusWarning)], fill: .normal)
      row += 1
    }
    if roomy { row += 1 }
    for line in secretLines {
      layout.put(row, [Span(" " + line, .normal)])
      row += 1
    }
    if roomy { row += 1 }
    let namePhase = typingName ?? enrolment.typingName
    let code =
      typing.map { namePhase ? "" : TerminalText.escape($0) }
      ?? TerminalText.escape(enrolment.code.text)
    let name =
      typing.map { namePhase ? TerminalText.escape($0) : "" }
      ?? TerminalText.escape(enrolment.deviceName.text)
    let labelWidth = width >= 60 ? 25 : 7
    for (label, value, active) in [
      (width >= 60 ? "Code from the app:" : "Code:", code, !namePhase),
      (width >= 60 ? "Name for it (optional):" : "Name:", name, namePhase),
    ] {
      let text = " " + DisplayWidth.pad(label, to: labelWidth) + value
      layout.put(row, [Span(text, active ? .input : .normal)])
      if active && state.busy == nil {
        layout.cursor = (row, min(width - 1, DisplayWidth.of(text)))
      }
      row += 1
    }
  }

  /// The Security view's hint line.
  static func securityHint(_ state: TUIState, _ page: SecurityPage) -> String {
    switch page.dialog {
    case .enrol?: return " Enter: next / enrol   Tab: other field   Esc: cancel"
    case .confirm?: return " y: yes   any other key: no"
    case .closeAccount?: return " Type your user name, then Enter   Esc: cancel"
    case .waitingForSecret?: return " Esc: cancel"
    case nil:
      return state.header.readOnly
        ? " READ-ONLY  ↑↓: move  r: refresh  ?: help  Esc: back"
        : " t: app  e/x/p: MFA  d: forget  m: remember  O: sign out  C: close  Esc: back"
    }
  }
}
