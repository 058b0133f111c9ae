import AccountCore
import CSystemTLS
import Dispatch
import Foundation
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
  private let idle = Mutex<Connection?>(nil)
  private let tls = Mutex<TLSContext?>(nil)

  /// Creates a transport; nothing is opened or loaded until the first request.
  public init(options: Options = .standard) {
    self.options = options
  }

  /// Sends `request` and collects the whole response.
  ///
  /// The caller gets an answer by the total timeout, or at once when its task is cancelled, even
  /// while the exchange thread is still blocked in the one call that cannot be interrupted: name
  /// resolution (`getaddrinfo`). That thread then finishes on its own and its result is dropped.
  public func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
    guard let wake = WakePipe() else { throw .other(code: Int(errno)) }
    let outcome = OneOutcome()
    let result = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        outcome.waiting(continuation)
        // Blocking socket work runs on its own thread, so no shared executor thread waits on
        // the network; the thread ends with the exchange.
        let thread = Thread { [self] in
          outcome.finish(self.exchange(request, wake: wake))
        }
        thread.start()
        let grace = options.totalTimeout + .milliseconds(250)
        let (seconds, attoseconds) = grace.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
          outcome.finish(.failure(.timedOut))
        }
      }
    } onCancel: {
      wake.signal()
      outcome.finish(.failure(.cancelled))
    }
    return try result.get()
  }

  /// One exchange, on the calling thread: a kept connection if there is a live one, else a new
  /// one; a kept connection the server closed while idle is replaced once, before any response
  /// byte arrived.
  private func exchange(_ request: HTTPRequest, wake: WakePipe) -> Result<
    HTTPResponse, TransportFailure
  > {
    blockSIGPIPEOnThisThread()
    let io = IOContext(
      deadline: .now + options.totalTimeout, idleTimeout: options.connectTimeout, wake: wake.readEnd
    )
    guard let target = Target(url: request.url) else { return .failure(.cannotFindHost) }
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
        do { connection = try open(target, io: io) } catch { return .failure(error) }
      }
      var parser = HTTPResponseParser(maxBodyBytes: options.maxResponseBytes)
      do {
        try connection.write(
          HTTPRequestEncoder.encode(request, hostHeader: target.hostHeader), io: io)
        let (response, keepAlive) = try connection.readResponse(&parser, io: io)
        if keepAlive { keepIdleConnection(connection) } else { connection.close() }
        return .success(response)
      } catch {
        connection.close()
        // The server closed the kept connection while idle, before our request: send it again
        // on a new one (only replayable requests ever use a kept connection).
        if isKept && error == .connectionReset && !parser.sawBytes { continue }
        return .failure(error)
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
      // Plain HTTP carries tokens in clear: only ever to a loopback address, without a lookup.
      guard let loopback = LoopbackHost(target.host) else { throw .cannotFindHost }
      fd = try Self.connectTCP(
        addresses: loopback.addresses, port: target.port, io: io)
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

  /// Connects to the first of numeric `addresses` that answers (no name resolution).
  private static func connectTCP(addresses: [String], port: Int, io: IOContext)
    throws(TransportFailure) -> Int32
  {
    var failure = TransportFailure.cannotConnect
    for address in addresses {
      do {
        return try connectTCP(host: address, port: port, io: io, numericOnly: true)
      } catch .cannotConnect, .cannotFindHost {
        continue
      } catch {
        failure = error
        break
      }
    }
    throw failure
  }

  /// Resolves `host` (only parses it, with `numericOnly`) and connects to the first address
  /// that answers.
  private static func connectTCP(
    host: String, port: Int, io: IOContext, numericOnly: Bool = false
  ) throws(TransportFailure) -> Int32 {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICSERV | (numericOnly ? AI_NUMERICHOST : 0)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
      throw .cannotFindHost
    }
    defer { freeaddrinfo(list) }
    var failure = TransportFailure.cannotConnect
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let address = entry {
      entry = address.pointee.ai_next
      let fd = socket(
        address.pointee.ai_family,
        Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
        0)
      guard fd >= 0 else { continue }
      var connected = Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0
      if !connected && errno == EINPROGRESS {
        do {
          try io.wait(fd, for: Int16(POLLOUT))
          var code: Int32 = 0
          var length = socklen_t(MemoryLayout<Int32>.size)
          connected = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 && code == 0
        } catch .timedOut {
          failure = .timedOut
        } catch {
          Glibc.close(fd)
          throw error
        }
      }
      if connected {
        var one: Int32 = 1
        _ = setsockopt(
          fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
      }
      Glibc.close(fd)
    }
    throw failure
  }

  private func blockSIGPIPEOnThisThread() {
    // A write to a socket the peer closed raises SIGPIPE on the writing thread. Blocked here, it
    // stays pending on this thread and vanishes when the thread ends; the write fails with EPIPE.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &set, nil)
  }
}

