import TestSupport
import Testing

@testable import HTTPStack

@Suite("Where an exchange runs")
struct CallingThreadTests {
  @Test("on the calling thread only with the option, in a task with an executor of its own")
  func decision() async {
    var on = scriptedOptions
    on.exchangesOnCallingThread = true
    let off = scriptedOptions
    // A test's task, and an unstructured one: Swift's shared threads, never blocked.
    #expect(!SocketTransport.exchangesHere(on))
    #expect(await Task { SocketTransport.exchangesHere(on) }.value == false)
    let dedicated = ThreadExecutor.onNewThread()
    #expect(await Task(executorPreference: dedicated) { SocketTransport.exchangesHere(on) }.value)
    #expect(
      await Task(executorPreference: dedicated) { SocketTransport.exchangesHere(off) }.value
        == false)
  }
}
