import Foundation
import TestSupport
import Testing

@Suite("MFA choice on the command line: the screen's rule")
struct MFAChoiceCLITests {
  private let choose =
    #"{"ChallengeName":"SELECT_MFA_TYPE","Session":"s1","ChallengeParameters":{"#
    + #""USERNAME":"zoe","MFAS_CAN_CHOOSE":"[\"SMS_MFA\",\"EMAIL_OTP\"]"}}"#

  @Test("a plain name from standard input picks that method")
  func byName() throws {
    let home = try ScriptedHome(
      [.json(choose), .awsError(status: 400, type: "NotAuthorizedException", message: "stop")],
      storedUser: nil)
    try home.writeProfile(#"auth_flow = "USER_PASSWORD_AUTH""#)
    let login = try home.run(
      ["login", "--username", "zoe", "--password-stdin", "--no-store"], input: "pw\nemail\n")
    #expect(login.status != 0, "\(login.all)")
    let answer = try #require(home.server.requests.last)
    #expect(answer.operation == "RespondToAuthChallenge")
    #expect(String(decoding: answer.body, as: UTF8.self).contains(#""ANSWER":"EMAIL_OTP""#))
  }

  @Test("a choice that picks no offered method is refused before anything is sent")
  func refused() throws {
    let home = try ScriptedHome([.json(choose), .json(choose)], storedUser: nil)
    try home.writeProfile(#"auth_flow = "USER_PASSWORD_AUTH""#)
    for typed in ["3", "SOFTWARE_TOKEN_MFA"] {
      let login = try home.run(
        ["login", "--username", "zoe", "--password-stdin", "--no-store"], input: "pw\n\(typed)\n")
      #expect(login.status == 3, "\(login.all)")
      #expect(login.stderr.contains("no such MFA method: give 1–2 or one of SMS, email"))
    }
    #expect(home.server.count(of: "RespondToAuthChallenge") == 0)
  }
}
