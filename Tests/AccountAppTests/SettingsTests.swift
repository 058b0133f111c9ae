import AccountApp
import AccountCore
import CognitoClient
import Foundation
import Testing

/// A config directory holding `profile` as the default profile's settings.
private func configHome(_ profile: String) throws -> String {
  let root = NSTemporaryDirectory() + "settings-" + UUID().uuidString
  try FileManager.default.createDirectory(
    atPath: root + "/cognito-account", withIntermediateDirectories: true,
    attributes: [.posixPermissions: 0o700])
  _ = FileManager.default.createFile(
    atPath: root + "/cognito-account/config.toml",
    contents: Data(("[profiles.default]\n" + profile).utf8),
    attributes: [.posixPermissions: 0o600])
  return root
}

@Suite("Settings: flag > environment > profile > default, each with its source")
struct SettingsTests {
  @Test("each level wins over the ones below it, and says where it came from")
  func precedence() throws {
    let home = try configHome(
      """
      user_pool_id = "eu-west-1_Profile"
      endpoint_url = "http://127.0.0.1:7001/"
      region = "eu-west-1"
      """)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let base = ["XDG_CONFIG_HOME": home, "HOME": home]
    var flags = CommandLineSettings()

    var settings = try SettingsResolver.resolve(flags, environment: base)
    #expect(settings.userPoolID == Setting("eu-west-1_Profile", .profile))
    #expect(settings.endpointURL == Setting("http://127.0.0.1:7001/", .profile))
    #expect(settings.timeoutSeconds == Setting(30.0, .builtIn))

    let environment = base.merging([
      "COGNITO_ACCOUNT_USER_POOL_ID": "eu-west-1_Env", "AWS_ENDPOINT_URL": "http://127.0.0.1:7002/",
      "COGNITO_ACCOUNT_TIMEOUT_SECONDS": "12",
    ]) { $1 }
    settings = try SettingsResolver.resolve(flags, environment: environment)
    #expect(settings.userPoolID == Setting("eu-west-1_Env", .environment))
    #expect(settings.endpointURL == Setting("http://127.0.0.1:7002/", .environment))
    #expect(settings.timeoutSeconds == Setting(12.0, .environment))
    // The service-specific variable beats the global one.
    settings = try SettingsResolver.resolve(
      flags,
      environment: environment.merging([
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": "http://127.0.0.1:7003/"
      ]) { $1 })
    #expect(settings.endpointURL?.value == "http://127.0.0.1:7003/")

    flags.userPoolID = "eu-west-1_Flag"
    flags.endpointURL = "http://127.0.0.1:7004/"
    flags.timeoutSeconds = 5
    settings = try SettingsResolver.resolve(flags, environment: environment)
    #expect(settings.userPoolID == Setting("eu-west-1_Flag", .flag))
    #expect(settings.endpointURL == Setting("http://127.0.0.1:7004/", .flag))
    #expect(settings.timeoutSeconds == Setting(5.0, .flag))
    #expect(try settings.endpoint().url.absoluteString == "http://127.0.0.1:7004/")
  }

  @Test("the region: flag, AWS_REGION, AWS_DEFAULT_REGION, the profile, else the pool id")
  func region() throws {
    let home = try configHome(#"user_pool_id = "ap-south-1_Pool""#)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let base = ["XDG_CONFIG_HOME": home, "HOME": home]
    func region(_ flag: String?, _ extra: [String: String]) throws -> String {
      var flags = CommandLineSettings()
      flags.region = flag
      return try SettingsResolver.resolve(flags, environment: base.merging(extra) { $1 })
        .endpoint().region
    }
    let both = ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "eu-central-1"]
    #expect(try region("ca-central-1", both) == "ca-central-1")
    #expect(try region(nil, both) == "us-west-2")
    #expect(try region(nil, ["AWS_DEFAULT_REGION": "eu-central-1"]) == "eu-central-1")
    #expect(try region(nil, [:]) == "ap-south-1")
  }

  @Test("the keyfile: flag, COGNITO_ACCOUNT_KEYFILE, else XDG_STATE_HOME, else HOME")
  func keyfile() throws {
    let home = try configHome("")
    defer { try? FileManager.default.removeItem(atPath: home) }
    var flags = CommandLineSettings()
    let base = ["XDG_CONFIG_HOME": home, "HOME": "/home/u"]
    #expect(
      try SettingsResolver.resolve(flags, environment: base).keyfilePath
        == Setting("/home/u/.local/state/cognito-account/default.keyfile", .builtIn))
    let state = base.merging(["XDG_STATE_HOME": "/state"]) { $1 }
    #expect(
      try SettingsResolver.resolve(flags, environment: state).keyfilePath?.value
        == "/state/cognito-account/default.keyfile")
    let variable = state.merging(["COGNITO_ACCOUNT_KEYFILE": "/env.keyfile"]) { $1 }
    #expect(
      try SettingsResolver.resolve(flags, environment: variable).keyfilePath
        == Setting("/env.keyfile", .environment))
    flags.keyfile = "/flag.keyfile"
    #expect(
      try SettingsResolver.resolve(flags, environment: variable).keyfilePath
        == Setting("/flag.keyfile", .flag))
  }
}
