import AccountApp
import ArgumentParser

/// Reads the command lines that scripts run in loops without swift-argument-parser:
/// `status`, `attributes`, `mfa`, `devices` and `passkeys`, each with `--json` and the global
/// options.
///
/// Building swift-argument-parser's parser reflects over every option in the command tree.
/// Swift's runtime demangles each property's type and scans the binary's ≈ 5,600
/// protocol-conformance records for each generic requirement. A profile put that at 60 % of an
/// `attributes --json` run, more than the command's own work.
///
/// This reader knows only these command lines. It returns `nil` for anything else: help, a
/// subcommand, an option it does not know, an option given twice, a missing value or one that
/// looks like an option, `--`. The argument parser then reads the line as before. It stays the one
/// definition of the command line, its help, completions and errors. `QuickCommandLineTests`
/// reads the same arguments both ways and checks two things: every line read here gives what
/// the parser gives, and this reader knows every option the parser takes for these commands.
enum QuickCommandLine {
  /// A command line read here, ready to run.
  struct Invocation: Hashable, Sendable {
    /// The commands read here.
    enum Command: String, CaseIterable, Sendable {
      case status, attributes, mfa, devices, passkeys
    }

    var command: Command
    var global = GlobalValues()
    /// `--json`.
    var json = false

    /// Runs the command's body: the same function its parsed command's `run()` calls.
    func run() async throws {
      switch command {
      case .status: try await StatusCommand.run(global, json: json)
      case .attributes: try await AttributesCommand.run(global, json: json)
      case .mfa: try await MFACommand.run(global, json: json)
      case .devices: try await DevicesCommand.run(global, json: json)
      case .passkeys: try await PasskeysCommand.run(global, json: json)
      }
    }
  }

  /// The command line `arguments` (without the program's name), or `nil` when the argument
  /// parser must read it.
  static func parse(_ arguments: some Collection<String>) -> Invocation? {
    guard let name = arguments.first, let command = Invocation.Command(rawValue: name) else {
      return nil
    }
    var invocation = Invocation(command: command)
    var seen: [Substring] = []
    var rest = arguments.dropFirst()[...]
    while let token = rest.popFirst() {
      guard token.hasPrefix("--"), token.count > 2 else { return nil }
      let option: Substring
      let attached: String?
      if let equals = token.firstIndex(of: "=") {
        option = token[..<equals]
        attached = String(token[token.index(after: equals)...])
      } else {
        option = token[...]
        attached = nil
      }
      guard !seen.contains(option) else { return nil }
      seen.append(option)
      if let flag = flag(option) {
        guard attached == nil else { return nil }
        flag(&invocation)
        continue
      }
      let value: String
      if let attached {
        // The parser refuses `--option=` with nothing after it.
        guard !attached.isEmpty else { return nil }
        value = attached
      } else {
        guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
        value = next
      }
      guard set(option, value, in: &invocation.global) else { return nil }
    }
    return invocation
  }

  /// What a flag sets, or `nil` when `option` is not a flag these commands take.
  private static func flag(_ option: Substring) -> ((inout Invocation) -> Void)? {
    switch option {
    case "--json": { $0.json = true }
    case "--no-store": { $0.global.flags.noStore = true }
    case "--read-only": { $0.global.flags.readOnly = true }
    case "--no-color": { $0.global.flags.noColor = true }
    default: nil
    }
  }

  /// Sets the global option `option` to `value`; `false` when the option is not one of them, or
  /// the value one the parser refuses (its error is the one to show).
  private static func set(_ option: Substring, _ value: String, in global: inout GlobalValues)
    -> Bool
  {
    switch option {
    case "--profile": global.flags.profile = value
    case "--user-pool-id": global.flags.userPoolID = value
    case "--client-id": global.flags.clientID = value
    case "--client-secret-file": global.flags.clientSecretFile = value
    case "--region": global.flags.region = value
    case "--endpoint-url": global.flags.endpointURL = value
    case "--keyfile": global.flags.keyfile = value
    case "--passphrase-file": global.flags.passphraseFile = value
    case "--log-file": global.flags.logFile = value
    case "--timeout":
      // The parser's own conversion, so both read the same numbers.
      guard let seconds = Double(argument: value) else { return false }
      global.flags.timeoutSeconds = seconds
    #if DEBUG
      case "--insecure-kdf-log-n":
        guard let logN = UInt8(argument: value) else { return false }
        global.insecureKDFLogN = logN
    #endif
    default: return false
    }
    return true
  }
}

/// A parsed command that ``QuickCommandLine`` also reads: the invocation it stands for, which
/// its `run()` runs and `QuickCommandLineTests` compares with the quick reader's.
protocol QuickReadable {
  /// Which of the quick commands this is.
  static var quickCommand: QuickCommandLine.Invocation.Command { get }
  /// The global options.
  var global: GlobalOptions { get }
  /// `--json`.
  var json: Bool { get }
}

extension QuickReadable {
  /// The invocation this parsed command stands for.
  var quickInvocation: QuickCommandLine.Invocation {
    .init(command: Self.quickCommand, global: global.values, json: json)
  }
}

extension StatusCommand: QuickReadable {
  static let quickCommand = QuickCommandLine.Invocation.Command.status
}
extension AttributesCommand: QuickReadable {
  static let quickCommand = QuickCommandLine.Invocation.Command.attributes
}
extension MFACommand: QuickReadable {
  static let quickCommand = QuickCommandLine.Invocation.Command.mfa
}
extension DevicesCommand: QuickReadable {
  static let quickCommand = QuickCommandLine.Invocation.Command.devices
}
extension PasskeysCommand: QuickReadable {
  static let quickCommand = QuickCommandLine.Invocation.Command.passkeys
}
