import AccountApp
import AccountCore
import HTTPStack
import Keyfile
import TestSupport
import Testing

@Suite("Profile actions in-process (scripted transport)")
struct ProfileActionsTests {
  private static let live = FakeAccount.session(expiresAt: FakeAccount.now + 3000)

  @Test("MFA state from GetUser where GetUserAuthFactors is not answered (UnknownOperation)")
  func mfaStateFallback() async throws {
    let account = try FakeAccount(stored: Self.live) { request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "GetUserAuthFactors":
        return ScriptedTransport.awsError("UnknownOperationException", "", status: 400)
      case "GetUser":
        return ScriptedTransport.json(
          #"{"Username":"zoe","UserAttributes":[],"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA","UserMFASettingList":["SOFTWARE_TOKEN_MFA","SMS_MFA"]}"#
        )
      default: return ScriptedTransport.awsError("UnexpectedOperation")
      }
    }
    let state = try await account.actions.mfaState()
    #expect(state.preferred == .totp && state.enabled == [.totp, .sms] && state.factors.isEmpty)
    #expect(account.transport.operations == ["GetUserAuthFactors", "GetUser"])
  }

  @Test("ChangePassword refused while GetUser accepts the token: a wrong password, sent once")
  func wrongCurrentPassword() async throws {
    let account = try FakeAccount(stored: Self.live) { request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "ChangePassword":
        return ScriptedTransport.awsError(
          "NotAuthorizedException", "Incorrect username or password.")
      case "GetUser": return FakeAccount.user
      default: return ScriptedTransport.awsError("UnexpectedOperation")
      }
    }
    do {
      try await account.actions.changePassword(current: "wrong", new: "N3w-Passw0rd!")
      Issue.record("expected a refusal")
    } catch {
      guard case .service(let problem) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(problem.kind == .wrongCurrentPassword && problem.code == "NotAuthorizedException")
    }
    #expect(account.transport.operations == ["ChangePassword", "GetUser"], "no refresh, no retry")
  }

  @Test("the probe failing for another reason leaves the refusal standing: no refresh, no retry")
  func probeFails() async throws {
    let account = try FakeAccount(stored: Self.live) { request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "ChangePassword":
        return ScriptedTransport.awsError(
          "NotAuthorizedException", "Incorrect username or password.")
      default: return ScriptedTransport.awsError("InternalErrorException", "", status: 500)
      }
    }
    await #expect(throws: AccountError.self) {
      try await account.actions.changePassword(current: "wrong", new: "N3w-Passw0rd!")
    }
    let operations = account.transport.operations
    #expect(operations.filter { $0 == "ChangePassword" }.count == 1, "\(operations)")
    #expect(!operations.contains("InitiateAuth"))
  }

  @Test("'Password attempts exceeded' is the attempt limit, with Cognito's words kept")
  func attemptsExceeded() async throws {
    let account = try FakeAccount(stored: Self.live) { request throws(TransportFailure) in
      ScriptedTransport.operation(request) == "ChangePassword"
        ? ScriptedTransport.awsError("NotAuthorizedException", "Password attempts exceeded")
        : FakeAccount.user
    }
    do {
      try await account.actions.changePassword(current: "Old-Passw0rd!", new: "N3w-Passw0rd!")
      Issue.record("expected a refusal")
    } catch {
      let line = StatusLine(error: error).text
      #expect(
        line.contains("Too many attempts") && line.contains("Password attempts exceeded"), "\(line)"
      )
    }
  }

  @Test("ChangePassword refused with a stale token: refresh, then one retry with the new token")
  func staleToken() async throws {
    let calls = CallCounter()
    let account = try FakeAccount(stored: Self.live) { request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "ChangePassword" where calls.next() == 1:
        return ScriptedTransport.awsError("NotAuthorizedException", "Access Token has been revoked")
      case "ChangePassword": return ScriptedTransport.json("{}")
      case "GetUser":
        return ScriptedTransport.awsError("NotAuthorizedException", "Access Token has been revoked")
      case "InitiateAuth": return FakeAccount.tokens(access: "access-2")
      default: return ScriptedTransport.awsError("UnexpectedOperation")
      }
    }
    try await account.actions.changePassword(current: "old", new: "N3w-Passw0rd!")
    #expect(
      account.transport.operations == [
        "ChangePassword", "GetUser", "InitiateAuth", "ChangePassword",
      ])
    let body = ScriptedTransport.body(account.transport.requests[3])
    #expect(body["PreviousPassword"] as? String == "old")
    #expect(body["AccessToken"] as? String == account.store.session?.accessToken.reveal)
  }

  @Test("verify: a wrong code is the verification's own line; nothing is retried")
  func verifyMismatch() async throws {
    let account = try FakeAccount(stored: Self.live) { request throws(TransportFailure) in
      ScriptedTransport.operation(request) == "VerifyUserAttribute"
        ? ScriptedTransport.awsError("CodeMismatchException", "Invalid code")
        : FakeAccount.user
    }
    do {
      _ = try await account.actions.verify("email", code: " 123 456 ")
      Issue.record("expected a refusal")
    } catch {
      #expect(StatusLine(error: error).text.contains("ask for a new code"))
    }
    #expect(account.transport.operations == ["VerifyUserAttribute"])
    #expect(ScriptedTransport.body(account.transport.requests[0])["Code"] as? String == "123456")
  }

  @Test("applyEdit: one UpdateUserAttributes with every change, then GetUser for the report")
  func applyEdit() async throws {
    let account = try FakeAccount(stored: Self.live) { request throws(TransportFailure) in
      switch ScriptedTransport.operation(request) {
      case "UpdateUserAttributes":
        return ScriptedTransport.json(
          #"{"CodeDeliveryDetailsList":[{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"z***@e***"}]}"#
        )
      default:
        return ScriptedTransport.json(
          #"{"Username":"zoe","UserAttributes":[{"Name":"given_name","Value":"Zoë"},{"Name":"email","Value":"old@example.com"}]}"#
        )
      }
    }
    let plan = try await account.actions.planEdit([
      ("given_name", "Zoë"), ("email", "z@example.org"), ("nickname", "z"),
    ])
    #expect(plan.unchanged == ["given_name"])
    let report = try await account.actions.applyEdit(plan)
    #expect(account.transport.operations == ["GetUser", "UpdateUserAttributes", "GetUser"])
    let sent =
      ScriptedTransport.body(account.transport.requests[1])["UserAttributes"] as? [[String: String]]
    #expect(
      sent == [["Name": "email", "Value": "z@example.org"], ["Name": "nickname", "Value": "z"]])
    #expect(report.outcomes.map(\.outcome) == [.awaitingVerification, .failed, .unchanged])
  }
}
