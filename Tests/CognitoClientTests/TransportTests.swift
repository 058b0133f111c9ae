import AccountCore
import CognitoClient
import Foundation
import HTTPStack
import TestSupport
import Testing

/// A client aimed at `endpoint` through a transport with `options`, never waiting between retries.
func client(_ endpoint: URL, _ options: SocketTransport.Options) -> CognitoClient {
  CognitoClient(
    endpoint: endpoint, transport: SocketTransport(options: options), sleep: { _ in },
    random: { 0 })
}

/// The production timeouts: moto may be slow while many tests seed it at once.
let testOptions = SocketTransport.Options(
  connectTimeout: .seconds(10), totalTimeout: .seconds(30), maxResponseBytes: 1 << 20)

@Suite("The HTTP transport: connections and framing (scripted server)")
struct TransportFramingTests {
  @Test(
    "a kept-alive connection carries the next requests: three calls, one connection",
    arguments: [false, true])
  func keepAlive(onCallingThread: Bool) async throws {
    let body = Data(userJSON.utf8)
    // A loaded run (every suite at once on two cores) can leave this task waiting longer than
    // the 20 s reuse limit between two calls; the limit has its own test below.
    var options = testOptions
    options.maxIdleReuse = .seconds(3600)
    options.exchangesOnCallingThread = onCallingThread
    try await withTaskExecutorPreference(onCallingThread ? ThreadExecutor.onNewThread() : nil) {
      try await withScriptedServer(
        [
          .keepAlive(status: 200, body: body), .keepAlive(status: 200, body: body), .json(userJSON),
        ],
        options: options
      ) { client, server, recorder in
        for _ in 0..<3 {
          let user = try await client.getUser(accessToken: "t")
          #expect(user.username == "alice")
        }
        #expect(server.connections == 1)
        #expect(recorder.recorded.isEmpty)
      }
    }
  }

  @Test("a connection idle longer than the reuse limit is not reused")
  func idleLimit() async throws {
    let body = Data(userJSON.utf8)
    var options = testOptions
    options.maxIdleReuse = .zero
    try await withScriptedServer(
      [.keepAlive(status: 200, body: body), .keepAlive(status: 200, body: body)], options: options
    ) { client, server, _ in
      for _ in 0..<2 { _ = try await client.getUser(accessToken: "t") }
      #expect(server.connections == 2)
    }
  }

  @Test(
    "a kept connection the server closed while idle is replaced, without a retry",
    arguments: [false, true])
  func idleClose(onCallingThread: Bool) async throws {
    let body = Data(userJSON.utf8)
    var options = scriptedOptions
    options.exchangesOnCallingThread = onCallingThread
    try await withTaskExecutorPreference(onCallingThread ? ThreadExecutor.onNewThread() : nil) {
      try await withScriptedServer(
        [
          .keepAliveThenClose(status: 200, body: body),
          .keepAliveThenClose(status: 200, body: body), .json(userJSON),
        ], options: options
      ) { client, server, recorder in
        for _ in 0..<3 {
          let user = try await client.getUser(accessToken: "t")
          #expect(user.username == "alice")
        }
        #expect(server.connections == 3)
        #expect(server.count(of: "GetUser") == 3)
        #expect(recorder.recorded.isEmpty, "the client-level retry was used")
      }
    }
  }

  @Test("chunked, interim 100 and read-until-close responses are read whole")
  func framings() async throws {
    let json = Array(userJSON.utf8)
    let half = json.count / 2
    let chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-amz-json-1.1\r\n\r\n"
      + String(half, radix: 16) + ";ext=1\r\n" + String(decoding: json[..<half], as: UTF8.self)
      + "\r\n" + String(json.count - half, radix: 16) + "\r\n"
      + String(decoding: json[half...], as: UTF8.self) + "\r\n0\r\nX-Trailer: 1\r\n\r\n"
    let interim =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: \(json.count)\r\n\r\n"
      + userJSON
    let untilClose =
      "HTTP/1.0 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\r\n" + userJSON
    try await withScriptedServer([
      .raw(Data(chunked.utf8)), .raw(Data(interim.utf8)), .raw(Data(untilClose.utf8)),
    ]) { client, _, _ in
      for _ in 0..<3 {
        let user = try await client.getUser(accessToken: "t")
        #expect(user.username == "alice")
      }
    }
  }

