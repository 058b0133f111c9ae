import AWSCredentialChain
import AccountApp
import AccountCore
import AccountView
import ArgumentParser
import AuditLog
import CognitoClient
import FoundationEssentials
import HTTPStack
import Prompting
import Synchronization
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

/// `cognito-account admin`: the support mode.
struct AdminCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "admin",
    abstract: "Support mode: find users of the pool and manage their accounts (IAM credentials).",
    discussion: """
      Signs every request with AWS credentials from the standard chain, in the AWS CLI's \
      order: --aws-profile (or the profile's aws_profile), else AWS_ACCESS_KEY_ID and \
      AWS_SECRET_ACCESS_KEY, else AWS_PROFILE or the default profile of ~/.aws/credentials \
      and ~/.aws/config (keys, credential_process, role_arn with source_profile, sso_session), \
      else the container endpoint, else EC2 instance metadata. 'admin whoami' names the \
      source and the identity.

      With no subcommand on a terminal, opens the support screen: a search line over the \
      pool's users (/ or start typing; results stream in pages, n for more), Enter opens a \
      user (attributes, groups, status), Space marks attributes, d removes them, e edits the \
      value under the cursor, o signs the user out everywhere, x disables or enables, p resets \
      the password; every write asks for its reason, then shows a review.

      Read-only by default: writes need admin_read_only = false in the profile or \
      --allow-writes. Every write needs --reason (a ticket id or a sentence) and is reviewed \
      first; the audit log ($XDG_STATE_HOME/cognito-account/audit.jsonl, or audit_log) gets \
      a line before the call and one after, with attribute names but never values.
      """,
    subcommands: [
      AdminWhoAmICommand.self, AdminUsersCommand.self, AdminShowCommand.self,
      AdminDeleteCommand.self, AdminSetCommand.self, AdminSignOutCommand.self,
      AdminDisableCommand.self, AdminEnableCommand.self, AdminResetPasswordCommand.self,
      AdminAuditCommand.self,
    ])

  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions

  /// With no subcommand, on a terminal: the support screen.
  func run() async throws {
    let environment = ProcessEnvironment.current
    if TerminalCheck.refusal(
      stdinIsTTY: isatty(0) == 1, stdoutIsTTY: isatty(1) == 1, term: environment["TERM"]) != nil
    {
      printError(
        "cognito-account admin: the support screen needs a terminal; scripts use "
          + "'cognito-account admin users' and the other subcommands (see --help)")
      throw ExitCode(StatusLine.ExitCode.refused)
    }
    let monochrome = global.noColor || !(environment["NO_COLOR"] ?? "").isEmpty
    var status: Int32 = 0
    let ownership = ScreenOwnership()
    try await runAdmin("admin", global, admin, screen: ownership) {
      session throws(AccountError) -> Int32 in
      let terminal: Terminal
      do {
        terminal = try Terminal.open(monochrome: monochrome)
        ownership.isOpen = true
      } catch {
        throw .configuration(message: "cannot open the terminal: \(error)")
      }
      do {
        status = try SupportScreenRuntime(session: session, terminal: terminal).run()
      } catch {
        terminal.close()
        throw .configuration(message: "cannot start the screen: \(error)")
      }
      return status
    }
  }
}

/// Options of every `admin` command.
struct AdminOptions: ParsableArguments {
  @Option(
    name: .customLong("aws-profile"),
    help: "AWS profile for the credentials (else the profile's aws_profile, then the chain).")
  var awsProfile: String?

  @Flag(
    name: .customLong("allow-writes"),
    help: "Allow writes for this run (the support mode is read-only by default).")
  var allowWrites = false
}

