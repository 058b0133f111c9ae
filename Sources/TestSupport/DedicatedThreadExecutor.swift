import Dispatch
import Foundation
import Synchronization

/// A task executor with a thread of its own that runs its jobs one at a time, as the command
/// line's main thread does (`MainThreadExecutor`): for tests of code that blocks the thread it
/// runs on, which must never be one of Swift's shared threads (a blocked one starves every
/// other test's tasks). The thread lives as long as the process.
public final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
  private let jobs = Mutex<[UnownedJob]>([])
  private let ready = DispatchSemaphore(value: 0)

  /// Starts the thread.
  public init() {
    let thread = Thread { [self] in
      while true {
        ready.wait()
        let job = jobs.withLock { $0.removeFirst() }
        job.runSynchronously(on: asUnownedTaskExecutor())
      }
    }
    thread.start()
  }

  /// Queues `job` for the thread.
  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    jobs.withLock { $0.append(job) }
    ready.signal()
  }
}
