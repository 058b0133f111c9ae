import AccountCore
import AccountView
import Testing

/// A Security view opened over `state` with its lists read.
func securityState(readOnly: Bool = false, rows: Int = 24, columns: Int = 80) -> TUIState {
  var (state, effects) = press(
    loadedState(readOnly: readOnly, rows: rows, columns: columns), .character("S"))
  #expect(effects == [.loadSecurity])
  let device = Device(
    key: "us-east-1_d1",
    attributes: [
      Attribute(name: "device_name", value: "laptop"),
      Attribute(name: "dev:device_remembered_status", value: "remembered"),
      Attribute(name: "last_ip_used", value: "192.0.2.7"),
    ], lastSignIn: 1_796_290_000, created: 1_796_000_000, modified: nil,
    thisDevice: "us-east-1_d1")
  let passkey = Passkey(
    id: "pk1", name: "Yubi", relyingParty: "auth.example.com", created: 1_796_000_000)
  state =
    TUIUpdate.update(
      state,
      .securityLoaded(
        SecurityLoad(
          mfa: .success(MFAState(preferred: .totp, enabled: [.totp], factors: ["PASSWORD"])),
          devices: .success([device]), passkeys: .success([passkey])))
    ).0
  return state
}

@Suite("The Security view (pure)")
struct SecurityViewTests {
  @Test("S opens it over the list with one load; Esc goes back to the list as it was")
  func openAndClose() {
    let state = securityState()
    #expect(state.securityPage?.rows.count == 8)
    #expect(state.busy == nil)
    let (back, _) = press(state, .escape)
    #expect(back.currentView == .attributes)
  }

  @Test("rows: e/x/p on a method, m and d on the device, d on the passkey, O and C")
  func actions() {
    var state = securityState()
    #expect(press(state, .character("x")).1 == [.setMFA(.totp, .disable)])
    #expect(press(state, .down, .character("p")).1 == [.setMFA(.sms, .prefer)])
    // Down to the device (row 4): m forgets it as remembered, d asks first.
    state = press(state, .down, .down, .down, .down).0
    #expect(press(state, .character("m")).1 == [.setDeviceRemembered("us-east-1_d1", false)])
    let asked = press(state, .character("d")).0
    #expect(asked.securityPage?.dialog != nil)
    #expect(press(asked, .character("n")).1.isEmpty)
    #expect(press(asked, .character("y")).1 == [.forgetDevice("us-east-1_d1")])
    #expect(press(state, .down, .character("d"), .character("y")).1 == [.deletePasskey("pk1")])
    #expect(press(state, .character("O"), .character("y")).1 == [.signOutEverywhere])
    // Closing needs the user name typed exactly.
    var closing = press(state, .character("C")).0
    for character in "zoe" { closing = press(closing, .character(character)).0 }
    #expect(press(closing, .enter).1 == [.closeAccount])
    var wrong = press(state, .character("C")).0
    for character in "zo" { wrong = press(wrong, .character(character)).0 }
    #expect(press(wrong, .enter).1.isEmpty)
  }

  @Test("read-only: every change refused with one line, no effect")
  func readOnly() {
    let state = securityState(readOnly: true)
    for key in ["t", "e", "x", "p", "O", "C"] {
      let (next, effects) = press(state, .character(Character(key)))
      #expect(effects.isEmpty, "\(key)")
      #expect(next.status?.text == "Read-only: security changes are disabled")
    }
  }

  @Test("enrolment: t asks for a secret; code then name; Enter enrols; a failure keeps it")
  func enrolment() {
    var (state, effects) = press(securityState(), .character("t"))
    #expect(effects == [.associateTOTP])
    let enrolment = TOTPEnrolment(
      groupedSecret: "ABCD EFGH", picture: .lines(["█▀▀█", "█▄▄█"]), label: "Pool: zoe")
    state = TUIUpdate.update(state, .totpSecret(enrolment)).0
    for character in "123456" { state = press(state, .character(character)).0 }
    state = press(state, .enter).0
    for character in "phone" { state = press(state, .character(character)).0 }
    let (sent, enrol) = press(state, .enter)
    #expect(enrol == [.enrolTOTP(code: "123456", deviceName: "phone")])
    let failed = TUIUpdate.update(
      sent,
      .securityFailed(
        .service(
          ServiceProblem(
            kind: .verificationCodeMismatch, code: "EnableSoftwareTokenMFAException",
            message: "Code mismatch"))
      )
    ).0
    guard case .enrol(let kept)? = failed.securityPage?.dialog else {
      Issue.record("the dialog should stay open after a wrong code")
      return
    }
    #expect(kept.code.text.isEmpty && kept.groupedSecret == "ABCD EFGH")
    let cancelled = press(failed, .escape).0
    #expect(cancelled.securityPage?.dialog == nil)
  }

