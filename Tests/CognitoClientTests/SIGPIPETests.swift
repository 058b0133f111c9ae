import Glibc
import Synchronization
import Testing

@testable import HTTPStack

/// SIGPIPEs seen by the handler the test installs.
private let pipeSignals = Atomic<Int>(0)

@Suite("SIGPIPE around an exchange on the calling thread", .serialized)
struct SIGPIPETests {
  @Test("a SIGPIPE raised inside is taken off the thread; the signal mask comes back as it was")
  func heldAndDiscarded() {
    var counting = sigaction()
    counting.__sigaction_handler.sa_handler = { _ in pipeSignals.add(1, ordering: .relaxed) }
    var previous = sigaction()
    sigaction(SIGPIPE, &counting, &previous)
    defer { sigaction(SIGPIPE, &previous, nil) }
    var maskBefore = sigset_t()
    pthread_sigmask(SIG_SETMASK, nil, &maskBefore)

    // The handler counts a SIGPIPE that reaches the thread.
    pipeSignals.store(0, ordering: .relaxed)
    raise(SIGPIPE)
    #expect(pipeSignals.load(ordering: .relaxed) == 1)

    pipeSignals.store(0, ordering: .relaxed)
    let value = withSIGPIPEHeld { () -> Int in
      raise(SIGPIPE)
      var pending = sigset_t()
      sigpending(&pending)
      return Int(sigismember(&pending, SIGPIPE))
    }
    #expect(value == 1, "SIGPIPE was not held while the body ran")
    #expect(pipeSignals.load(ordering: .relaxed) == 0, "the held SIGPIPE reached the thread")
    var pending = sigset_t()
    sigpending(&pending)
    #expect(sigismember(&pending, SIGPIPE) == 0)
    var maskAfter = sigset_t()
    pthread_sigmask(SIG_SETMASK, nil, &maskAfter)
    #expect(sigismember(&maskAfter, SIGPIPE) == sigismember(&maskBefore, SIGPIPE))
  }
}
