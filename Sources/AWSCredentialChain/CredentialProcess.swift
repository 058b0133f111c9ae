import AccountCore
public import FoundationEssentials
public import SigV4

#if canImport(Glibc)
  import Glibc
#endif

/// `credential_process`: a command the profile names, run without a shell, whose standard
/// output is `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
///
/// The command line is split as the AWS CLI splits it (POSIX shell words: quotes and
/// backslashes, no expansion). Its standard error passes through to ours, so a tool that asks
/// for a touch or a PIN can say so (unless `discardingErrors`, while a full-screen view owns the
/// terminal); its output is read whole (at most 64 KiB) and never shown.
public enum CredentialProcess {
  /// Runs `command` for `profile` and returns the credentials it printed.
  public static func run(_ command: String, profile: String, discardingErrors: Bool = false)
    throws(CredentialError) -> AWSCredentials
  {
    let words: [String]
    do {
      words = try ShellWords.split(command)
    } catch {
      throw .process(profile: profile, reason: "the command line has an unclosed quote")
    }
    guard !words.isEmpty else { throw .process(profile: profile, reason: "the command is empty") }
    let (status, output) = try spawnAndRead(
      words, profile: profile, discardingErrors: discardingErrors)
    guard status == 0 else {
      throw .process(profile: profile, reason: "the command exited with status \(status)")
    }
    return try parse(output, profile: profile)
  }

  /// The credentials in a process's output (version 1 JSON).
  public static func parse(_ output: Data, profile: String) throws(CredentialError)
    -> AWSCredentials
  {
    struct Output: Decodable {
      var version: Int
      var accessKeyID: String
      var secretAccessKey: Sensitive
      var sessionToken: Sensitive?
      var expiration: String?
      enum CodingKeys: String, CodingKey {
        case version = "Version"
        case accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case sessionToken = "SessionToken"
        case expiration = "Expiration"
      }
    }
    let decoded: Output
    do {
      decoded = try JSONDecoder().decode(Output.self, from: output)
    } catch {
      throw .process(
        profile: profile,
        reason: "its output is not credentials (JSON with Version, AccessKeyId, SecretAccessKey)")
    }
    guard decoded.version == 1 else {
      throw .process(profile: profile, reason: "its output has Version \(decoded.version), not 1")
    }
    guard !decoded.accessKeyID.isEmpty, !decoded.secretAccessKey.isEmpty else {
      throw .process(profile: profile, reason: "its output has an empty key")
    }
    var expiration: Date?
    if let text = decoded.expiration {
      guard let seconds = PlainFormat.epochSeconds(iso8601: text) else {
        throw .process(profile: profile, reason: "its Expiration is not an ISO 8601 time")
      }
      expiration = Date(timeIntervalSince1970: Double(seconds))
    }
    return AWSCredentials(
      accessKeyID: decoded.accessKeyID, secretAccessKey: decoded.secretAccessKey,
      sessionToken: decoded.sessionToken, expiration: expiration)
  }

  private static func spawnAndRead(_ words: [String], profile: String, discardingErrors: Bool)
    throws(CredentialError) -> (Int32, Data)
  {
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else {
      throw .process(profile: profile, reason: String(cString: strerror(errno)))
    }
    for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if discardingErrors { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
    let arguments = words.map { strdup($0) } + [nil]
    defer { for argument in arguments { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, words[0], &actions, nil, arguments, environ)
    close(pipeEnds[1])
    guard spawned == 0 else {
      close(pipeEnds[0])
      throw .process(
        profile: profile,
        reason: "cannot run \(TerminalText.escape(words[0])): \(String(cString: strerror(spawned)))"
      )
    }
    var output = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 8192)
    var tooLarge = false
    while true {
      let count = read(pipeEnds[0], &chunk, chunk.count)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      if output.count + count > 64 << 10 {
        tooLarge = true
        break
      }
      output += chunk[0..<count]
    }
    close(pipeEnds[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    chunk.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) }
    guard !tooLarge else {
      throw .process(profile: profile, reason: "its output is larger than 64 KiB")
    }
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift cannot import as macros.
    let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, Data(output))
  }
}

/// POSIX shell word splitting without expansion, as Python's `shlex.split` does it.
enum ShellWords {
  struct UnclosedQuote: Error {}

  static func split(_ line: String) throws(UnclosedQuote) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var iterator = Array(line.unicodeScalars).makeIterator()
    while let scalar = iterator.next() {
      switch scalar {
      case " ", "\t", "\n":
        if inWord {
          words.append(current)
          current = ""
          inWord = false
        }
      case "'":
        inWord = true
        var closed = false
        while let next = iterator.next() {
          if next == "'" {
            closed = true
            break
          }
          current.unicodeScalars.append(next)
        }
        if !closed { throw UnclosedQuote() }
      case "\"":
        inWord = true
        var closed = false
        while let next = iterator.next() {
          if next == "\"" {
            closed = true
            break
          }
          if next == "\\" {
            guard let escaped = iterator.next() else { throw UnclosedQuote() }
            if !["\"", "\\", "$", "`", "\n"].contains(escaped) {
              current.unicodeScalars.append("\\")
            }
            current.unicodeScalars.append(escaped)
          } else {
            current.unicodeScalars.append(next)
          }
        }
        if !closed { throw UnclosedQuote() }
      case "\\":
        inWord = true
        guard let escaped = iterator.next() else { throw UnclosedQuote() }
        current.unicodeScalars.append(escaped)
      default:
        inWord = true
        current.unicodeScalars.append(scalar)
      }
    }
    if inWord { words.append(current) }
    return words
  }
}