/// Resolves settings, opens the support-mode session and runs `body`, reporting errors as one
/// line and an exit code, as every command does.
func runAdmin(
  _ command: String, _ global: GlobalOptions, _ admin: AdminOptions, screen: ScreenOwnership? = nil,
  _ body: (AdminSession) async throws(AccountError) -> Int32
) async throws {
  let code: Int32
  var log: EventLog?
  do {
    let environment = ProcessEnvironment.current
    var flags = global.commandLine
    flags.awsProfile = admin.awsProfile
    flags.allowWrites = admin.allowWrites
    let settings = try SettingsResolver.resolve(flags, environment: environment)
    guard let pool = settings.userPoolID?.value else {
      throw AccountError.configuration(
        message:
          "no user pool id: pass --user-pool-id, set COGNITO_ACCOUNT_USER_POOL_ID, or add "
          + "user_pool_id to profile '\(settings.profile.value)' in \(settings.configPath)")
    }
    let endpoint = try settings.endpoint()
    let network = try Context.network(
      settings, environment: environment, interactive: screen != nil)
    do {
      log = try settings.logFile.map { try EventLog(path: $0.value) }
    } catch {
      throw AccountError.configuration(message: "cannot open the log file: \(error)")
    }
    var metadataOptions = SocketTransport.Options.cloudMetadata
    metadataOptions.exchangesOnCallingThread = screen == nil
    var chain = CredentialChain(
      environment: environment, home: environment["HOME"] ?? "",
      explicitProfile: settings.awsProfile?.value, region: endpoint.region,
      transport: network.transport,
      metadataTransport: SocketTransport(options: metadataOptions),
      mfaCode: { serial throws(CredentialError) in
        // While the support screen owns the terminal nothing may read it behind its back.
        if screen?.isOpen == true {
          throw .expired(
            source: "The role session (mfa_serial)",
            hint: "quit and start 'cognito-account admin' again to type a new MFA code")
        }
        do {
          return try TerminalPrompt.readSecret(
            prompt: "MFA code for \(TerminalText.escape(serial)): ")
        } catch {
          throw .incomplete(
            source: "mfa_serial", reason: "the role needs an MFA code and none could be asked")
        }
      })
    chain.quietProcesses = screen != nil
    let session = try await AdminSession.open(
      AdminSession.Context(
        profile: settings.profile.value, userPoolID: pool, endpoint: endpoint.url,
        region: endpoint.region, readOnly: settings.adminReadOnly.value,
        auditLogPath: settings.auditLog.value),
      chain: chain, transport: network.transport, userAgent: AppInfo.userAgent,
      observer: log?.observer)
    code = try await body(session)
  } catch let error as AccountError {
    let line = StatusLine(error: error)
    printError(TerminalText.escape(line.rendered))
    log?.record("command=\(command) exit=\(line.exitCode)")
    throw ExitCode(line.exitCode)
  }
  log?.record("command=\(command) exit=\(code)")
  if code != 0 { throw ExitCode(code) }
}

/// Whether the support screen owns the terminal (prompts must not read it then).
final class ScreenOwnership: Sendable {
  private let open = Mutex(false)
  /// True from the moment the screen takes the terminal.
  var isOpen: Bool {
    get { open.withLock { $0 } }
    set { open.withLock { $0 = newValue } }
  }
}

/// The attribute list as the AWS CLI prints it.
func attributesJSON(_ attributes: [Attribute]) -> JSONText {
  .array(attributes.map { .object([("Name", .string($0.name)), ("Value", .string($0.value))]) })
}

/// A user as the AWS CLI prints `list-users`' `UserType` (`attributesKey` "Attributes") or
/// `admin-get-user` ("UserAttributes"): members in its order, those Cognito sent, timestamps as
/// it sent them.
func userJSON(_ user: AdminUser, attributesKey: String) -> JSONText {
  var members: [(String, JSONText)] = [
    ("Username", .string(user.username)), (attributesKey, attributesJSON(user.attributes)),
  ]
  if let created = user.created { members.append(("UserCreateDate", .decimal(created))) }
  if let modified = user.lastModified {
    members.append(("UserLastModifiedDate", .decimal(modified)))
  }
  members.append(("Enabled", .bool(user.enabled)))
  members.append(("UserStatus", .string(user.status)))
  if let options = user.mfaOptions { members.append(("MFAOptions", mfaOptionsJSON(options))) }
  if let preferred = user.preferredMfaSetting {
    members.append(("PreferredMfaSetting", .string(preferred)))
  }
  if let enabled = user.userMFASettingList {
    members.append(("UserMFASettingList", .array(enabled.map { .string($0) })))
  }
  return .object(members)
}

