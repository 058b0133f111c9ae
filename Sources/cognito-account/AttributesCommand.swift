import AccountApp
import AccountCore
import AccountView
import ArgumentParser
import CognitoClient

/// `cognito-account attributes`.
struct AttributesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attributes",
    abstract: "List your attributes.",
    discussion: HelpText.firstRun + """
      --json prints the document 'aws cognito-idp get-user' prints (Username, UserAttributes, \
      and the MFA members when Cognito sends them). The table escapes control characters in \
      values, so nothing a value holds can drive your terminal.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Print JSON, as 'aws cognito-idp get-user' does.")
  var json = false

  func run() async throws { try await quickInvocation.run() }

  /// The command's body, whether the argument parser read the arguments or
  /// ``QuickCommandLine`` did.
  static func run(_ global: GlobalValues, json: Bool) async throws {
    try await runReporting("attributes", global) { context throws(AccountError) -> Int32 in
      let user = try await context.actions.load()
      if json {
        printOut(Self.getUserJSON(user).rendered())
      } else {
        for line in AttributeTable.render(user.userAttributes.map { ($0.name, $0.value) }) {
          printOut(line)
        }
      }
      return StatusLine.ExitCode.success
    }
  }

  /// The GetUser document in the AWS CLI's member order.
  static func getUserJSON(_ user: GetUserResponse) -> JSONText {
    var members: [(String, JSONText)] = [
      ("Username", .string(user.username)),
      (
        "UserAttributes",
        .array(
          user.userAttributes.map { attribute in
            .object(
              [("Name", .string(attribute.name))]
                + (attribute.value.map { [("Value", JSONText.string($0))] } ?? []))
          })
      ),
    ]
    if let options = user.mfaOptions { members.append(("MFAOptions", mfaOptionsJSON(options))) }
    if let preferred = user.preferredMfaSetting {
      members.append(("PreferredMfaSetting", .string(preferred)))
    }
    if let list = user.userMFASettingList {
      members.append(("UserMFASettingList", .array(list.map { .string($0) })))
    }
    return .object(members)
  }
}

/// `MFAOptions` as the AWS CLI prints them.
func mfaOptionsJSON(_ options: [MFAOptionType]) -> JSONText {
  .array(
    options.map { option in
      .object(
        (option.deliveryMedium.map { [("DeliveryMedium", JSONText.string($0))] } ?? [])
          + (option.attributeName.map { [("AttributeName", JSONText.string($0))] } ?? []))
    })
}
