public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `scripts/tls_front.py` running: a TLS front relaying to moto, signed by a fresh test CA, and
/// two CONNECT proxies (one open, one asking for `tester:pa ss`), all on loopback.
public final class TLSFront {
  /// The PEM file of the test CA that signed the front's certificate.
  public let caFile: String
  /// The TLS front's port; its certificate names `localhost` only.
  public let tlsPort: Int
  /// The open CONNECT proxy's port.
  public let proxyPort: Int
  /// The port of the CONNECT proxy that wants Basic credentials `tester:pa ss`.
  public let authProxyPort: Int
  private let directory: String
  private let process: Process

  /// Starts the front before `upstream` (moto's URL).
  public init(upstream: URL) throws {
    directory = NSTemporaryDirectory() + "tls-front-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", ReferenceScript.repositoryRoot.appendingPathComponent("scripts/tls_front.py").path,
      upstream.host ?? "127.0.0.1", String(upstream.port ?? 80), directory,
    ]
    let stdout = Pipe()
    process.standardOutput = stdout
    try process.run()
    self.process = process
    var line = Data()
    while !line.contains(0x0A) {
      let chunk = stdout.fileHandleForReading.availableData
      guard !chunk.isEmpty else { throw FixtureError("scripts/tls_front.py ended early") }
      line.append(chunk)
    }
    guard let ports = try JSONSerialization.jsonObject(with: line) as? [String: Int],
      let tls = ports["tls"], let proxy = ports["proxy"], let authProxy = ports["auth_proxy"]
    else { throw FixtureError("scripts/tls_front.py printed no ports") }
    caFile = directory + "/ca.pem"
    tlsPort = tls
    proxyPort = proxy
    authProxyPort = authProxy
  }

  deinit { stop() }

  /// `https://localhost:<port>/`, the name the certificate holds.
  public var url: URL { URL(string: "https://localhost:\(tlsPort)/")! }

  /// The CONNECT lines the proxies saw, as `CONNECT host:port allowed|refused`.
  public func proxyLog() -> [String] {
    let text = (try? String(contentsOfFile: directory + "/connects.log", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  /// Stops the script and removes its files.
  public func stop() {
    if process.isRunning {
      // SIGKILL: the test runner's blocked signals are inherited, so SIGTERM may never arrive.
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(atPath: directory)
  }
}
