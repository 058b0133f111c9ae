import AccountApp
import AccountCore
import ArgumentParser
import FoundationEssentials

/// `cognito-account devices`: the devices Cognito tracks for you; forget one, remember one or
/// stop remembering it.
struct DevicesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "devices",
    abstract: "List the devices Cognito tracks for you (ListDevices); forget or remember one.",
    discussion: HelpText.firstRun + """
      A remembered device can skip MFA when you sign in from it (where the pool allows). This \
      one is registered at 'login' when the pool tracks devices, and marked "this device". \
      'logout' forgets this device too: its password is kept only in the keyfile.
      """,
    subcommands: [
      DevicesForgetCommand.self, DevicesRememberCommand.self, DevicesForgetRememberedCommand.self,
    ])

  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print JSON (as 'aws cognito-idp list-devices' does).") var json = false

  func run() async throws { try await quickInvocation.run() }

  /// The command's body, whether the argument parser read the arguments or
  /// ``QuickCommandLine`` did.
  static func run(_ global: GlobalValues, json: Bool) async throws {
    try await runReporting("devices", global) { context throws(AccountError) -> Int32 in
      let devices = try await context.actions.devices()
      if json {
        printOut(Self.json(devices).rendered())
      } else if devices.isEmpty {
        printOut("No devices: this pool does not track devices, or none was registered yet.")
      } else {
        for line in Self.lines(devices) { printOut(line) }
      }
      return StatusLine.ExitCode.success
    }
  }

  /// One line per device: name, remembered or not, last sign-in and IP, key.
  static func lines(_ devices: [Device]) -> [String] {
    devices.map { device in
      let name = device.displayName
      let last = device.lastSignIn.map { PlainFormat.iso8601(epochSeconds: Int($0)) } ?? "never"
      let ip = device.lastIP.map { " from " + TerminalText.escape($0) } ?? ""
      return name + (device.isThisDevice ? " (this device)" : "") + "  "
        + device.rememberedLabel + "  last sign-in " + last + ip + "  key "
        + TerminalText.escape(device.key)
    }
  }

  /// `{"Devices": [...]}` in Cognito's shape.
  static func json(_ devices: [Device]) -> JSONText {
    .object([
      (
        "Devices",
        .array(
          devices.map { device in
            var members: [(String, JSONText)] = [
              ("DeviceKey", .string(device.key)),
              (
                "DeviceAttributes",
                .array(
                  device.attributes.map {
                    .object([("Name", .string($0.name)), ("Value", .string($0.value))])
                  })
              ),
            ]
            if let created = device.created {
              members.append(("DeviceCreateDate", .decimal(created)))
            }
            if let modified = device.modified {
              members.append(("DeviceLastModifiedDate", .decimal(modified)))
            }
            if let last = device.lastSignIn {
              members.append(("DeviceLastAuthenticatedDate", .decimal(last)))
            }
            return .object(members)
          })
      )
    ])
  }
}

/// Finds `key` among the user's devices, or says how to see them.
private func device(_ key: String, in context: Context) async throws(AccountError) -> Device {
  guard let device = try await context.actions.devices().first(where: { $0.key == key }) else {
    throw .invalidInput(message: "no device with key \(TerminalText.escape(key)); see 'devices'")
  }
  return device
}

/// `devices forget KEY`.
struct DevicesForgetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget",
    abstract: "Forget a device (ForgetDevice, after confirmation): it signs in as new again.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The device key, as 'devices' lists it.") var key: String
  @Flag(help: "Confirm in advance (needed without a terminal).") var yes = false

  func run() async throws {
    try await runReporting("devices forget", global.values) {
      context throws(AccountError) -> Int32 in
      if context.settings.readOnly.value { throw .readOnly(action: "devices forget") }
      let found = try await device(key, in: context)
      let name = found.displayName
      if !yes {
        try Review.confirm(
          [
            "This device will be forgotten: \(name)\(found.isThisDevice ? " (this device)" : "")"
              + " — \(found.rememberedLabel)",
            "Signing in from it again counts as a new device (MFA is asked where the pool "
              + "requires it)."
              + (found.isThisDevice
                ? " It is this device: Cognito may also end the session here." : ""),
          ], typedWord: nil, prompt: "Forget it? [y/N] ", action: "forget a device",
          nothing: "forgotten")
      }
      try await context.actions.forgetDevice(found.key)
      printOut("forgotten: \(name)")
      return StatusLine.ExitCode.success
    }
  }
}

/// `devices remember KEY`.
struct DevicesRememberCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remember",
    abstract: "Remember a device (UpdateDeviceStatus): sign-ins from it may skip MFA.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The device key, as 'devices' lists it.") var key: String

  func run() async throws {
    try await runStatusChange("devices remember", key, remembered: true, global: global)
  }
}

/// `devices forget-remembered KEY`.
struct DevicesForgetRememberedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget-remembered",
    abstract: "Stop remembering a device (UpdateDeviceStatus); it stays in the list.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The device key, as 'devices' lists it.") var key: String

  func run() async throws {
    try await runStatusChange("devices forget-remembered", key, remembered: false, global: global)
  }
}

private func runStatusChange(
  _ command: String, _ key: String, remembered: Bool, global: GlobalOptions
) async throws {
  try await runReporting(command, global.values) { context throws(AccountError) -> Int32 in
    if context.settings.readOnly.value { throw .readOnly(action: command) }
    let found = try await device(key, in: context)
    try await context.actions.setDeviceRemembered(found.key, remembered)
    printOut("\(found.displayName): \(remembered ? "remembered" : "not remembered")")
    return StatusLine.ExitCode.success
  }
}
