import AccountApp
import AccountCore
import AccountView
import ArgumentParser
import CTerminalSupport
import CognitoClient
import FoundationEssentials
import Glibc
import Prompting
import QRCode

/// `cognito-account mfa`: the MFA state, and enabling, disabling or preferring a method.
struct MFACommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mfa",
    abstract: "Show your MFA methods (GetUserAuthFactors); enable, disable or prefer one.",
    discussion: HelpText.firstRun + """
      With no subcommand: the preferred method, the methods enabled and the sign-in factors. \
      Enabling the authenticator app (totp) needs one enrolled first; email MFA needs a user \
      pool whose feature plan includes it (Cognito refuses otherwise, with its reason).

      Examples:
        cognito-account mfa
        cognito-account mfa prefer sms
        cognito-account mfa disable totp
      """,
    subcommands: [
      MFASetupTOTPCommand.self, MFAEnableCommand.self, MFADisableCommand.self,
      MFAPreferCommand.self,
    ])

  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print JSON.") var json = false

  func run() async throws { try await quickInvocation.run() }

  /// The command's body, whether the argument parser read the arguments or
  /// ``QuickCommandLine`` did.
  static func run(_ global: GlobalValues, json: Bool) async throws {
    try await runReporting("mfa", global) { context throws(AccountError) -> Int32 in
      Self.show(try await context.actions.mfaState(), json: json)
      return StatusLine.ExitCode.success
    }
  }

  static func show(_ state: MFAState, json: Bool) {
    if json {
      printOut(
        JSONText.object([
          ("PreferredMfaSetting", .string(state.preferred?.wire ?? "")),
          ("UserMFASettingList", .array(state.enabled.sorted().map { .string($0.wire) })),
          ("ConfiguredUserAuthFactors", .array(state.factors.map { .string($0) })),
        ]).rendered())
      return
    }
    for method in MFAMethod.allCases {
      let on = state.enabled.contains(method)
      let preferred = state.preferred == method ? " (preferred)" : ""
      printOut(
        DisplayWidth.pad("\(method.rawValue):", to: 7) + (on ? "enabled" : "off") + preferred
          + "   " + method.label)
    }
    printOut(
      "sign-in factors: "
        + (state.factors.isEmpty
          ? "(none)" : state.factors.map(TerminalText.escape).joined(separator: ", ")))
  }
}

/// The shared body of `mfa enable|disable|prefer`.
func runMFAChange(
  _ change: MFAChange, _ method: MFAMethod, global: GlobalOptions, json: Bool
) async throws {
  try await runReporting("mfa \(change.rawValue)", global.values) {
    context throws(AccountError) -> Int32 in
    if context.settings.readOnly.value { throw .readOnly(action: "mfa \(change.rawValue)") }
    MFACommand.show(try await context.actions.setMFA(method, change), json: json)
    return StatusLine.ExitCode.success
  }
}

/// `totp`, `sms` or `email`, or a usage error.
func mfaMethod(_ text: String) throws -> MFAMethod {
  guard let method = MFAMethod(rawValue: text.lowercased()) else {
    throw ValidationError(
      "'\(TerminalText.escape(text))' is not an MFA method: use totp, sms or email")
  }
  return method
}

/// `mfa enable METHOD`.
struct MFAEnableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enable", abstract: "Enable an MFA method (totp, sms, email).")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "totp, sms or email.") var method: String
  @Flag(help: "Print JSON.") var json = false
  func validate() throws { _ = try mfaMethod(method) }
  func run() async throws {
    try await runMFAChange(.enable, try mfaMethod(method), global: global, json: json)
  }
}

/// `mfa disable METHOD`.
struct MFADisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Disable an MFA method (totp, sms, email).")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "totp, sms or email.") var method: String
  @Flag(help: "Print JSON.") var json = false
  func validate() throws { _ = try mfaMethod(method) }
  func run() async throws {
    try await runMFAChange(.disable, try mfaMethod(method), global: global, json: json)
  }
}

/// `mfa prefer METHOD`.
struct MFAPreferCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prefer", abstract: "Enable an MFA method and make it the preferred one.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "totp, sms or email.") var method: String
  @Flag(help: "Print JSON.") var json = false
  func validate() throws { _ = try mfaMethod(method) }
  func run() async throws {
    try await runMFAChange(.prefer, try mfaMethod(method), global: global, json: json)
  }
}

/// `cognito-account passkeys`: list, and delete one.
struct PasskeysCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passkeys",
    abstract: "List your passkeys (ListWebAuthnCredentials); delete one.",
    discussion: HelpText.firstRun + """
      Registering a passkey needs a browser's authenticator, which a terminal does not have: \
      add one from your app's sign-in page (Cognito's hosted UI), then it is listed here.
      """,
    subcommands: [PasskeysDeleteCommand.self])

  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print JSON.") var json = false

  func run() async throws { try await quickInvocation.run() }

  /// The command's body, whether the argument parser read the arguments or
  /// ``QuickCommandLine`` did.
  static func run(_ global: GlobalValues, json: Bool) async throws {
    try await runReporting("passkeys", global) { context throws(AccountError) -> Int32 in
      let passkeys = try await context.actions.passkeys()
      if json {
        printOut(
          JSONText.object([
            (
              "Credentials",
              .array(
                passkeys.map {
                  .object([
                    ("CredentialId", .string($0.id)), ("FriendlyCredentialName", .string($0.name)),
                    ("RelyingPartyId", .string($0.relyingParty)),
                    ("CreatedAt", .decimal($0.created)),
                  ])
                })
            )
          ]).rendered())
      } else if passkeys.isEmpty {
        printOut("No passkeys. Add one from your app's sign-in page (it needs a browser).")
      } else {
        for passkey in passkeys {
          printOut(
            TerminalText.escape(passkey.name) + "  " + TerminalText.escape(passkey.relyingParty)
              + "  " + PlainFormat.iso8601(epochSeconds: Int(passkey.created)) + "  id "
              + TerminalText.escape(passkey.id))
        }
      }
      return StatusLine.ExitCode.success
    }
  }
}