/// `admin whoami`.
struct AdminWhoAmICommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "whoami", abstract: "Show the AWS identity and where its credentials come from.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Flag(help: "Print JSON.") var json = false

  func run() async throws {
    try await runAdmin("admin whoami", global, admin) { session throws(AccountError) -> Int32 in
      let identity = try await session.whoAmI()
      let context = session.context
      if json {
        printOut(
          JSONText.object([
            ("Arn", .string(identity.arn)), ("Account", .string(identity.account)),
            ("CredentialSource", .string(identity.source)),
            ("UserPoolId", .string(context.userPoolID)), ("ReadOnly", .bool(context.readOnly)),
            ("AuditLog", .string(context.auditLogPath)),
          ]).rendered())
      } else {
        printOut("identity:    \(TerminalText.escape(identity.arn))")
        printOut("credentials: \(TerminalText.escape(identity.source))")
        printOut("user pool:   \(TerminalText.escape(context.userPoolID))")
        printOut("mode:        \(context.readOnly ? "READ-ONLY" : "writes allowed")")
        printOut("audit log:   \(TerminalText.escape(context.auditLogPath))")
      }
      return StatusLine.ExitCode.success
    }
  }
}

/// `admin users`.
struct AdminUsersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users",
    abstract: "Search the pool's users (ListUsers), page by page.",
    discussion: """
      --filter takes ListUsers' form, NAME = "VALUE" (exact) or NAME ^= "VALUE" (prefix), on \
      one of: \(SupportRules.searchableNames.joined(separator: ", ")). A plain word searches \
      by prefix: email when it has an @, phone_number when it starts with +, else username. \
      Rows are printed as each page arrives; --limit stops after that many users. --json \
      prints the document 'aws cognito-idp list-users' prints.

      Examples:
        cognito-account admin users --filter 'email ^= "zoe"'
        cognito-account admin users --filter 'cognito:user_status = "UNCONFIRMED"' --json
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Option(help: "A ListUsers filter, or a plain word to search by prefix.") var filter: String?
  @Option(help: "Stop after this many users (default: all).") var limit: Int?
  @Flag(help: "Print JSON, as 'aws cognito-idp list-users' does.") var json = false

  func validate() throws {
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
  }

  func run() async throws {
    try await runAdmin("admin users", global, admin) { session throws(AccountError) -> Int32 in
      let parsed = try filter.map { text throws(AccountError) in try UserFilter.parse(text) }
      var collected: [AdminUser] = []
      var token: String?
      var printedHeader = false
      repeat {
        let remaining = limit.map { $0 - collected.count } ?? SupportRules.maximumPageSize
        let page = try await session.listUsers(
          filter: parsed, limit: min(remaining, SupportRules.maximumPageSize), nextToken: token)
        let users = Array(page.users.prefix(max(0, remaining)))
        collected += users
        token = page.nextToken
        if !json {
          if !printedHeader {
            printOut(Self.row(["USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED"]))
            printedHeader = true
          }
          for user in users { printOut(Self.row(Self.columns(user))) }
        }
      } while token != nil && (limit.map { collected.count < $0 } ?? true)
      if json {
        printOut(
          JSONText.object([
            ("Users", .array(collected.map { userJSON($0, attributesKey: "Attributes") }))
          ]).rendered())
      } else if collected.isEmpty {
        printOut("(no users match)")
      }
      return StatusLine.ExitCode.success
    }
  }

  static func columns(_ user: AdminUser) -> [String] {
    [
      user.username, user.value("email") ?? "", user.status, user.enabled ? "yes" : "no",
      user.created.map { String(PlainFormat.iso8601(epochSeconds: Int($0)).prefix(10)) } ?? "",
    ]
  }

  static func row(_ cells: [String]) -> String {
    let widths = [24, 32, 22, 7, 10]
    return zip(cells, widths).map { cell, width in
      DisplayWidth.pad(DisplayWidth.truncate(TerminalText.escape(cell), to: width), to: width)
    }.joined(separator: " ").trimmedWhitespace()
  }

}

/// `admin show`.
struct AdminShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show one user: attributes, status and groups (AdminGetUser).",
    discussion: """
      --json prints the document 'aws cognito-idp admin-get-user' prints (timestamps as \
      Cognito sends them, seconds since 1970).
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Argument(help: "The user name.") var username: String
  @Flag(help: "Print JSON, as 'aws cognito-idp admin-get-user' does.") var json = false

  func run() async throws {
    try await runAdmin("admin show", global, admin) { session throws(AccountError) -> Int32 in
      let user = try await session.user(username)
      if json {
        printOut(userJSON(user, attributesKey: "UserAttributes").rendered())
      } else {
        printOut("user:    \(TerminalText.escape(user.username))")
        printOut(
          "status:  \(TerminalText.escape(user.status)), \(user.enabled ? "enabled" : "DISABLED")")
        printOut(
          "groups:  "
            + (user.groups.isEmpty
              ? "(none)" : user.groups.map(TerminalText.escape).joined(separator: ", ")))
        for line in AttributeTable.render(user.attributes.map { ($0.name, Optional($0.value)) }) {
          printOut(line)
        }
      }
      return StatusLine.ExitCode.success
    }
  }
}

