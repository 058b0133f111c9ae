import AccountApp
import AccountCore
import ArgumentParser
import CognitoClient
import FoundationEssentials
import HTTPStack
import Keyfile

/// `cognito-account status`.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show who is signed in, the settings in force and where each came from.",
    discussion: HelpText.firstRun + """
      Exits 0 when signed in, 2 when not, 3 when the keyfile cannot be opened or unlocked. \
      Without a terminal it never prompts: the keyfile is unlocked from the unlock cache, \
      COGNITO_ACCOUNT_PASSPHRASE or --passphrase-file, or reported as locked.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Print JSON.")
  var json = false

  func run() async throws { try await quickInvocation.run() }

  /// The command's body, whether the argument parser read the arguments or
  /// ``QuickCommandLine`` did.
  static func run(_ global: GlobalValues, json: Bool) async throws {
    try await runReporting("status", global) { context throws(AccountError) -> Int32 in
      let settings = context.settings
      let endpoint = try settings.endpoint()
      var sessionState: (text: String, json: JSONText, code: Int32)
      switch await storedSession(context.actions) {
      case .success(let session):
        let now = Int(Date().timeIntervalSince1970)
        sessionState = (
          "Signed in as \(TerminalText.escape(session.username))",
          .object([
            ("signedIn", .bool(true)), ("username", .string(session.username)),
            (
              "accessTokenExpiresAt",
              .string(Self.time(session.accessTokenExpiresAt + session.clockDrift))
            ),
            (
              "accessTokenExpiresInSeconds",
              .number(session.accessTokenExpiresAt + session.clockDrift - now)
            ),
            (
              "refreshTokenExpiresAt",
              session.refreshTokenExpiresAt.map { .string(Self.time($0)) } ?? .null
            ),
          ]),
          StatusLine.ExitCode.success
        )
        if !json {
          printOut(sessionState.text)
          let left = session.accessTokenExpiresAt + session.clockDrift - now
          printOut(
            "  access token   expires \(Self.time(session.accessTokenExpiresAt + session.clockDrift)) "
              + (left > 0 ? "(in \(left / 60) min)" : "(expired; refreshed on next use)"))
          printOut(
            "  refresh token  "
              + (session.refreshTokenExpiresAt.map { "expires \(Self.time($0))" }
                ?? "expiry set by the app client (not known locally)"))
        }
      case .failure(let error):
        let line = StatusLine(error: error)
        let text: String
        switch error {
        case .notSignedIn: text = "Not signed in"
        case .sessionMismatch: text = "Session not usable here: \(TerminalText.escape(line.text))"
        default: text = "Keyfile locked: \(TerminalText.escape(line.text))"
        }
        sessionState = (
          text, .object([("signedIn", .bool(false)), ("reason", .string(line.text))]), line.exitCode
        )
        if !json { printOut(text) }
      }

      let cache = UnlockCache(timeout: .seconds(settings.unlockCacheSeconds.value))
      let keyfileState: String
      if settings.noStore.value {
        keyfileState = "none (--no-store)"
      } else if let path = context.actions.keyfilePath {
        keyfileState =
          FileBytes.exists(path) ? "\(path) (present)" : "\(path) (absent)"
      } else {
        keyfileState = "none"
      }
      let rows: [(String, String, String, SettingSource?)] = [
        ("profile", "profile", settings.profile.value, settings.profile.source),
        (
          "userPoolId", "user pool", settings.userPoolID?.value ?? "(not set)",
          settings.userPoolID?.source
        ),
        ("clientId", "client", settings.clientID?.value ?? "(not set)", settings.clientID?.source),
        (
          "clientSecret", "client secret",
          settings.clientSecret == nil
            ? "none" : "set" + (settings.clientSecretFile.map { " (from \($0.value))" } ?? ""),
          settings.clientSecret?.source
        ),
        ("region", "region", endpoint.region, regionSource(settings, endpoint)),
        (
          "endpoint", "endpoint", endpoint.url.absoluteString,
          settings.endpointURL?.source ?? .builtIn
        ),
        ("proxy", "proxy", Self.proxyState(context, endpoint), nil),
        (
          "trustStore", "trust store",
          context.caBundle.map { "\($0) (AWS_CA_BUNDLE)" } ?? "system", nil
        ),
        ("authFlow", "sign-in flow", settings.authFlow.value.rawValue, settings.authFlow.source),
        (
          "refreshTokenRotation", "token rotation",
          settings.refreshTokenRotation.value ? "on" : "off", settings.refreshTokenRotation.source
        ),
        ("keyfile", "keyfile", keyfileState, settings.keyfilePath?.source),
        (
          "unlockCache", "unlock cache",
          "\(cache.availability)"
            + (settings.unlockCacheSeconds.value > 0
              ? ", \(settings.unlockCacheSeconds.value / 60) min" : ""),
          settings.unlockCacheSeconds.source
        ),
        ("readOnly", "read-only", settings.readOnly.value ? "yes" : "no", settings.readOnly.source),
        (
          "awsProfile", "aws profile",
          settings.awsProfile?.value
            ?? "(the chain: environment, AWS_PROFILE, … — 'admin whoami' names the source)",
          settings.awsProfile?.source
        ),
        (
          "adminReadOnly", "admin read-only", settings.adminReadOnly.value ? "yes" : "no",
          settings.adminReadOnly.source
        ),
        ("auditLog", "audit log", settings.auditLog.value, settings.auditLog.source),
        (
          "configFile", "config file",
          settings.configPath
            + (FileBytes.exists(settings.configPath) ? "" : " (absent)"), nil
        ),
      ]
      if json {
        let document = JSONText.object(
          [("session", sessionState.json)]
            + rows.map { row in
              (
                row.0,
                JSONText.object(
                  [("value", .string(row.2))]
                    + (row.3.map { [("source", JSONText.string($0.rawValue))] } ?? []))
              )
            })
        printOut(document.rendered())
      } else {
        for row in rows {
          let source = row.3.map { "  (\($0.rawValue))" } ?? ""
          let label = row.1 + String(repeating: " ", count: max(0, 15 - row.1.count))
          printOut("  " + label + row.2 + source)
        }
      }
      return sessionState.code
    }
  }

  /// Whether requests to the endpoint go through the environment's proxy.
  private static func proxyState(_ context: Context, _ endpoint: CognitoEndpoint) -> String {
    guard let proxy = context.proxy else { return "none" }
    if proxy.applies(to: endpoint.url) { return "\(proxy.displayName) (https_proxy)" }
    return endpoint.url.scheme == "https"
      ? "not used for \(endpoint.url.host(percentEncoded: false) ?? "") (no_proxy)"
      : "not used for plain http"
  }

  private static func regionSource(_ settings: ResolvedSettings, _ endpoint: CognitoEndpoint)
    -> SettingSource
  {
    if let region = settings.region { return region.source }
    return .derived
  }

  static func time(_ epoch: Int) -> String {
    PlainFormat.iso8601(epochSeconds: epoch)
  }
}
