import AccountCore
import CSystemTLS
import FoundationEssentials
import Glibc
import Synchronization

/// The production ``HTTPTransport``: HTTP/1.1 over a POSIX socket, with OpenSSL's libssl for TLS.
///
/// Why not URLSession: on Linux it is libcurl, which loads about twenty shared libraries (LDAP,
/// Kerberos, GnuTLS, SSH, …) into every run of the program, even `--version`. Measured here, that
/// is ≈ 7 ms and ≈ 11 MB of every process (README, Performance). A Cognito call is one `POST` with
/// a small JSON body, so this transport is small: one request at a time per connection, the
/// response framed by `Content-Length` or chunked encoding (``HTTPResponseParser``), the
/// connection kept for the next call when the server allows it.
///
/// - TLS 1.2 or later, the certificate checked against the system trust store (its hashed
///   directory, read lazily; `SSL_CERT_FILE` and `SSL_CERT_DIR` honoured as OpenSSL does) or
///   ``Options/caBundlePath``, and the host name (or address) checked against the certificate;
///   SNI is sent.
/// - HTTPS goes through ``Options/proxy`` with `CONNECT` unless the proxy's bypass list says not.
/// - Redirects are never followed (a 3xx is returned as a response); nothing is cached or logged.
/// - ``Options/connectTimeout`` bounds connecting and every silence; ``Options/totalTimeout``
///   bounds the whole exchange. Cancelling the calling task ends the exchange at once.
public final class SocketTransport: HTTPTransport {
  /// Timeouts, limits, proxy and trust.
  public struct Options: Sendable, Hashable {
    /// Time allowed to connect, and the longest silence while waiting for bytes.
    public var connectTimeout: Duration
    /// Time allowed for the whole exchange.
    public var totalTimeout: Duration
    /// The largest response body accepted.
    public var maxResponseBytes: Int
    /// The proxy HTTPS requests go through, if any.
    public var proxy: HTTPProxy?
    /// A PEM file of trusted certificates to use instead of the system store (`AWS_CA_BUNDLE`).
    public var caBundlePath: String?
    /// How long a kept connection may sit idle and still be reused: 20 s by default (load
    /// balancers close idle connections after about a minute, NATs sometimes silently sooner).
    public var maxIdleReuse: Duration = .seconds(20)
    /// Whether plain HTTP may also go to the link-local addresses where AWS serves instance and
    /// container credentials (``SocketTransport/cloudMetadataHosts``); off for everything else.
    public var allowsCloudMetadata = false
    /// Whether each exchange runs on the thread that sends, blocking it until the response, the
    /// deadline or cancellation, instead of on a thread of its own. For a process that runs one
    /// command at a time and has nothing else for that thread to do (the command line): with a
    /// numeric endpoint it saves starting a thread and handing the response back, about 0.4 ms
    /// of every command. Off for everything that must stay responsive while a request is out
    /// (the screens). Honoured only in a task that prefers a task executor of its own (the
    /// command line's main thread): anywhere else, such as an unstructured `Task` on Swift's
    /// shared threads, where a blocked thread starves every other task, the exchange gets its
    /// own thread as without the option.
    public var exchangesOnCallingThread = false

    /// 1 s to connect, 3 s in all, 64 KiB bodies, no proxy, plain HTTP to the metadata
    /// addresses: what the credential chain uses to ask the platform for credentials.
    public static var cloudMetadata: Options {
      var options = Options(
        connectTimeout: .seconds(1), totalTimeout: .seconds(3), maxResponseBytes: 64 << 10)
      options.allowsCloudMetadata = true
      return options
    }

    /// 10 s to connect, 30 s in all, 4 MiB bodies (GetUser with every attribute at its 2,048
    /// character maximum, JSON-escaped, stays well below this), no proxy, the system trust store.
    public static let standard = Options(
      connectTimeout: .seconds(10), totalTimeout: .seconds(30), maxResponseBytes: 4 << 20)

    /// Creates options.
    public init(
      connectTimeout: Duration, totalTimeout: Duration, maxResponseBytes: Int,
      proxy: HTTPProxy? = nil, caBundlePath: String? = nil
    ) {
      self.connectTimeout = connectTimeout
      self.totalTimeout = totalTimeout
      self.maxResponseBytes = maxResponseBytes
      self.proxy = proxy
      self.caBundlePath = caBundlePath
    }
  }

  private let options: Options

  /// The numeric link-local addresses of the EC2 instance metadata service and the container
  /// credentials endpoints (IPv4 and IPv6), never looked up.
  public static let cloudMetadataHosts: Set<String> = [
    "169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23",
  ]
  private let idle = Mutex<Connection?>(nil)
  private let tls = Mutex<TLSContext?>(nil)