/// The lines every support-mode review starts with.
func adminReviewHeader(_ user: AdminUser, reason: String, session: AdminSession) -> [String] {
  [
    "User:   \(TerminalText.escape(user.username))"
      + (user.sub.map { " (sub \(TerminalText.escape($0)))" } ?? ""),
    "Pool:   \(TerminalText.escape(session.context.userPoolID))",
    "Reason: \(TerminalText.escape(reason))",
  ]
}

/// `admin delete`.
struct AdminDeleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete",
    abstract: "Remove attributes from a user (AdminDeleteUserAttributes), with a reason.",
    discussion: """
      The same rules and review as 'cognito-account delete': sub, identities and the \
      *_verified flags are refused; email or phone_number must be confirmed by typing \
      'delete'. The user is read first and again after, and each name is reported.

      Example:
        cognito-account admin delete zoe phone_number --reason 'TICKET-123 customer request'
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Argument(help: "The user name.") var username: String
  @Argument(help: "Attribute names.") var names: [String]
  @Option(help: "Why (a ticket id or a sentence); kept in the audit log.") var reason: String?
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false
  @Flag(name: .customLong("dry-run"), help: "Show what would be sent; send nothing.")
  var dryRun = false
  @Flag(help: "Print the outcome as JSON.") var json = false

  func validate() throws {
    if names.isEmpty { throw ValidationError("name at least one attribute to remove") }
  }

  func run() async throws {
    try await runAdmin("admin delete", global, admin) { session throws(AccountError) -> Int32 in
      for name in names { try RemovalRules.check(name) }
      let reason = try SupportRules.checkReason(reason)
      if session.context.readOnly && !dryRun {
        throw .adminReadOnly(action: "AdminDeleteUserAttributes")
      }
      let user = try await session.user(username)
      let actions = session.attributeActions(for: user.username, sub: user.sub, reason: reason)
      let plan = try await actions.planRemoval(of: names)
      if dryRun {
        printOut("Would send AdminDeleteUserAttributes for \(plan.present.count):")
        for attribute in plan.present { printOut("  " + Review.describe(attribute)) }
        for name in plan.absent { printOut("Not present: \(TerminalText.escape(name))") }
        return StatusLine.ExitCode.success
      }
      if !plan.present.isEmpty && !yes {
        try Review.confirmRemoval(
          plan, header: adminReviewHeader(user, reason: reason, session: session))
      }
      return Review.report(
        try await actions.remove(plan), json: json,
        leading: [("username", .string(user.username))])
    }
  }
}

/// `admin set`.
struct AdminSetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set",
    abstract: "Change or add a user's attributes (AdminUpdateUserAttributes), with a reason.",
    discussion: """
      The same rules and review as 'cognito-account set'. A changed email or phone_number is \
      unverified and Cognito sends the user a code, unless --mark-verified is given: then \
      email_verified (or phone_number_verified) is set to true in the same call and no \
      message is sent. Use it only when you have checked the address yourself.

      Example:
        cognito-account admin set zoe email=zoe@example.org --reason 'TICKET-9' --mark-verified
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Argument(help: "The user name.") var username: String
  @Argument(help: "NAME=VALUE pairs.") var assignments: [String]
  @Option(help: "Why (a ticket id or a sentence); kept in the audit log.") var reason: String?
  @Flag(
    name: .customLong("mark-verified"),
    help: "Mark a changed email or phone_number verified (no code is sent).")
  var markVerified = false
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false
  @Flag(name: .customLong("dry-run"), help: "Show what would be sent; send nothing.")
  var dryRun = false
  @Flag(help: "Print the outcome as JSON.") var json = false

  private var changes: [(name: String, value: String)] {
    assignments.map { assignment in
      let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
  }

  func validate() throws {
    if assignments.isEmpty { throw ValidationError("give at least one NAME=VALUE") }
    for assignment in assignments where !assignment.contains("=") {
      throw ValidationError("'\(TerminalText.escape(assignment))' is not NAME=VALUE")
    }
  }

  func run() async throws {
    try await runAdmin("admin set", global, admin) { session throws(AccountError) -> Int32 in
      for (name, value) in changes {
        try EditRules.check(name: name)
        try EditRules.check(value: value, for: name)
      }
      let reason = try SupportRules.checkReason(reason)
      if session.context.readOnly && !dryRun {
        throw .adminReadOnly(action: "AdminUpdateUserAttributes")
      }
      let user = try await session.user(username)
      let actions = session.attributeActions(for: user.username, sub: user.sub, reason: reason)
      let plan = try await actions.planEdit(changes)
      let verifiedFlags =
        markVerified
        ? plan.edits.compactMap { EditRules.verifiedBy[$0.name] }.map {
          AttributeType(name: $0, value: "true")
        } : []
      let notes = verifiedFlags.map {
        "\($0.name) will be set to true: no code is sent, the address counts as verified"
      }
      if dryRun {
        printOut(
          "Would send AdminUpdateUserAttributes for \(plan.edits.count + verifiedFlags.count):")
        for edit in plan.edits { printOut("  " + Review.describe(edit)) }
        for flag in verifiedFlags { printOut("  \(flag.name) = true") }
        for name in plan.unchanged { printOut("Unchanged: \(TerminalText.escape(name))") }
        return StatusLine.ExitCode.success
      }
      if !plan.edits.isEmpty && !yes {
        try Review.confirmEdit(
          plan, header: adminReviewHeader(user, reason: reason, session: session), notes: notes)
      }
      let report = try await actions.applyEdit(plan, extra: verifiedFlags)
      if json {
        printOut(SetCommand.json(report).rendered())
      } else {
        for entry in report.outcomes {
          printOut(SetCommand.label(entry.outcome) + ": " + TerminalText.escape(entry.name))
        }
      }
      return report.failed.isEmpty ? StatusLine.ExitCode.success : StatusLine.ExitCode.partial
    }
  }
}