  @Test(
    "cancelling the task ends a stalled exchange with 'cancelled', on either thread",
    arguments: [false, true])
  func cancellation(onCallingThread: Bool) async throws {
    // The stall outlasts anything else: when the whole suite runs, other tests can keep this
    // one's task from running for seconds, and the cancellation must still find the exchange
    // waiting (a short stall ended first, and the retries then met an exhausted script).
    var options = SocketTransport.Options(
      connectTimeout: .seconds(120), totalTimeout: .seconds(120), maxResponseBytes: 64 * 1024)
    options.exchangesOnCallingThread = onCallingThread
    try await withScriptedServer([.stall(seconds: 90, then: Data())], options: options) {
      client, server, _ in
      // Blocking on the calling thread is only ever done on a thread of its own (the command
      // line's main thread), never on Swift's shared threads.
      let call = Task(executorPreference: onCallingThread ? ThreadExecutor.onNewThread() : nil) {
        try await client.getUser(accessToken: "t")
      }
      while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
      call.cancel()
      let result = await call.result
      guard case .failure(let error) = result else {
        Issue.record("the call succeeded")
        return
      }
      #expect(error as? CognitoError == .transport(.cancelled))
    }
  }

  @Test("an unknown host is 'did not resolve', not 'could not connect'")
  func unknownHost() async throws {
    let unknown = await expectCognitoError {
      _ = try await client(URL(string: "https://no-such-host.invalid/")!, testOptions)
        .getUser(accessToken: "t")
    }
    #expect(unknown == .transport(.cannotFindHost))
  }

}

/// A running TLS front before moto, or a clear failure when moto is not configured.
func tlsFront() throws -> (TLSFront, MotoFixture) {
  let fixture = try motoFixture()
  return (try TLSFront(upstream: fixture.endpoint), fixture)
}

@Suite("The HTTP transport: TLS and proxies (TLS front before moto)")
struct TransportTLSTests {
  /// Signs in over `endpoint` (SRP) and reads the user back; expects the seeded user.
  func signInAndRead(
    _ fixture: MotoFixture, _ endpoint: URL, _ options: SocketTransport.Options
  ) async throws {
    let pool = try await fixture.seedPool()
    let auth = CognitoAuthenticator(
      client: client(endpoint, options), appClient: pool.publicClient)
    let (tokens, _) = try await signIn(auth, pool.confirmedUser)
    let user = try await client(endpoint, options).getUser(
      accessToken: try #require(tokens.accessToken))
    #expect(user.username == pool.confirmedUser)
  }

  @Test("HTTPS with the CA that signed the server: SRP sign-in and GetUser work")
  func trusted() async throws {
    let (front, fixture) = try tlsFront()
    defer { front.stop() }
    var options = testOptions
    options.caBundlePath = front.caFile
    try await signInAndRead(fixture, front.url, options)
  }

  @Test("an untrusted certificate, a wrong host name and a missing CA file are refused, named")
  func refused() async throws {
    let (front, _) = try tlsFront()
    defer { front.stop() }
    // The system store does not hold the test CA.
    let untrusted = await expectCognitoError {
      _ = try await client(front.url, testOptions).getUser(accessToken: "t")
    }
    guard case .transport(.secureConnectionFailed(let reason)) = untrusted else {
      Issue.record("expected a TLS failure, got \(String(describing: untrusted))")
      return
    }
    #expect(reason.hasPrefix("certificate not trusted: "), "\(reason)")
    // The certificate names localhost, not 127.0.0.1.
    var options = testOptions
    options.caBundlePath = front.caFile
    let byAddress = URL(string: "https://127.0.0.1:\(front.tlsPort)/")!
    let mismatch = await expectCognitoError {
      _ = try await client(byAddress, options).getUser(accessToken: "t")
    }
    #expect(
      mismatch
        == .transport(
          .secureConnectionFailed(reason: "certificate not trusted: IP address mismatch")))
    options.caBundlePath = "/nonexistent/ca.pem"
    let missing = await expectCognitoError {
      _ = try await client(front.url, options).getUser(accessToken: "t")
    }
    #expect(
      missing
        == .transport(
          .secureConnectionFailed(reason: "cannot read the CA bundle /nonexistent/ca.pem")))
  }

  @Test("https_proxy: the request goes through CONNECT; no_proxy sends it direct")
  func proxy() async throws {
    let (front, fixture) = try tlsFront()
    defer { front.stop() }
    var options = testOptions
    options.caBundlePath = front.caFile
    options.proxy = try HTTPProxy.fromEnvironment(["https_proxy": "127.0.0.1:\(front.proxyPort)"])
    try await signInAndRead(fixture, front.url, options)
    let tunnels = front.proxyLog()
    #expect(!tunnels.isEmpty)
    #expect(tunnels.allSatisfy { $0 == "CONNECT localhost:\(front.tlsPort) allowed" }, "\(tunnels)")

    options.proxy = try HTTPProxy.fromEnvironment([
      "HTTPS_PROXY": "http://127.0.0.1:\(front.proxyPort)",
      "NO_PROXY": "example.com, .localhost,localhost",
    ])
    try await signInAndRead(fixture, front.url, options)
    #expect(front.proxyLog().count == tunnels.count, "no_proxy was not honoured")
  }

  @Test("a proxy that wants credentials: 407 without them, a tunnel with them")
  func proxyCredentials() async throws {
    let (front, fixture) = try tlsFront()
    defer { front.stop() }
    var options = testOptions
    options.caBundlePath = front.caFile
    options.proxy = try HTTPProxy.fromEnvironment([
      "https_proxy": "http://127.0.0.1:\(front.authProxyPort)"
    ])
    let refused = await expectCognitoError {
      _ = try await client(front.url, options).getUser(accessToken: "t")
    }
    #expect(refused == .transport(.proxyRefused(status: 407)))
    options.proxy = try HTTPProxy.fromEnvironment([
      "https_proxy": "http://tester:pa%20ss@127.0.0.1:\(front.authProxyPort)"
    ])
    try await signInAndRead(fixture, front.url, options)
    #expect(front.proxyLog().first == "CONNECT localhost:\(front.tlsPort) refused")
    #expect(front.proxyLog().last == "CONNECT localhost:\(front.tlsPort) allowed")
  }
}

