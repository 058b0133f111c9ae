import Dispatch
import Synchronization

/// A task executor that runs its jobs one at a time on one thread of its own: the thread that
/// calls ``run()`` (the command line's main thread, which would otherwise only wait), or a new
/// one (``onNewThread()``, for tests).
///
/// A task that prefers it (SE-0417) runs there, and so do the default actors it calls and its
/// child tasks (`async let`, task groups). Such a task may block the thread
/// (``SocketTransport/Options/exchangesOnCallingThread``, a prompt, a screen reading keys); its
/// child tasks then wait, so work that must go on meanwhile is started detached. An unstructured
/// or detached `Task` does not inherit the preference and runs on Swift's shared threads.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
  private let jobs = Mutex<[UnownedJob]>([])
  private let ready = DispatchSemaphore(value: 0)

  /// An executor whose jobs run once a thread calls ``run()``.
  public init() {}

  /// An executor running on a new detached thread, which lives as long as the process.
  public static func onNewThread() -> ThreadExecutor {
    let executor = ThreadExecutor()
    _ = startDetachedThread { executor.run() }
    return executor
  }

  /// Queues `job` for the executor's thread.
  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    jobs.withLock { $0.append(job) }
    ready.signal()
  }

  /// Runs the jobs as they come, on the calling thread, for good.
  public func run() -> Never {
    while true {
      ready.wait()
      let job = jobs.withLock { $0.removeFirst() }
      job.runSynchronously(on: asUnownedTaskExecutor())
    }
  }
}
