import AccountApp
import AccountCore
import AccountView
import Foundation
import HTTPStack
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs `runtime` on a thread of its own (its loop blocks, as on a real terminal) and returns
/// its exit code.
func runOnThread(_ runtime: ScreenRuntime) async -> Int32 {
  let box = UncheckedBox(runtime)
  return await withCheckedContinuation { continuation in
    Thread { continuation.resume(returning: box.value.run()) }.start()
  }
}

/// Carries a non-Sendable value to the one thread that uses it.
final class UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

@Suite("The screen runtime in-process (scripted terminal, scripted transport)")
struct ScreenRuntimeTests {
  static let fourAttributes = ScriptedTransport.json(
    #"{"Username":"zoe","UserAttributes":[{"Name":"email","Value":"z@example.com"},"#
      + #"{"Name":"given_name","Value":"Zoe"},{"Name":"custom:team","Value":"x"},"#
      + #"{"Name":"sub","Value":"s-1"}]}"#)
  static let withoutGivenName = ScriptedTransport.json(
    #"{"Username":"zoe","UserAttributes":[{"Name":"email","Value":"z@example.com"},"#
      + #"{"Name":"custom:team","Value":"x"},{"Name":"sub","Value":"s-1"}]}"#)

  @Test("mark, review, remove: one DeleteUserAttributes, a read-back, the report on screen")
  func removeFromTheScreen() async throws {
    let reads = CallCounter()
    let account = try FakeAccount(stored: FakeAccount.session(expiresAt: FakeAccount.now + 3000)) {
      request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "GetUser": reads.next() == 1 ? Self.fourAttributes : Self.withoutGivenName
      case "DeleteUserAttributes": ScriptedTransport.json("{}")
      default: ScriptedTransport.awsError("UnexpectedOperation")
      }
    }
    let terminal = ScriptedTerminal(
      size: TerminalSize(rows: 24, columns: 80),
      steps: [
        .init(waitFor: "4 attributes", then: [.key(.character("j")), .key(.character(" "))]),
        .init(waitFor: "1 marked", then: [.key(.character("d"))]),
        .init(waitFor: "Remove 1 attribute?", then: [.key(.character("y"))]),
        .init(waitFor: "Removed 1: given_name", then: [.key(.character("q"))]),
      ])
    let runtime = try ScreenRuntime(
      actions: account.actions, terminal: terminal,
      header: HeaderInfo(username: "zoe", context: "test", region: "us-east-1", readOnly: false),
      signedIn: true)
    let code = await runOnThread(runtime)
    #expect(code == 0)
    #expect(terminal.timedOut == nil, "waited in vain for \(terminal.timedOut ?? "")")
    #expect(terminal.closed)
    #expect(account.transport.operations == ["GetUser", "DeleteUserAttributes", "GetUser"])
    let delete = ScriptedTransport.body(account.transport.requests[1])
    #expect(delete["UserAttributeNames"] as? [String] == ["given_name"])
    #expect(!terminal.lastText.contains("given_name      Zoe"))
  }

  @Test("edit, save, verify, change the password: each one call through the actions")
  func editFromTheScreen() async throws {
    let reads = CallCounter()
    let account = try FakeAccount(stored: FakeAccount.session(expiresAt: FakeAccount.now + 3000)) {
      request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "GetUser":
        reads.next() == 1
          ? Self.fourAttributes
          : ScriptedTransport.json(
            #"{"Username":"zoe","UserAttributes":[{"Name":"email","Value":"z@example.com"},"#
              + #"{"Name":"given_name","Value":"Zoë"},{"Name":"sub","Value":"s-1"}]}"#)
      case "UpdateUserAttributes", "VerifyUserAttribute", "ChangePassword":
        ScriptedTransport.json("{}")
      default: ScriptedTransport.awsError("UnexpectedOperation")
      }
    }
    let typeText: (String) -> [TerminalInput] = { $0.map { .key(.character($0)) } }
    let terminal = ScriptedTerminal(
      size: TerminalSize(rows: 24, columns: 80),
      steps: [
        .init(waitFor: "4 attributes", then: [.key(.character("j")), .key(.character("e"))]),
        .init(waitFor: "Edit given_name", then: [.key(.end), .key(.backspace)] + typeText("ë")),
        .init(waitFor: "> Zoë", then: [.key(.enter), .key(.character("s"))]),
        .init(waitFor: "Save 1 change?", then: [.key(.character("y"))]),
        .init(
          waitFor: "Saved 1: given_name", then: [.key(.character("g")), .key(.character("v"))]),
        .init(waitFor: "Verify email", then: typeText("123456") + [.key(.enter)]),
        .init(
          waitFor: "email verified",
          then: [.key(.character("p"))] + typeText("old") + [.key(.enter)]),
        .init(waitFor: "New password:", then: typeText("N3w-pass!") + [.key(.enter)]),
        .init(waitFor: "New password, again:", then: typeText("N3w-pass!") + [.key(.enter)]),
        .init(waitFor: "Password changed", then: [.key(.character("q"))]),
      ])
    let runtime = try ScreenRuntime(
      actions: account.actions, terminal: terminal,
      header: HeaderInfo(username: "zoe", context: "test", region: "us-east-1", readOnly: false),
      signedIn: true)
    #expect(await runOnThread(runtime) == 0)
    #expect(terminal.timedOut == nil, "waited in vain for \(terminal.timedOut ?? "")")
    #expect(
      account.transport.operations == [
        "GetUser", "UpdateUserAttributes", "GetUser", "VerifyUserAttribute", "GetUser",
        "ChangePassword",
      ])
    let update = ScriptedTransport.body(account.transport.requests[1])
    #expect(
      update["UserAttributes"] as? [[String: String]] == [["Name": "given_name", "Value": "Zoë"]])
    let change = ScriptedTransport.body(account.transport.requests[5])
    #expect(change["PreviousPassword"] as? String == "old")
    #expect(change["ProposedPassword"] as? String == "N3w-pass!")
    #expect(!terminal.screens.contains { $0.rows.contains { $0.text.contains("N3w-pass!") } })
  }

  @Test("a signal ends the loop with 128 + the signal, and the terminal is let go")
  func signal() async throws {
    let account = try FakeAccount(stored: FakeAccount.session(expiresAt: FakeAccount.now + 3000)) {
      _ throws(TransportFailure) in Self.fourAttributes
    }
    let terminal = ScriptedTerminal(
      size: TerminalSize(rows: 24, columns: 80),
      steps: [.init(waitFor: "4 attributes", then: [.signal(SIGHUP)])])
    let runtime = try ScreenRuntime(
      actions: account.actions, terminal: terminal,
      header: HeaderInfo(username: "zoe", context: "test", region: "us-east-1", readOnly: false),
      signedIn: true)
    #expect(await runOnThread(runtime) == 128 + SIGHUP)
    #expect(terminal.closed)
  }
}