@Suite("Proxy settings from the environment")
struct HTTPProxySettingsTests {
  @Test("precedence, default port, credentials kept secret, bad URLs refused")
  func parsing() throws {
    #expect(try HTTPProxy.fromEnvironment([:]) == nil)
    #expect(try HTTPProxy.fromEnvironment(["http_proxy": "http://p:1"]) == nil)
    let lower = try #require(
      try HTTPProxy.fromEnvironment(["https_proxy": "http://a:3128", "HTTPS_PROXY": "http://b:1"]))
    #expect(lower.host == "a" && lower.port == 3128)
    let all = try #require(try HTTPProxy.fromEnvironment(["ALL_PROXY": "proxy.example"]))
    #expect(all.host == "proxy.example" && all.port == 1080)
    let secret = try #require(
      try HTTPProxy.fromEnvironment(["https_proxy": "http://u:p%40ss@h:8080"]))
    #expect(secret.authorization?.reveal == "Basic " + Data("u:p@ss".utf8).base64EncodedString())
    #expect(!"\(secret)".contains("dTpwQHNz"))
    #expect(secret.displayName == "h:8080")
    for bad in ["socks5://h:1080", "https://h:443", "http://:80", "http://h:70000"] {
      #expect(throws: HTTPProxy.SettingError.self, "\(bad)") {
        try HTTPProxy.fromEnvironment(["https_proxy": bad])
      }
    }
  }

  @Test("no_proxy: *, exact names, domains with and without a leading dot")
  func bypass() throws {
    let proxy = HTTPProxy(
      host: "p", port: 1, bypass: ["internal.example", ".corp.example", "10.0.0.1"])
    #expect(proxy.applies(to: "cognito-idp.us-east-1.amazonaws.com"))
    #expect(!proxy.applies(to: "internal.example"))
    #expect(!proxy.applies(to: "a.internal.example"))
    #expect(!proxy.applies(to: "corp.example"))
    #expect(!proxy.applies(to: "x.corp.example"))
    #expect(proxy.applies(to: "notcorp.example"))
    #expect(!proxy.applies(to: "10.0.0.1"))
    #expect(!HTTPProxy(host: "p", port: 1, bypass: ["*"]).applies(to: "anything"))
    // Only HTTPS goes through the proxy.
    #expect(proxy.applies(to: URL(string: "https://cognito-idp.eu-west-1.amazonaws.com/")!))
    #expect(!proxy.applies(to: URL(string: "http://127.0.0.1:9229/")!))
    #expect(!proxy.applies(to: URL(string: "https://a.internal.example/")!))
  }
}
