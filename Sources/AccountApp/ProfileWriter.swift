public import AccountCore
import FoundationEssentials
import Glibc

/// Writes one profile into the config file, keeping the rest of the file as it was: other
/// profiles, comments and blank lines stay byte for byte. A new profile is appended; an existing
/// one is replaced (its own lines only) when the caller says so. The result is parsed before it
/// is written, and written whole (a temporary file renamed over it), mode 0600 in a 0700
/// directory.
public struct ProfileWriter: Sendable {
  /// The profile's settings, in the order written.
  public var settings: [(key: String, value: ProfileValue)]
  /// The profile's name.
  public var name: String

  /// A value in a profile.
  public enum ProfileValue: Sendable, Hashable {
    /// A string.
    case string(String)
    /// A boolean.
    case bool(Bool)
  }

  /// A profile named `name` with `settings`.
  public init(name: String, settings: [(key: String, value: ProfileValue)]) {
    self.name = name
    self.settings = settings
  }

  /// Profile `name` holding `draft` (the region only when it is not the pool id's, the flow only
  /// when it is not SRP), plus `endpointURL` when one is given.
  public init(name: String, draft: ProfileDraft, endpointURL: String? = nil) {
    var settings: [(key: String, value: ProfileValue)] = [
      ("user_pool_id", .string(draft.userPoolID)), ("client_id", .string(draft.clientID)),
    ]
    if let region = draft.effectiveRegion,
      region != SetupRules.region(ofUserPool: draft.userPoolID)
    {
      settings.append(("region", .string(region)))
    }
    if !draft.clientSecretFile.isEmpty {
      settings.append(("client_secret_file", .string(draft.clientSecretFile)))
    }
    if draft.passwordFlow { settings.append(("auth_flow", .string("USER_PASSWORD_AUTH"))) }
    if let endpointURL { settings.append(("endpoint_url", .string(endpointURL))) }
    if draft.readOnly { settings.append(("read_only", .bool(true))) }
    self.init(name: name, settings: settings)
  }

  /// Whether `name` may name a profile: letters, digits, `-` and `_`.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 64
      && name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
          || $0 == "-" || $0 == "_"
      }
  }

  /// Whether the file at `path` already has this profile.
  public func exists(in path: String) throws(AccountError) -> Bool {
    try ConfigFile.load(path: path).profile(named: name) != nil
  }

  /// The profile as TOML lines.
  var block: String {
    var lines = ["[profiles.\(name)]"]
    for (key, value) in settings {
      switch value {
      case .string(let text): lines.append("\(key) = \(Self.quote(text))")
      case .bool(let flag): lines.append("\(key) = \(flag)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `text` with this profile appended, or put in place of the existing one.
  func merged(into text: String?) -> String {
    guard let text, !text.isEmpty else {
      // A new file: a profile other than "default" becomes the default one.
      return (name == "default" ? "" : "default_profile = \(Self.quote(name))\n\n") + block
    }
    var lines = text.components(separatedBy: "\n")
    if let start = lines.firstIndex(where: { Self.isHeader($0, of: name) }) {
      var end = start + 1
      while end < lines.count && !Self.isAnyHeader(lines[end]) { end += 1 }
      // Keep the blank lines and comments that lead into the next table.
      while end - 1 > start
        && (lines[end - 1].trimmedWhitespace().isEmpty
          || lines[end - 1].trimmedWhitespace().hasPrefix("#"))
      {
        end -= 1
      }
      lines.replaceSubrange(start..<end, with: block.split(separator: "\n").map(String.init))
      return lines.joined(separator: "\n")
    }
    return text + (text.hasSuffix("\n") ? "\n" : "\n\n") + block
  }

  /// Writes the profile into the file at `path` (created if missing). A file that is there but
  /// cannot be read, or is not UTF-8, is left as it is: nothing is written.
  public func write(to path: String) throws(AccountError) {
    let bytes: [UInt8]?
    do {
      bytes = try FileBytes.read(path, limit: ConfigFile.maximumBytes)
    } catch {
      throw .configuration(
        message: "cannot read the config file \(path): \(error.reason); nothing was written")
    }
    var existing: String?
    if let bytes {
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw .configuration(message: "\(path) is not UTF-8 text; nothing was written")
      }
      existing = text
    }
    let text = merged(into: existing)
    let parsed = try ConfigFile.parse(text, path: path)
    guard parsed.profile(named: name) != nil else {
      throw .configuration(message: "the profile could not be placed in \(path)")
    }
    let directory = PathText.parent(path)
    do {
      if !FileManager.default.fileExists(atPath: directory) {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true,
          attributes: [.posixPermissions: 0o700])
      }
      let temporary = directory + "/.config.toml." + UUID().uuidString
      guard
        FileManager.default.createFile(
          atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
      else { throw CocoaError(.fileWriteUnknown) }
      if rename(temporary, path) != 0 {
        unlink(temporary)
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      }
    } catch {
      throw .configuration(message: "cannot write \(path): \(error)")
    }
  }

  /// A TOML basic string.
  static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case _ where scalar.value < 0x20 || scalar.value == 0x7f:
        result += "\\u" + PlainFormat.hex(scalar.value, width: 4, uppercase: true)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  static func isAnyHeader(_ line: String) -> Bool {
    line.trimmedWhitespace().hasPrefix("[")
  }

  static func isHeader(_ line: String, of name: String) -> Bool {
    let compact = line.filter { !$0.isWhitespace }
    let comment = compact.firstIndex(of: "#").map { String(compact[..<$0]) } ?? compact
    return comment == "[profiles.\(name)]" || comment == "[profiles.\"\(name)\"]"
  }
}
