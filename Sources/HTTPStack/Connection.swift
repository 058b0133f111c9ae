import AccountCore
import CSystemTLS
import FoundationEssentials
import Glibc
import Synchronization

/// Deadlines and the cancellation pipe for one exchange.
struct IOContext {
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

/// A pipe whose write end wakes the side polling its read end: an exchange when its task is
/// cancelled, or one waiting for a name lookup to finish. Once signalled the read end stays
/// readable, so every later wait on it ends at once too.
final class WakeSignal: Sendable {
  /// What ``IOContext/wait(_:for:)`` polls.
  let fd: Int32
  private let writeEnd: Int32

  /// A non-blocking, close-on-exec pipe; nil, with `errno` set, when none could be made.
  init?() {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    for fd in fds {
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    }
    fd = fds[0]
    writeEnd = fds[1]
  }

  /// Wakes the polling side.
  func signal() {
    var byte: UInt8 = 1
    _ = Glibc.write(writeEnd, &byte, 1)
  }

  deinit {
    Glibc.close(fd)
    Glibc.close(writeEnd)
  }
}

/// One TCP connection, with TLS on top when the endpoint is HTTPS. Used by one exchange at a
/// time (handed over through the transport's lock), hence `@unchecked Sendable`.
final class Connection: @unchecked Sendable {
  let key: String
  /// When the connection was last put aside.
  var idleSince = ContinuousClock.now
  private var fd: Int32
  /// libssl and its connection object, once TLS has started.
  private var tls: (openSSL: cognito_libssl, ssl: OpaquePointer)?

  init(fd: Int32, key: String) {
    self.fd = fd
    self.key = key
  }

  deinit { close() }

  func close() {
    if let tls {
      tls.openSSL.SSL_free(tls.ssl)
      self.tls = nil
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
    guard ready == 1, probe.revents & Int16(POLLIN) != 0, let (openSSL, ssl) = tls else {
      return false
    }
    var byte: UInt8 = 0
    openSSL.ERR_clear_error()
    let count = openSSL.SSL_peek(ssl, &byte, 1)
    return count <= 0 && openSSL.SSL_get_error(ssl, count) == SSL_ERROR_WANT_READ
  }

  /// TLS handshake with certificate and host-name checks.
  func startTLS(context: TLSContext, host: String, io: IOContext) throws(TransportFailure) {
    let openSSL = context.openSSL
    guard let ssl = openSSL.SSL_new(context.pointer) else {
      throw .secureConnectionFailed(reason: openSSL.lastErrorReason())
    }
    tls = (openSSL, ssl)
    guard openSSL.SSL_set_fd(ssl, fd) == 1 else {
      throw .secureConnectionFailed(reason: openSSL.lastErrorReason())
    }
    try context.expectPeer(ssl, host: host)
    while true {
      openSSL.ERR_clear_error()
      let result = openSSL.SSL_connect(ssl)
      if result == 1 { return }
      switch openSSL.SSL_get_error(ssl, result) {
      case SSL_ERROR_WANT_READ: try io.wait(fd, for: Int16(POLLIN))
      case SSL_ERROR_WANT_WRITE: try io.wait(fd, for: Int16(POLLOUT))
      default:
        let verify = openSSL.SSL_get_verify_result(ssl)
        if verify != X509_V_OK {
          throw .secureConnectionFailed(
            reason: "certificate not trusted: "
              + (openSSL.X509_verify_cert_error_string(verify).map { String(cString: $0) }
                ?? "verification error \(verify)"))
        }
        throw .secureConnectionFailed(reason: openSSL.lastErrorReason())
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
      if let (openSSL, ssl) = tls {
        openSSL.ERR_clear_error()
        let written = openSSL.SSL_write(ssl, base, Int32(clamping: left))
        if written > 0 {
          offset += Int(written)
          continue
        }
        switch openSSL.SSL_get_error(ssl, written) {
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
      if let (openSSL, ssl) = tls {
        openSSL.ERR_clear_error()
        let count = chunk.withUnsafeMutableBytes {
          openSSL.SSL_read(ssl, $0.baseAddress, Int32($0.count))
        }
        if count > 0 { return Int(count) }
        switch openSSL.SSL_get_error(ssl, count) {
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

extension SocketTransport {
  /// Connects to the first of numeric `addresses` that answers (no name resolution).
  static func connectTCP(addresses: [String], port: Int, io: IOContext)
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
  /// that answers; the lookup is held to `io` like the connecting
  /// (``AddressList/resolve(host:port:numericOnly:io:)``).
  static func connectTCP(
    host: String, port: Int, io: IOContext, numericOnly: Bool = false
  ) throws(TransportFailure) -> Int32 {
    let addresses = try AddressList.resolve(
      host: host, port: port, numericOnly: numericOnly, io: io)
    var failure = TransportFailure.cannotConnect
    var entry: UnsafeMutablePointer<addrinfo>? = addresses.first
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
}
