import Glibc
import Synchronization

/// A host's addresses for a TCP connection, as `getaddrinfo` gave them; freed with the value.
final class AddressList {
  /// The first address; the others follow through `ai_next`.
  let first: UnsafeMutablePointer<addrinfo>

  private init(_ first: UnsafeMutablePointer<addrinfo>) { self.first = first }

  deinit { freeaddrinfo(first) }

  /// The addresses of `host` and `port`.
  ///
  /// A numeric address is only parsed, on this thread. A name (never looked up with
  /// `numericOnly`) is looked up on a short-lived thread of its own while this thread waits on
  /// `io`, because `getaddrinfo` cannot be interrupted: the wait is what holds the lookup to the
  /// connect timeout and the deadline and ends it at once on cancellation. A lookup given up on
  /// finishes on its own thread, which then frees its answer.
  static func resolve(host: String, port: Int, numericOnly: Bool, io: IOContext)
    throws(TransportFailure) -> AddressList
  {
    let service = String(port)
    var list: UnsafeMutablePointer<addrinfo>?
    var numeric = hints(numericHost: true)
    if getaddrinfo(host, service, &numeric, &list) == 0, let list {
      return AddressList(list)
    }
    guard !numericOnly else { throw .cannotFindHost }
    guard let lookup = PendingLookup() else { throw .other(code: Int(errno)) }
    let started = startDetachedThread {
      var list: UnsafeMutablePointer<addrinfo>?
      var any = AddressList.hints(numericHost: false)
      let status = getaddrinfo(host, service, &any, &list)
      lookup.finish(status: status, list: list)
    }
    if started != 0 { throw .other(code: Int(started)) }
    try io.wait(lookup.done.fd, for: Int16(POLLIN))
    guard let answer = lookup.take(), answer.status == 0, let first = answer.list else {
      throw .cannotFindHost
    }
    return AddressList(first)
  }

  /// Stream sockets of any family, the port always numeric; `numericHost` refuses names.
  fileprivate static func hints(numericHost: Bool) -> addrinfo {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICSERV | (numericHost ? AI_NUMERICHOST : 0)
    return hints
  }
}

/// One lookup in flight on its own thread: the answer, and a signal raised when it is there.
/// Whichever side lets go last frees an answer nobody took.
private final class PendingLookup: Sendable {
  struct Answer: @unchecked Sendable {
    var status: Int32
    var list: UnsafeMutablePointer<addrinfo>?
  }

  /// Raised once the answer is there.
  let done: WakeSignal
  private let answer = Mutex<Answer?>(nil)

  init?() {
    guard let done = WakeSignal() else { return nil }
    self.done = done
  }

  /// Keeps the answer and wakes the waiting side.
  func finish(status: Int32, list: UnsafeMutablePointer<addrinfo>?) {
    answer.withLock { $0 = Answer(status: status, list: list) }
    done.signal()
  }

  /// The answer, handed over (no longer freed here).
  func take() -> Answer? {
    answer.withLock { slot in
      defer { slot = nil }
      return slot
    }
  }

  deinit {
    if let list = take()?.list { freeaddrinfo(list) }
  }
}

/// Runs `body` on a new detached POSIX thread with SIGPIPE blocked; returns 0, or
/// pthread_create's error (the body then never runs).
func startDetachedThread(_ body: @escaping @Sendable () -> Void) -> Int32 {
  final class Work {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let work = Unmanaged.passRetained(Work(body)).toOpaque()
  var attributes = pthread_attr_t()
  pthread_attr_init(&attributes)
  defer { pthread_attr_destroy(&attributes) }
  pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
  var thread = pthread_t()
  let status = pthread_create(
    &thread, &attributes,
    { raw in
      guard let raw else { return nil }
      // A write to a socket the peer closed raises SIGPIPE on the writing thread. Blocked here,
      // it stays pending on this thread and vanishes when the thread ends; the write fails with
      // EPIPE.
      var pipeOnly = sigpipeSet()
      pthread_sigmask(SIG_BLOCK, &pipeOnly, nil)
      Unmanaged<Work>.fromOpaque(raw).takeRetainedValue().body()
      return nil
    }, work)
  if status != 0 { Unmanaged<Work>.fromOpaque(work).release() }
  return status
}

/// Runs `body` with SIGPIPE blocked on this thread, for socket writes on a thread that lives on
/// after the exchange: a SIGPIPE the body raised is taken off the thread before the previous
/// signal mask comes back, so a write to a closed socket fails with EPIPE and nothing more,
/// while a broken standard output still ends the process as usual afterwards.
func withSIGPIPEHeld<T>(_ body: () -> T) -> T {
  var pipeOnly = sigpipeSet()
  var previous = sigset_t()
  pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
  var pending = sigset_t()
  sigpending(&pending)
  let pendingBefore = sigismember(&pending, SIGPIPE) == 1
  defer {
    sigpending(&pending)
    if !pendingBefore && sigismember(&pending, SIGPIPE) == 1 {
      var now = timespec()
      _ = sigtimedwait(&pipeOnly, nil, &now)
    }
    pthread_sigmask(SIG_SETMASK, &previous, nil)
  }
  return body()
}

/// A signal set holding SIGPIPE alone.
private func sigpipeSet() -> sigset_t {
  var set = sigset_t()
  sigemptyset(&set)
  sigaddset(&set, SIGPIPE)
  return set
}