/// `passkeys delete ID`.
struct PasskeysDeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete a passkey (after confirmation).",
    discussion: """
      A passkey id can start with '-' (ids are base64url): put '--' before it, as in \
      'cognito-account passkeys delete --yes -- -AbC123'.
      """)
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The passkey's id, as 'passkeys' lists it.") var id: String
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false

  func run() async throws {
    try await runReporting("passkeys delete", global.values) {
      context throws(AccountError) -> Int32 in
      if context.settings.readOnly.value { throw .readOnly(action: "passkeys delete") }
      let passkeys = try await context.actions.passkeys()
      guard let passkey = passkeys.first(where: { $0.id == id }) else {
        throw .invalidInput(
          message: "no passkey with id \(TerminalText.escape(id)); see 'passkeys'")
      }
      if !yes {
        try Review.confirm(
          [
            "This passkey will be deleted: \(TerminalText.escape(passkey.name)) "
              + "(\(TerminalText.escape(passkey.relyingParty)))",
            "You can no longer sign in with it; add it again from your app's sign-in page.",
          ], typedWord: nil, prompt: "Delete it? [y/N] ", action: "delete a passkey",
          nothing: "deleted")
      }
      try await context.actions.deletePasskey(passkey.id)
      printOut("deleted: \(TerminalText.escape(passkey.name))")
      return StatusLine.ExitCode.success
    }
  }
}

/// `cognito-account close-account`.
struct CloseAccountCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "close-account",
    abstract: "Close your account for good (DeleteUser), then forget the session.",
    discussion: HelpText.firstRun + """
      On a terminal: what is lost is shown, and you type your user name to confirm (no flag \
      skips that on a terminal). Without a terminal nothing happens unless --yes-i-mean-it is \
      given. --read-only, or read_only = true in the profile, refuses it. Afterwards the \
      keyfile is removed and the program says goodbye.
      """)

  @OptionGroup var global: GlobalOptions
  @Flag(
    name: .customLong("yes-i-mean-it"),
    help: "Without a terminal only: close the account without asking.")
  var yesIMeanIt = false

  func run() async throws {
    try await runReporting("close-account", global.values) {
      context throws(AccountError) -> Int32 in
      if context.settings.readOnly.value { throw .readOnly(action: "close-account") }
      let user = try await context.actions.load()
      if isInteractive {
        try Review.confirm(
          [
            "Closing the account \(TerminalText.escape(user.username)) cannot be undone:",
            "  every attribute (\(user.userAttributes.count)), every session on every device, "
              + "the MFA methods, the passkeys and the remembered devices are deleted;",
            "  the user name may be taken by someone else afterwards.",
          ], typedWord: user.username,
          prompt: "Type your user name (\(TerminalText.escape(user.username))) to close it: ",
          action: "close the account", nothing: "closed")
      } else if !yesIMeanIt {
        throw .confirmationUnavailable(action: "close the account")
      }
      let removed = try await context.actions.closeAccount()
      printOut(
        "Account \(TerminalText.escape(user.username)) closed."
          + (removed.map { " Removed \($0)." } ?? "") + " Goodbye.")
      return StatusLine.ExitCode.success
    }
  }
}

/// `mfa setup-totp`: enrol an authenticator app with a QR code in the terminal.
struct MFASetupTOTPCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "setup-totp",
    abstract: "Enrol an authenticator app: a QR code to scan, then its first code.",
    discussion: """
      Asks Cognito for a new secret (AssociateSoftwareToken) and shows it as a QR code of the \
      otpauth:// URI (issuer: the profile's totp_issuer, else the user pool id) and as text in \
      groups of four; then asks for the app's first code and a name for the device \
      (VerifySoftwareToken), and makes the app your preferred MFA method \
      (SetUserMFAPreference). The code and the secret are shown on the terminal's alternate \
      screen, so they are gone from the scrollback once it closes. --qr picks how the code is \
      drawn: utf8 (half blocks), ascii (## for the Linux console and VT100-class terminals), \
      or none; by default from TERM and the locale.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "How to draw the QR code: utf8, ascii or none (default: from TERM and locale).")
  var qr: String?

  func validate() throws {
    if let qr, !["utf8", "ascii", "none"].contains(qr) {
      throw ValidationError("--qr takes utf8, ascii or none")
    }
  }

  func run() async throws {
    try await runReporting("mfa setup-totp", global.values) {
      context throws(AccountError) -> Int32 in
      if context.settings.readOnly.value { throw .readOnly(action: "mfa setup-totp") }
      guard isInteractive else {
        throw .invalidInput(
          message:
            "setup-totp shows a QR code and asks for your app's first code: run it on a terminal")
      }
      let user = try await context.actions.load()
      let issuer = context.settings.authenticatorIssuer
      let secret = try await context.actions.associateTOTP()
      let (code, device) = try TOTPDialog(qr: qr).run(
        issuer: issuer, account: user.username, secret: secret)
      let state = try await context.actions.enrolTOTP(
        code: code, deviceName: device)
      printOut("Authenticator app enrolled and preferred.")
      MFACommand.show(state, json: false)
      return StatusLine.ExitCode.success
    }
  }
}