  @Test("closing the account or signing out everywhere ends the screen with a farewell")
  func farewell() {
    let closed = TUIUpdate.update(securityState(), .accountClosed("/tmp/k")).0
    #expect(closed.quitting)
    #expect(closed.farewell == "Account zoe closed. Removed /tmp/k. Goodbye.")
    let out = TUIUpdate.update(securityState(), .signedOutEverywhere([])).0
    #expect(out.quitting && out.farewell?.hasPrefix("Signed out everywhere") == true)
  }

  @Test("results reach the page under the help view; the cursor stays on the same device")
  func resultsUnderHelp() {
    var state = press(loadedState(), .character("S"), .character("?")).0
    #expect(state.views.count == 3)
    let device = Device(
      key: "k2", attributes: [Attribute(name: "device_name", value: "phone")], lastSignIn: nil,
      created: nil, modified: nil, thisDevice: nil)
    state =
      TUIUpdate.update(
        state,
        .securityLoaded(
          SecurityLoad(
            mfa: .success(MFAState(preferred: nil, enabled: [], factors: [])),
            devices: .success([device]), passkeys: .success([])))
      ).0
    #expect(state.busy == nil)
    state = press(state, .escape).0
    #expect(state.securityPage?.devices == [device])
    // On the device (row 4); a refresh that puts another device first keeps the cursor on it.
    state = press(state, .down, .down, .down, .down).0
    #expect(state.securityPage?.currentRow == .device(device))
    let other = Device(
      key: "k1", attributes: [], lastSignIn: nil, created: nil, modified: nil, thisDevice: nil)
    state =
      TUIUpdate.update(
        state,
        .securityLoaded(
          SecurityLoad(
            mfa: .success(MFAState(preferred: nil, enabled: [], factors: [])),
            devices: .success([other, device]), passkeys: .success([])))
      ).0
    #expect(state.securityPage?.currentRow == .device(device))
  }

  @Test("Esc while the secret is on its way does not strand the view")
  func escapeWhileWaiting() {
    var (state, _) = press(securityState(), .character("t"), .escape)
    #expect(state.securityPage?.dialog == .waitingForSecret)
    state =
      TUIUpdate.update(
        state,
        .totpSecret(TOTPEnrolment(groupedSecret: "ABCD", picture: .lines(["█"]), label: "P: zoe"))
      ).0
    #expect(state.busy == nil)
    state = press(state, .escape).0
    #expect(state.securityPage?.dialog == nil && state.busy == nil)
  }

  @Test("at 40×10 the enrolment still shows the secret and both fields; hints fit 80 columns")
  func smallTerminal() {
    var state = press(securityState(rows: 10, columns: 40), .character("t")).0
    let secret = "TNYI SPH3 XL4O N5IO 6HHW 3C4B XYYE 54DJ QWER TYUI ASDF GHJK ZXCV"
    let tall = Array(repeating: String(repeating: "█", count: 30), count: 30)
    state =
      TUIUpdate.update(
        state,
        .totpSecret(
          TOTPEnrolment(groupedSecret: Sensitive(secret), picture: .lines(tall), label: "P"))
      ).0
    let screen = AccountRenderer.render(state)
    let text = screen.text
    #expect(text.contains("Too small for the QR code"))
    #expect(text.contains("ZXCV"))
    #expect(text.contains("Code:") && text.contains("Name:"))
    #expect((screen.cursor?.row ?? 99) < 8, "the cursor is on the code field, above the hint line")
    let wide = AccountRenderer.render(securityState())
    #expect(wide.rows[22].text.contains("Esc: back"))
  }

  @Test("the view at 80×24")
  func snapshot() {
    let screen = AccountRenderer.render(securityState())
    let text = trimmedText(screen)
    #expect(text.contains(" Security"))
    #expect(text.contains("   Authenticator app (TOTP)  enabled, preferred"))
    #expect(text.contains("laptop (this device)"))
    #expect(text.contains("remembered"))
    #expect(text.contains("Yubi  auth.example.com"))
    #expect(text.contains("Close the account…"))
    #expect(screen.rows.count == 24 && screen.rows.allSatisfy { DisplayWidth.of($0.text) == 80 })
  }

  @Test("a QR code too tall for the terminal gives a message and the secret as text")
  func qrTooTall() {
    var state = press(securityState(), .character("t")).0
    let tall = Array(repeating: String(repeating: "█", count: 20), count: 30)
    state =
      TUIUpdate.update(
        state,
        .totpSecret(TOTPEnrolment(groupedSecret: "ABCD", picture: .lines(tall), label: "P: zoe"))
      ).0
    let text = AccountRenderer.render(state).text
    #expect(text.contains("Too small for the QR code"))
    #expect(text.contains("Or type this secret into the app: ABCD"))
    #expect(!text.contains("████"))
  }
}
