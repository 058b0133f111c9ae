import ArgumentParser
import Foundation
import TestSupport
import Testing

@testable import cognito_account

/// `QuickCommandLine` against swift-argument-parser: every line the quick reader accepts must
/// parse to the same command and values with the parser, and the quick reader must know every
/// option the parser takes for its commands (else those lines would quietly take the slow path).
@Suite struct QuickCommandLineTests {
  /// Values that stress the reading of a value: empty, `=` inside, spaces, Unicode, and
  /// text that looks like an option or a command.
  static let values = [
    "p", "", "a=b", "two words", "é🙂", "-x", "--json", "attributes", "help", "=", "0", "1.5",
    "-5", "nan", "1e3", "abc", "300", "255", "256",
  ]

  /// Tokens other than the options: help, subcommands, terminators, typos.
  static let strays = [
    "-h", "--help", "help", "--version", "--", "-", "--jsn", "-json", "--json=true", "--json=",
    "enable", "forget", "delete", "KEY", "--generate-completion-script", "--experimental-dump-help",
  ]

  /// The options the parser takes for the quick commands: (name, takes a value).
  static let options: [(String, Bool)] = [
    ("--profile", true), ("--user-pool-id", true), ("--client-id", true),
    ("--client-secret-file", true), ("--region", true), ("--endpoint-url", true),
    ("--keyfile", true), ("--passphrase-file", true), ("--log-file", true), ("--timeout", true),
    ("--insecure-kdf-log-n", true), ("--json", false), ("--no-store", false),
    ("--read-only", false), ("--no-color", false),
  ]

  /// The parser's reading of `arguments` as the quick reader's invocation; `nil` when it
  /// refuses the line or reads a command the quick reader does not run.
  static func parsed(_ arguments: [String]) -> QuickCommandLine.Invocation? {
    guard let command = try? CognitoAccountCommand.parseAsRoot(arguments) else { return nil }
    return (command as? any QuickReadable)?.quickInvocation
  }

  /// Checks one line both ways; returns whether the quick reader took it.
  @discardableResult
  static func check(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation)
    -> Bool
  {
    guard let quick = QuickCommandLine.parse(arguments) else { return false }
    // Compared as text: a `--timeout nan` both read is not equal to itself as a Double.
    #expect(
      parsed(arguments).map { String(reflecting: $0) } == String(reflecting: quick),
      "quick reader and parser differ on \(arguments)", sourceLocation: sourceLocation)
    return true
  }

  @Test func linesScriptsRunAreReadQuicklyAndAsTheParserReadsThem() {
    let lines: [[String]] = [
      ["attributes"], ["attributes", "--json"], ["status"], ["status", "--json"], ["mfa"],
      ["mfa", "--json"], ["devices", "--json"], ["passkeys", "--json"],
      ["attributes", "--json", "--profile", "work", "--timeout", "5"],
      ["attributes", "--profile=work", "--read-only", "--no-store", "--no-color"],
      ["status", "--keyfile", "/tmp/k", "--passphrase-file", "/tmp/p", "--log-file", "/tmp/l"],
      [
        "devices", "--user-pool-id", "eu-west-1_AbC123", "--client-id", "abc", "--region",
        "eu-west-1", "--endpoint-url", "http://127.0.0.1:9/", "--client-secret-file", "/tmp/s",
      ],
      ["passkeys", "--insecure-kdf-log-n", "10", "--json"],
    ]
    for line in lines {
      #expect(Self.check(line), "not read quickly: \(line)")
    }
  }

  @Test func everyOptionOfTheQuickCommandsIsKnown() throws {
    // The parser's own account of each command's options (its --experimental-dump-help), so
    // an option added to a command without teaching the quick reader fails here.
    for command in QuickCommandLine.Invocation.Command.allCases {
      let dump = try runChild(
        CLIWorld.binary, [command.rawValue, "--experimental-dump-help"], input: "",
        environment: [:], scratch: NSTemporaryDirectory())
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
      let arguments = try #require(
        (document["command"] as? [String: Any])?["arguments"] as? [[String: Any]])
      var names: Set<String> = []
      for argument in arguments {
        let kind = argument["kind"] as? String
        #expect(kind != "positional", "\(command) takes a positional argument now")
        for name in argument["names"] as? [[String: String]] ?? [] where name["kind"] == "long" {
          let option = "--" + (name["name"] ?? "")
          if option == "--help" || option == "--version" { continue }
          names.insert(option)
          let line = [command.rawValue, option] + (kind == "option" ? ["7"] : [])
          #expect(Self.check(line), "the quick reader does not know \(line)")
        }
      }
      #expect(names == Set(Self.options.map(\.0)), "the options of \(command) changed")
    }
  }

  @Test func strayTokensAreLeftToTheParser() {
    for command in QuickCommandLine.Invocation.Command.allCases {
      for stray in Self.strays {
        #expect(QuickCommandLine.parse([command.rawValue, stray]) == nil, "\(command) \(stray)")
        #expect(
          QuickCommandLine.parse([command.rawValue, "--json", stray]) == nil,
          "\(command) --json \(stray)")
      }
      #expect(QuickCommandLine.parse(["--json", command.rawValue]) == nil)
      #expect(QuickCommandLine.parse([command.rawValue, "--json", "--json"]) == nil)
      #expect(QuickCommandLine.parse([command.rawValue, "--profile"]) == nil)
    }
    #expect(QuickCommandLine.parse([]) == nil)
    #expect(QuickCommandLine.parse(["login"]) == nil)
  }

  @Test func randomLinesReadAlikeBothWays() {
    // Seeded, so a failure repeats; 1,000 lines of options, values and strays in every order.
    var generator = SeededGenerator(state: 0x51_7C_C1_B7_27_22_0A_95)
    var quick = 0
    let commands = QuickCommandLine.Invocation.Command.allCases.map(\.rawValue) + ["admin"]
    for _ in 0..<1_000 {
      var line = [commands.randomElement(using: &generator)!]
      for _ in 0..<Int.random(in: 0...4, using: &generator) {
        let (option, takesValue) = Self.options.randomElement(using: &generator)!
        let value = Self.values.randomElement(using: &generator)!
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: line.append(Self.strays.randomElement(using: &generator)!)
        case 1: line.append(option + "=" + value)
        case 2: line.append(value)
        default: line += takesValue ? [option, value] : [option]
        }
      }
      if Self.check(line) { quick += 1 }
    }
    // Enough lines read quickly for the comparison to mean something.
    #expect(quick > 200, "only \(quick) of 1,000 lines read quickly")
  }
}