  /// Creates a transport; nothing is opened or loaded until the first request.
  public init(options: Options = .standard) {
    self.options = options
  }

  /// Sends `request` and collects the whole response.
  ///
  /// The caller gets an answer by the total timeout, or at once when its task is cancelled:
  /// every wait of the exchange, name resolution included
  /// (``AddressList/resolve(host:port:numericOnly:io:)``), polls with the deadline and the
  /// cancellation signal.
  public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
    guard let wake = WakeSignal() else { throw .other(code: Int(errno)) }
    let outcome: ExchangeOutcome
    if Self.exchangesHere(options) {
      outcome = await withTaskCancellationHandler {
        withSIGPIPEHeld {
          ExchangeOutcome { () throws(TransportFailure) in try exchange(request, wake: wake) }
        }
      } onCancel: {
        wake.signal()
      }
    } else {
      let first = FirstOutcome()
      outcome = await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
          first.waiting(continuation)
          // Blocking socket work runs on its own thread, so no shared executor thread waits on
          // the network; the thread ends with the exchange.
          let started = startDetachedThread { [self] in
            first.finish(
              ExchangeOutcome { () throws(TransportFailure) in try exchange(request, wake: wake) })
          }
          if started != 0 { first.finish(.failure(.other(code: Int(started)))) }
        }
      } onCancel: {
        wake.signal()
        first.finish(.failure(.cancelled))
      }
    }
    switch outcome {
    case .response(let response): return response
    case .failure(let failure): throw failure
    }
  }

  /// Whether an exchange with `options` runs on the current thread: the option is set and the
  /// current task prefers a task executor, which here is always a thread of its own
  /// (``ThreadExecutor``: the command line's main thread, a new thread in tests).
  static func exchangesHere(_ options: Options) -> Bool {
    options.exchangesOnCallingThread
      && withUnsafeCurrentTask { task in task?.unownedTaskExecutor != nil }
  }

  /// One exchange, on the calling thread: a kept connection if there is a live one, else a new
  /// one; a kept connection the server closed while idle is replaced once, before any response
  /// byte arrived.
  private func exchange(_ request: HTTPRequest, wake: WakeSignal) throws(TransportFailure)
    -> HTTPResponse
  {
    let io = IOContext(
      deadline: .now + options.totalTimeout, idleTimeout: options.connectTimeout, wake: wake.fd
    )
    guard let target = Target(url: request.url) else { throw .cannotFindHost }
    // A request that must never be sent twice goes on a new connection: a kept one may have been
    // closed by the server while idle, and then the request could be neither replayed nor trusted.
    var kept = request.replayable ? takeIdleConnection(for: target.key) : nil
    while true {
      let isKept = kept != nil
      let connection: Connection
      if let existing = kept {
        connection = existing
        kept = nil
      } else {
        connection = try open(target, io: io)
      }
      var parser = HTTPResponseParser(maxBodyBytes: options.maxResponseBytes)
      do {
        try connection.write(
          HTTPRequestEncoder.encode(request, hostHeader: target.hostHeader), io: io)
        let (response, keepAlive) = try connection.readResponse(&parser, io: io)
        if keepAlive { keepIdleConnection(connection) } else { connection.close() }
        return response
      } catch {
        connection.close()
        // The server closed the kept connection while idle, before our request: send it again
        // on a new one (only replayable requests ever use a kept connection).
        if isKept && error == .connectionReset && !parser.sawBytes { continue }
        throw error
      }
    }
  }

  private func takeIdleConnection(for key: String) -> Connection? {
    guard
      let connection = idle.withLock({ slot -> Connection? in
        defer { slot = nil }
        return slot
      })
    else { return nil }
    // A connection idle for long may have been dropped silently on the way (a NAT or a laptop
    // asleep): waiting out the idle timeout on it would cost far more than a new handshake.
    if connection.key == key && ContinuousClock.now - connection.idleSince < options.maxIdleReuse
      && connection.isStillUsable()
    {
      return connection
    }
    connection.close()
    return nil
  }

  private func keepIdleConnection(_ connection: Connection) {
    connection.idleSince = .now
    let previous = idle.withLock { slot -> Connection? in
      defer { slot = connection }
      return slot
    }
    previous?.close()
  }

  /// Connects to the endpoint (through the proxy for HTTPS when one applies), then TLS.
  private func open(_ target: Target, io: IOContext) throws(TransportFailure) -> Connection {
    let proxy = options.proxy.flatMap { $0.applies(to: target.url) ? $0 : nil }
    let fd: Int32
    if let proxy {
      do {
        fd = try Self.connectTCP(host: proxy.host, port: proxy.port, io: io)
      } catch .cannotConnect, .cannotFindHost {
        throw .proxyUnreachable
      }
    } else if target.isTLS {
      fd = try Self.connectTCP(host: target.host, port: target.port, io: io)
    } else {
      // Plain HTTP carries tokens in clear: only ever to a loopback address, without a lookup
      // (or, for the credential chain alone, to the platform's link-local metadata addresses).
      let addresses: [String]
      if let loopback = LoopbackHost(target.host) {
        addresses = loopback.addresses
      } else if options.allowsCloudMetadata, Self.cloudMetadataHosts.contains(target.host) {
        addresses = [target.host]
      } else {
        throw .cannotFindHost
      }
      fd = try Self.connectTCP(addresses: addresses, port: target.port, io: io)
    }
    let connection = Connection(fd: fd, key: target.key)
    do throws(TransportFailure) {
      if let proxy {
        try connection.write(
          HTTPRequestEncoder.connect(
            authority: target.authority, proxyAuthorization: proxy.authorization?.reveal),
          io: io)
        var parser = HTTPResponseParser(maxBodyBytes: 64 << 10, bodyless: true)
        let (answer, _) = try connection.readResponse(&parser, io: io)
        guard (200..<300).contains(answer.status) else {
          throw TransportFailure.proxyRefused(status: answer.status)
        }
      }
      if target.isTLS { try connection.startTLS(context: tlsContext(), host: target.host, io: io) }
    } catch {
      connection.close()
      throw error
    }
    return connection
  }

  /// The shared TLS configuration, built on first use (loading the trust store costs time, and
  /// plain-HTTP runs against a local server never need it).
  private func tlsContext() throws(TransportFailure) -> TLSContext {
    let result = tls.withLock { slot -> Result<TLSContext, TransportFailure> in
      if let context = slot { return .success(context) }
      let built = TLSContext.make(caBundlePath: options.caBundlePath)
      if case .success(let context) = built { slot = context }
      return built
    }
    return try result.get()
  }
}

