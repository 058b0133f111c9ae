import AccountCore
import FoundationEssentials

/// One of the AWS shared files (`~/.aws/credentials`, `~/.aws/config`) read as the AWS CLI reads
/// them: `[section]` headers, `name = value` lines, `#` and `;` comment lines, indented lines
/// continuing the previous value (nested settings such as `s3 =` are kept as text). Names are
/// case-insensitive; values are trimmed. Anything else is an error naming the file and line.
public struct SharedConfigFile: Sendable, Equatable {
  /// Section name → settings, in the file's spelling of section names (`profile staff`).
  public private(set) var sections: [String: [String: String]] = [:]
  /// The path the text came from, for messages.
  public let path: String

  /// Parses `text`.
  public init(text: String, path: String) throws(CredentialError) {
    self.path = path
    var section: String?
    var lastKey: String?
    for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let number = offset + 1
      var line = Substring(rawLine)
      if line.hasSuffix("\r") { line = line.dropLast() }
      let trimmed = line.trimmedWhitespace()
      if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
      if line.first == " " || line.first == "\t" {
        // A continuation of the previous value (nested settings).
        guard let section, let lastKey else {
          throw .invalidFile(path: path, line: number, reason: "an indented line outside a setting")
        }
        let previous = sections[section]?[lastKey] ?? ""
        sections[section]?[lastKey] = previous + "\n" + trimmed
        continue
      }
      if trimmed.hasPrefix("[") {
        guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
          throw .invalidFile(path: path, line: number, reason: "a section header without its ]")
        }
        let name = String(trimmed.dropFirst().dropLast()).trimmedWhitespace()
        section = name
        lastKey = nil
        if sections[name] == nil { sections[name] = [:] }
        continue
      }
      guard let equals = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
        throw .invalidFile(
          path: path, line: number, reason: "neither a [section] nor a `name = value` line")
      }
      guard let section else {
        throw .invalidFile(path: path, line: number, reason: "a setting before any [section]")
      }
      let key = trimmed[..<equals].trimmedWhitespace().lowercased()
      guard !key.isEmpty else {
        throw .invalidFile(path: path, line: number, reason: "a setting without a name")
      }
      sections[section]?[key] = trimmed[trimmed.index(after: equals)...].trimmedWhitespace()
      lastKey = key
    }
  }

  /// Reads the file at `path`. A missing file is an empty one, as is one the process cannot
  /// even see (a directory on the way it may not search, a symbolic-link loop), as the AWS CLI
  /// takes them. One that is there but cannot be read (a directory, no permission, a named pipe
  /// in its place) or is over 1 MiB is an error, with the reason.
  public static func load(path: String) throws(CredentialError) -> SharedConfigFile {
    var bytes: [UInt8]?
    do {
      bytes = try FileBytes.read(path, limit: 1 << 20)
    } catch .tooLarge {
      throw .invalidFile(path: path, line: 0, reason: "far larger than an AWS config file")
    } catch {
      guard FileBytes.exists(path) else { return try SharedConfigFile(text: "", path: path) }
      throw .invalidFile(path: path, line: 0, reason: "cannot be read: \(error.reason)")
    }
    // Secret keys pass through these bytes: zeroed once the text is made.
    defer { bytes?.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
    guard let bytes else { return try SharedConfigFile(text: "", path: path) }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .invalidFile(path: path, line: 0, reason: "not UTF-8 text")
    }
    return try SharedConfigFile(text: text, path: path)
  }
}

/// The two shared files together, and the profiles and SSO sessions in them.
public struct SharedConfig: Sendable {
  /// `~/.aws/credentials` or `AWS_SHARED_CREDENTIALS_FILE`.
  public var credentials: SharedConfigFile
  /// `~/.aws/config` or `AWS_CONFIG_FILE`.
  public var config: SharedConfigFile

  /// Both files as they are.
  public init(credentials: SharedConfigFile, config: SharedConfigFile) {
    self.credentials = credentials
    self.config = config
  }

  /// The files the environment names (or the defaults under `home`).
  public static func load(environment: [String: String], home: String) throws(CredentialError)
    -> SharedConfig
  {
    let credentialsPath =
      environment["AWS_SHARED_CREDENTIALS_FILE"].map { expandHome($0, home) }
      ?? home + "/.aws/credentials"
    let configPath =
      environment["AWS_CONFIG_FILE"].map { expandHome($0, home) } ?? home + "/.aws/config"
    return SharedConfig(
      credentials: try .load(path: credentialsPath), config: try .load(path: configPath))
  }

  /// A profile's settings: its `[profile NAME]` (or `[default]`) section of the config file,
  /// overlaid with its `[NAME]` section of the credentials file, as the AWS CLI merges them.
  /// Nil when neither file has it.
  public func profile(_ name: String) -> [String: String]? {
    let fromConfig =
      config.sections["profile \(name)"] ?? (name == "default" ? config.sections["default"] : nil)
    let fromCredentials = credentials.sections[name]
    guard fromConfig != nil || fromCredentials != nil else { return nil }
    return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credential in credential }
  }

  /// Which file holds a profile's access key (for naming the source).
  public func fileHoldingKeys(of name: String) -> String {
    credentials.sections[name]?["aws_access_key_id"] != nil ? credentials.path : config.path
  }

  /// An `[sso-session NAME]` section of the config file.
  public func ssoSession(_ name: String) -> [String: String]? {
    config.sections["sso-session \(name)"]
  }

  static func expandHome(_ path: String, _ home: String) -> String {
    path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst() : path
  }
}
