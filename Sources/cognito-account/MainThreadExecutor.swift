import Dispatch
import Synchronization

/// Runs a command's task on the main thread, which would otherwise only wait for it.
///
/// The command's task prefers this executor (SE-0417), and so do the default actors it calls.
/// A command that stays on it starts no thread of Swift's global pool: before, Dispatch started
/// three or four workers at every start, each with its own stack and malloc arena. Work that
/// asks for the global pool still gets it: a detached or unstructured `Task` (the screen's
/// effects, a token refresh shared between callers), a `Task.sleep`.
///
/// The screens and the prompts block this thread while they run (reading keys). A child task
/// of the command's task (`async let`, a task group) inherits this executor, so it cannot run
/// while they block: start such work detached, as the screens' effects are.
final class MainThreadExecutor: TaskExecutor, @unchecked Sendable {
  private let jobs = Mutex<[UnownedJob]>([])
  private let ready = DispatchSemaphore(value: 0)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    jobs.withLock { $0.append(job) }
    ready.signal()
  }

  /// Runs the jobs as they come, on the calling thread, for good: the task ends the process.
  func run() -> Never {
    while true {
      ready.wait()
      let job = jobs.withLock { $0.removeFirst() }
      job.runSynchronously(on: asUnownedTaskExecutor())
    }
  }
}