/// What one exchange came to. A plain enum, not `Result<HTTPResponse, TransportFailure>`: that
/// generic type in the lock and the continuation made the Swift runtime look up
/// `TransportFailure: Error`, a scan of the binary's conformance records, at every start.
enum ExchangeOutcome: Sendable {
  case response(HTTPResponse)
  case failure(TransportFailure)

  /// The response `body` returns, or its failure.
  init(_ body: () throws(TransportFailure) -> HTTPResponse) {
    do {
      self = .response(try body())
    } catch {
      self = .failure(error)
    }
  }
}

/// The single result of one `send` on a thread of its own: the first of the exchange and
/// cancellation wins; a later one is dropped.
final class FirstOutcome: Sendable {
  private enum State {
    case pending(ExchangeOutcome?)
    case waiting(CheckedContinuation<ExchangeOutcome, Never>)
    case done
  }

  private let state = Mutex(State.pending(nil))

  /// Registers the waiting caller; resumes it at once if a result is already there.
  func waiting(_ continuation: CheckedContinuation<ExchangeOutcome, Never>) {
    let early = state.withLock { state -> ExchangeOutcome? in
      guard case .pending(let result) = state else { return nil }
      if let result {
        state = .done
        return result
      }
      state = .waiting(continuation)
      return nil
    }
    if let early { continuation.resume(returning: early) }
  }

  /// Delivers `outcome` unless another one came first.
  func finish(_ outcome: ExchangeOutcome) {
    let continuation = state.withLock { state -> CheckedContinuation<ExchangeOutcome, Never>? in
      switch state {
      case .pending(nil):
        state = .pending(outcome)
        return nil
      case .waiting(let continuation):
        state = .done
        return continuation
      case .pending, .done:
        return nil
      }
    }
    continuation?.resume(returning: outcome)
  }
}

/// Where a request goes: host, port, scheme.
struct Target {
  var url: URL
  var host: String
  var port: Int
  var isTLS: Bool

  init?(url: URL) {
    self.url = url
    guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let rawHost = url.host(percentEncoded: false), !rawHost.isEmpty
    else { return nil }
    host = rawHost.trimmed { $0 == "[" || $0 == "]" }.lowercased()
    isTLS = scheme == "https"
    port = url.port ?? (isTLS ? 443 : 80)
  }

  /// `host:port` (IPv6 in brackets), for `CONNECT`.
  var authority: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
  /// The `Host` header: the port only when it is not the scheme's default.
  var hostHeader: String {
    let name = host.contains(":") ? "[\(host)]" : host
    return port == (isTLS ? 443 : 80) ? name : "\(name):\(port)"
  }
  /// Which kept connection can serve this target.
  var key: String { (isTLS ? "https://" : "http://") + authority }
}
