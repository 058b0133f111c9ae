/// The credentials of a device Cognito tracks for this user ("remember this device"): the
/// device key and group key Cognito gave at sign-in (`NewDeviceMetadata`) and the random
/// device password whose SRP verifier was sent with `ConfirmDevice`. Kept only in the keyfile.
public struct DeviceCredentials: Sendable, Hashable, Codable {
  /// `DeviceKey`, `<region>_<uuid>`.
  public var key: String
  /// `DeviceGroupKey`.
  public var groupKey: String
  /// The device password (40 random bytes, Base64): what proves the device at sign-in. Empty
  /// for a device Cognito named but this program did not register (nowhere to keep it, or
  /// read-only): its key still goes with every refresh, which Cognito requires.
  public var password: Sensitive
  /// The name typed at the sign-in that registered it (an alias such as the email address,
  /// when the pool allows one), so that a sign-in with the same name finds it.
  public var signInName: String?

  /// Creates device credentials.
  public init(key: String, groupKey: String, password: Sensitive, signInName: String? = nil) {
    self.key = key
    self.groupKey = groupKey
    self.password = password
    self.signInName = signInName
  }

  /// A device Cognito named that is not registered: only its key (for refreshes).
  public static func unregistered(key: String, groupKey: String) -> DeviceCredentials {
    DeviceCredentials(key: key, groupKey: groupKey, password: "")
  }

  /// Whether the device was registered (`ConfirmDevice`) and can prove itself at sign-in.
  public var isRegistered: Bool { !password.isEmpty }
}

/// One device in the user's list (`ListDevices`).
public struct Device: Sendable, Hashable {
  /// The device key (what `devices forget` takes).
  public var key: String
  /// The name given at confirmation (`device_name`), often empty.
  public var name: String
  /// The last IP address it signed in from (`last_ip_used`), if Cognito says.
  public var lastIP: String?
  /// Whether it is remembered (`dev:device_remembered_status`); nil when Cognito does not say.
  public var remembered: Bool?
  /// The last sign-in, seconds since 1970.
  public var lastSignIn: Double?
  /// When it was first seen, seconds since 1970.
  public var created: Double?
  /// When Cognito last changed it, seconds since 1970.
  public var modified: Double?
  /// Whether this is the device this program signs in as.
  public var isThisDevice: Bool
  /// Every attribute as Cognito sent it, in its order (for `--json`).
  public var attributes: [Attribute]

  /// A device from `ListDevices`' attribute list and dates; `thisDevice` is the key this
  /// program signs in as, if any.
  public init(
    key: String, attributes: [Attribute], lastSignIn: Double?, created: Double?,
    modified: Double?, thisDevice: String?
  ) {
    func value(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
    self.key = key
    self.name = value("device_name") ?? ""
    self.lastIP = value("last_ip_used")
    self.remembered = value("dev:device_remembered_status").map { $0 == "remembered" }
    self.lastSignIn = lastSignIn
    self.created = created
    self.modified = modified
    self.isThisDevice = key == thisDevice
    self.attributes = attributes
  }

  /// The name as shown (escaped), "(no name)" when it has none.
  public var displayName: String { name.isEmpty ? "(no name)" : TerminalText.escape(name) }

  /// "remembered", "not remembered" or "unknown".
  public var rememberedLabel: String {
    switch remembered {
    case true?: "remembered"
    case false?: "not remembered"
    case nil: "unknown"
    }
  }
}

extension DeviceCredentials: JSONReadable, JSONWritable {
  /// Reads device credentials as the keyfile holds them (property names as member names).
  public init(json: JSONValue, at name: String) throws(JSONError) {
    key = try json.required("key", in: name)
    groupKey = try json.required("groupKey", in: name)
    password = try json.required("password", in: name)
    signInName = try json.optional("signInName", in: name)
  }

  /// The credentials as the keyfile holds them, members sorted by name.
  public var json: JSONValue {
    var members: [JSONMember] = []
    members.append("groupKey", groupKey)
    members.append("key", key)
    members.append("password", password)
    members.append("signInName", signInName)
    return .object(members)
  }
}
