import AccountCore
import CTerminalSupport
import FoundationEssentials
import Prompting
import QRCode

/// The authenticator-app enrolment dialog on a plain terminal, shared by `mfa setup-totp` and
/// the `MFA_SETUP` challenge at sign-in: the otpauth URI as a QR code and the secret in groups
/// of four, then the app's first code and a name for the device. All of it on the alternate
/// screen, so the secret is gone from the scrollback once the dialog closes.
struct TOTPDialog {
  /// `--qr`: utf8, ascii or none; nil picks from TERM and the locale.
  var qr: String?

  /// Shows the code and asks; the code and the device name (nil when none was typed).
  /// - Parameter notice: a line above the code (why it is asked again).
  func run(issuer: String, account: String, secret: Sensitive, notice: String? = nil)
    throws(AccountError) -> (code: Sensitive, deviceName: String?)
  {
    let uri = TOTPURI.make(issuer: issuer, account: account, secret: secret)
    // Ctrl-C, a hang-up or SIGTERM while it is open leave the alternate screen before dying: the
    // code and the secret never stay on the terminal.
    _ = ts_alternate_screen_guard_install(1)
    printOut("\u{1B}[?1049h\u{1B}[H\u{1B}[2J", guarded: false)
    defer {
      printOut("\u{1B}[?1049l", guarded: false)
      ts_alternate_screen_guard_remove()
    }
    if let notice { printOut(notice) }
    printOut(
      "Scan this with your authenticator app (\(TerminalText.escape(issuer)): "
        + "\(TerminalText.escape(account))):")
    printOut("")
    showQR(uri)
    printOut("")
    printOut("Or type this secret into the app: " + TOTPURI.grouped(secret).reveal)
    printOut("")
    do {
      let code = try TerminalPrompt.readLine(prompt: "Code from the app: ").trimmedWhitespace()
      let device = try TerminalPrompt.readLine(prompt: "Name for this device (optional): ")
        .trimmedWhitespace()
      guard !code.isEmpty else { throw AccountError.invalidInput(message: "no code given") }
      return (Sensitive(code), device.isEmpty ? nil : String(device.prefix(128)))
    } catch let error as AccountError {
      throw error
    } catch {
      throw AccountError.notConfirmed(nothing: "enrolled")
    }
  }

  /// Draws the QR code dark on light (explicit colours, whatever the terminal's theme), or says
  /// why it cannot.
  private func showQR(_ uri: Sensitive) {
    let environment = ProcessEnvironment.current
    let locale = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
    let utf8 = locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
    let style =
      qr.flatMap(QRText.Style.init(rawValue:))
      ?? QRText.style(term: environment["TERM"] ?? "", localeIsUTF8: utf8)
    guard qr != "none" else { return }
    let matrix: QRMatrix
    switch QRMatrix.encode(uri.reveal) {
    case .success(let value): matrix = value
    case .failure(let error):
      printOut(error.description)
      return
    }
    let (columns, rows) = QRText.footprint(matrix, style: style)
    var height: Int32 = 0
    var width: Int32 = 0
    if ts_window_size(1, &height, &width) == 0, Int(width) < columns || Int(height) < rows + 8 {
      printOut(
        "The terminal is too small for the QR code (it needs \(columns)×\(rows + 8), this one is "
          + "\(width)×\(height)): make it larger and run this again, or type the secret below.")
      return
    }
    for line in QRText.lines(matrix, style: style) {
      // Black on white (the eight standard colours, which every colour terminal has), reset at
      // the end of each line.
      printOut("\u{1B}[30;47m" + line + "\u{1B}[0m", guarded: false)
    }
  }
}