/// The account-level actions (sign-out, disable, enable, reset password), each reviewed.
func runAccountAction(
  _ action: SupportAction, username: String, reason: String?, yes: Bool,
  global: GlobalOptions, admin: AdminOptions
) async throws {
  try await runAdmin("admin \(action.rawValue)", global, admin) {
    session throws(AccountError) -> Int32 in
    let reason = try SupportRules.checkReason(reason)
    if session.context.readOnly { throw .adminReadOnly(action: action.operation) }
    let user = try await session.user(username)
    if !yes {
      // Disabling and resetting lock the person out: typed user name, as for closing an account.
      let strong = action.needsTypedUsername
      try Review.confirm(
        adminReviewHeader(user, reason: reason, session: session) + [
          "Status: \(TerminalText.escape(user.status)), \(user.enabled ? "enabled" : "disabled")",
          "\(action.operation): \(action.consequence).",
        ],
        typedWord: strong ? user.username : nil,
        prompt: strong
          ? "Type the user name to confirm: " : "\(action.operation)? [y/N] ",
        action: action.rawValue, nothing: "sent")
    }
    try await session.perform(action, on: user, reason: reason)
    printOut("\(action.operation): done for \(TerminalText.escape(user.username))")
    return StatusLine.ExitCode.success
  }
}

