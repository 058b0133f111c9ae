public import Foundation

/// Runs the independent reference implementations kept in `scripts/` (pycognito's SRP, glibc's
/// wcwidth, a Python keyfile reader) and returns what they print.
public enum ReferenceScript {
  /// The repository root: `COGNITO_TEST_REPO_ROOT` (set by scripts/test), else found from this
  /// file's location.
  public static var repositoryRoot: URL {
    if let root = ProcessInfo.processInfo.environment["COGNITO_TEST_REPO_ROOT"] {
      return URL(fileURLWithPath: root)
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Runs `python3 scripts/<name> arguments…` with `input` on standard input; throws unless it
  /// exits 0. Input is written from another thread, so large inputs cannot dead-lock the pipe.
  public static func run(_ name: String, arguments: [String] = [], input: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["python3", repositoryRoot.appendingPathComponent("scripts/" + name).path] + arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    let writer = Thread {
      stdin.fileHandleForWriting.write(input)
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw FixtureError("scripts/\(name) exited with status \(process.terminationStatus)")
    }
    return output
  }

  /// Runs `scripts/<name>` on `{"cases": cases}` and decodes what it prints as `Output`; both
  /// sides in snake_case, as the Python references write their keys.
  public static func run<Case: Encodable, Output: Decodable>(
    _ name: String, cases: [Case], as output: Output.Type
  ) throws -> Output {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let printed = try run(name, input: try encoder.encode(["cases": cases]))
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Output.self, from: printed)
  }
}