/// The single result of one `send`: the first of the exchange, the deadline and cancellation
/// wins; later ones are dropped.
private final class OneOutcome: Sendable {
  private enum State {
    case pending(Result<HTTPResponse, TransportFailure>?)
    case waiting(CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>)
    case done
  }

  private let state = Mutex(State.pending(nil))

  /// Registers the waiting caller; resumes it at once if a result is already there.
  func waiting(_ continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) {
    let early = state.withLock { state -> Result<HTTPResponse, TransportFailure>? in
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

  /// Delivers `result` unless another one came first.
  func finish(_ result: Result<HTTPResponse, TransportFailure>) {
    let continuation = state.withLock {
      state -> CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>? in
      switch state {
      case .pending(nil):
        state = .pending(result)
        return nil
      case .waiting(let continuation):
        state = .done
        return continuation
      case .pending, .done:
        return nil
      }
    }
    continuation?.resume(returning: result)
  }
}

/// Where a request goes: host, port, scheme.
private struct Target {
  var url: URL
  var host: String
  var port: Int
  var isTLS: Bool

  init?(url: URL) {
    self.url = url
    guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let rawHost = url.host(percentEncoded: false), !rawHost.isEmpty
    else { return nil }
    host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
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

/// Deadlines and the cancellation pipe for one exchange.
private struct IOContext {
  var deadline: ContinuousClock.Instant
  var idleTimeout: Duration
  var wake: Int32

  /// Waits until `fd` is ready for `events`; throws on timeout or cancellation.
  func wait(_ fd: Int32, for events: Int16) throws(TransportFailure) {
    while true {
      let remaining = min(deadline - .now, idleTimeout)
      guard remaining > .zero else { throw .timedOut }
      let (seconds, attoseconds) = remaining.components
      let milliseconds = Int32(
        clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
      var fds = [
        pollfd(fd: fd, events: events, revents: 0),
        pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
      ]
      let ready = poll(&fds, 2, milliseconds)
      if ready < 0 {
        if errno == EINTR { continue }
        throw .other(code: Int(errno))
      }
      if fds[1].revents != 0 { throw .cancelled }
      if ready == 0 {
        if deadline - .now <= .zero || remaining == idleTimeout { throw .timedOut }
        continue
      }
      return
    }
  }
}

/// A pipe whose write end wakes a waiting exchange when its task is cancelled.
private final class WakePipe: Sendable {
  let readEnd: Int32
  let writeEnd: Int32

  init?() {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    for fd in fds {
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    }
    readEnd = fds[0]
    writeEnd = fds[1]
  }

  func signal() {
    var byte: UInt8 = 1
    _ = Glibc.write(writeEnd, &byte, 1)
  }

  deinit {
    Glibc.close(readEnd)
    Glibc.close(writeEnd)
  }
}

/// One TCP connection, with TLS on top when the endpoint is HTTPS. Used by one exchange at a
/// time (handed over through the transport's lock), hence `@unchecked Sendable`.
private final class Connection: @unchecked Sendable {
  let key: String
  /// When the connection was last put aside.
  var idleSince = ContinuousClock.now
  private var fd: Int32
  private var ssl: OpaquePointer?

  init(fd: Int32, key: String) {
    self.fd = fd
    self.key = key
  }

  deinit { close() }

  func close() {
    if let ssl {
      SSL_free(ssl)
      self.ssl = nil
    }
    if fd >= 0 {
      Glibc.close(fd)
      fd = -1
    }
  }

  /// Whether a kept connection can carry another request: the server has not closed it and has
  /// sent nothing unasked (TLS 1.3 session tickets are read and are fine).
  func isStillUsable() -> Bool {
    var probe = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let ready = poll(&probe, 1, 0)
    if ready == 0 { return true }
    guard ready == 1, probe.revents & Int16(POLLIN) != 0, let ssl else { return false }
    var byte: UInt8 = 0
    ERR_clear_error()
    let count = SSL_peek(ssl, &byte, 1)
    return count <= 0 && SSL_get_error(ssl, count) == SSL_ERROR_WANT_READ
  }

  /// TLS handshake with certificate and host-name checks.
  func startTLS(context: TLSContext, host: String, io: IOContext) throws(TransportFailure) {
    guard let ssl = SSL_new(context.pointer) else {
      throw .secureConnectionFailed(reason: TLSContext.lastErrorReason())
    }
    self.ssl = ssl
    guard SSL_set_fd(ssl, fd) == 1 else {
      throw .secureConnectionFailed(reason: TLSContext.lastErrorReason())
    }
    try TLSContext.expectPeer(ssl, host: host)
    while true {
      ERR_clear_error()
      let result = SSL_connect(ssl)
      if result == 1 { return }
      switch SSL_get_error(ssl, result) {
      case SSL_ERROR_WANT_READ: try io.wait(fd, for: Int16(POLLIN))
      case SSL_ERROR_WANT_WRITE: try io.wait(fd, for: Int16(POLLOUT))
      default:
        let verify = SSL_get_verify_result(ssl)
        if verify != X509_V_OK {
          throw .secureConnectionFailed(
            reason: "certificate not trusted: "
              + String(cString: X509_verify_cert_error_string(verify)))
        }
        throw .secureConnectionFailed(reason: TLSContext.lastErrorReason())
      }
    }
  }

  /// Writes all of `bytes`; the copy handed to the socket is zeroed afterwards (it holds tokens).
  func write(_ bytes: [UInt8], io: IOContext) throws(TransportFailure) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(bytes.count, 1), alignment: 1)
    defer {
      buffer.initializeMemory(as: UInt8.self, repeating: 0)
      buffer.deallocate()
    }
    buffer.copyBytes(from: bytes)
    var offset = 0
    while offset < bytes.count {
      let base = buffer.baseAddress! + offset
      let left = bytes.count - offset
      if let ssl {
        ERR_clear_error()
        let written = SSL_write(ssl, base, Int32(clamping: left))
        if written > 0 {
          offset += Int(written)
          continue
        }
        switch SSL_get_error(ssl, written) {
        case SSL_ERROR_WANT_READ: try io.wait(fd, for: Int16(POLLIN))
        case SSL_ERROR_WANT_WRITE: try io.wait(fd, for: Int16(POLLOUT))
        default: throw .connectionReset
        }
      } else {
        let written = Glibc.send(fd, base, left, Int32(MSG_NOSIGNAL))
        if written > 0 {
          offset += written
        } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
          try io.wait(fd, for: Int16(POLLOUT))
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          throw .connectionReset
        }
      }
    }
  }

  /// Reads until `parser` has a whole response (or the connection ends).
  func readResponse(_ parser: inout HTTPResponseParser, io: IOContext) throws(TransportFailure)
    -> (response: HTTPResponse, keepAlive: Bool)
  {
    var chunk = [UInt8](repeating: 0, count: 16 << 10)
    while true {
      let count = try read(into: &chunk, io: io)
      do {
        if count == 0 { return (try parser.finish(), false) }
        if let complete = try parser.consume(chunk[0..<count]) { return complete }
      } catch .tooLarge(let limit) {
        throw .responseTooLarge(limit: limit)
      } catch {
        throw .connectionReset
      }
    }
  }

  /// Reads some bytes; 0 means the connection ended.
  private func read(into chunk: inout [UInt8], io: IOContext) throws(TransportFailure) -> Int {
    while true {
      if let ssl {
        ERR_clear_error()
        let count = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
        if count > 0 { return Int(count) }
        switch SSL_get_error(ssl, count) {
        case SSL_ERROR_ZERO_RETURN: return 0
        case SSL_ERROR_WANT_READ: try io.wait(fd, for: Int16(POLLIN))
        case SSL_ERROR_WANT_WRITE: try io.wait(fd, for: Int16(POLLOUT))
        case SSL_ERROR_SYSCALL where errno == 0: return 0
        default: throw .connectionReset
        }
      } else {
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count >= 0 { return count }
        switch errno {
        case EAGAIN, EWOULDBLOCK: try io.wait(fd, for: Int16(POLLIN))
        case EINTR: continue
        default: throw .connectionReset
        }
      }
    }
  }

}

/// OpenSSL's client configuration: TLS 1.2+, peer verification, the trust store.
final class TLSContext: @unchecked Sendable {
  let pointer: OpaquePointer

  private init(pointer: OpaquePointer) { self.pointer = pointer }

  deinit { SSL_CTX_free(pointer) }

  static func make(caBundlePath: String?) -> Result<TLSContext, TransportFailure> {
    guard let pointer = SSL_CTX_new(TLS_client_method()) else {
      return .failure(.secureConnectionFailed(reason: lastErrorReason()))
    }
    let context = TLSContext(pointer: pointer)
    guard cognito_tls_require_tls12(pointer) == 1 else {
      return .failure(.secureConnectionFailed(reason: "cannot require TLS 1.2 or later"))
    }
    SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
    if let caBundlePath {
      guard SSL_CTX_load_verify_locations(pointer, caBundlePath, nil) == 1 else {
        return .failure(
          .secureConnectionFailed(reason: "cannot read the CA bundle \(caBundlePath)"))
      }
    } else if let directory = hashedCertificateDirectory() {
      // The hashed directory is read lazily, one issuer at a time. OpenSSL's default paths would
      // also parse the whole system bundle (≈ 140 certificates, 16 ms here) in every process.
      guard SSL_CTX_load_verify_locations(pointer, nil, directory) == 1 else {
        return .failure(.secureConnectionFailed(reason: "cannot read the trust store \(directory)"))
      }
    } else if SSL_CTX_set_default_verify_paths(pointer) != 1 {
      return .failure(.secureConnectionFailed(reason: "cannot load the system trust store"))
    }
    return .success(context)
  }

  /// Sets what the peer's certificate must match (`host`'s name, or its address when `host` is
  /// an IP address) and, for a name, the SNI extension. OpenSSL refusing any of it (an over-long
  /// name, an address it cannot parse) aborts the connection: a handshake without the check
  /// would accept any certificate the trust store vouches for.
  static func expectPeer(_ ssl: OpaquePointer, host: String) throws(TransportFailure) {
    var v4 = in_addr()
    var v6 = in6_addr()
    let isAddress = inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    let accepted =
      isAddress
      ? cognito_tls_expect_ip(ssl, host) == 1
      : cognito_tls_set_server_name(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1
    guard accepted else {
      throw .secureConnectionFailed(
        reason: "cannot set up the certificate check for \(host): \(lastErrorReason())")
    }
  }

  /// Whether a connection to `host` could be set up for its certificate check (for tests: the
  /// same ``expectPeer(_:host:)`` on a connection that is never used).
  static func peerCheckFailure(host: String) -> TransportFailure? {
    guard case .success(let context) = make(caBundlePath: nil), let ssl = SSL_new(context.pointer)
    else { return .secureConnectionFailed(reason: "no TLS context") }
    defer { SSL_free(ssl) }
    do {
      try expectPeer(ssl, host: host)
      return nil
    } catch {
      return error
    }
  }

  /// The system's hashed certificate directory (`SSL_CERT_DIR`, else OpenSSL's default), when
  /// `SSL_CERT_FILE` does not name a bundle and the directory holds `<hash>.0` links (as
  /// Debian's update-ca-certificates and `openssl rehash` make them); else nil.
  static func hashedCertificateDirectory() -> String? {
    let environment = ProcessInfo.processInfo.environment
    if let file = environment["SSL_CERT_FILE"], !file.isEmpty { return nil }
    let directory =
      environment["SSL_CERT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? String(cString: X509_get_default_cert_dir())
    // SSL_CERT_DIR may list several directories; only a single one is checked here.
    guard !directory.contains(":"), let stream = opendir(directory) else { return nil }
    defer { closedir(stream) }
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name.count == 10, name.hasSuffix(".0"), name.prefix(8).allSatisfy(\.isHexDigit) {
        return directory
      }
    }
    return nil
  }

  /// OpenSSL's reason for the last failure on this thread, in its own words.
  static func lastErrorReason() -> String {
    let code = ERR_peek_last_error()
    guard code != 0, let reason = ERR_reason_error_string(code) else {
      return "the handshake did not complete"
    }
    return String(cString: reason)
  }
}