/// `admin signout`.
struct AdminSignOutCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "signout", abstract: "Sign a user out everywhere (AdminUserGlobalSignOut).")
  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Argument(help: "The user name.") var username: String
  @Option(help: "Why (a ticket id or a sentence); kept in the audit log.") var reason: String?
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false
  func run() async throws {
    try await runAccountAction(
      .signOut, username: username, reason: reason, yes: yes, global: global, admin: admin)
  }
}

/// `admin disable`.
struct AdminDisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Disable a user (AdminDisableUser).")
  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Argument(help: "The user name.") var username: String
  @Option(help: "Why (a ticket id or a sentence); kept in the audit log.") var reason: String?
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false
  func run() async throws {
    try await runAccountAction(
      .disable, username: username, reason: reason, yes: yes, global: global, admin: admin)
  }
}

/// `admin enable`.
struct AdminEnableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enable", abstract: "Enable a disabled user (AdminEnableUser).")
  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Argument(help: "The user name.") var username: String
  @Option(help: "Why (a ticket id or a sentence); kept in the audit log.") var reason: String?
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false
  func run() async throws {
    try await runAccountAction(
      .enable, username: username, reason: reason, yes: yes, global: global, admin: admin)
  }
}

/// `admin reset-password`.
struct AdminResetPasswordCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset-password",
    abstract: "Reset a user's password (AdminResetUserPassword): Cognito sends them a code.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup var admin: AdminOptions
  @Argument(help: "The user name.") var username: String
  @Option(help: "Why (a ticket id or a sentence); kept in the audit log.") var reason: String?
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false
  func run() async throws {
    try await runAccountAction(
      .resetPassword, username: username, reason: reason, yes: yes, global: global, admin: admin)
  }
}

/// `admin audit`.
struct AdminAuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Show the support mode's audit log.",
    discussion: """
      Reads the log locally (no credentials needed). --since takes an ISO 8601 time or a \
      date (2026-12-01). A torn last line (a crash mid-write) is skipped and counted.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "Only entries at or after this time.") var since: String?
  @Flag(help: "Print the entries as JSON lines, as stored.") var json = false

  func run() async throws {
    let environment = ProcessEnvironment.current
    do {
      let settings = try SettingsResolver.resolve(global.commandLine, environment: environment)
      var threshold: Int?
      if let since {
        let text = since.count == 10 ? since + "T00:00:00Z" : since
        guard let seconds = PlainFormat.epochSeconds(iso8601: text) else {
          throw AccountError.invalidInput(
            message: "--since \(TerminalText.escape(since)) is not an ISO 8601 time or date")
        }
        threshold = seconds
      }
      let contents: AuditLog.Contents
      do {
        contents = try AuditLog(path: settings.auditLog.value).read()
      } catch {
        throw AccountError.configuration(message: error.description)
      }
      let entries = contents.entries.filter { entry in
        guard let threshold else { return true }
        return (PlainFormat.epochSeconds(iso8601: entry.time) ?? 0) >= threshold
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      for entry in entries {
        if json {
          printOut(String(decoding: (try? encoder.encode(entry)) ?? Data(), as: UTF8.self))
        } else {
          let attributes = entry.attributes.map { " " + $0.joined(separator: ",") } ?? ""
          let result = entry.result.map { " → \($0)" } ?? ""
          printOut(
            TerminalText.escape(
              "\(entry.time) \(entry.phase) \(entry.operation) \(entry.username)\(attributes)"
                + "\(result) by \(entry.caller): \(entry.reason)"))
        }
      }
      if contents.unreadableLines > 0 {
        printError("Warning: \(contents.unreadableLines) unreadable line(s) skipped")
      }
    } catch let error as AccountError {
      let line = StatusLine(error: error)
      printError(TerminalText.escape(line.rendered))
      throw ExitCode(line.exitCode)
    }
  }
}
