import ArgumentParser
import CTerminalSupport
import Dispatch
import Glibc
import HTTPStack

/// The process's entry point: no core file and no ptrace before anything is read or decrypted,
/// then the command line.
///
/// What answers at once (`--version`, `--help`, a completion script, a usage error) finishes here,
/// synchronously, without starting Swift's concurrency runtime and its threads; a command runs
/// as a task on it, and the process ends with the command (`exit`), as ArgumentParser's own
/// `AsyncParsableCommand.main()` would end it.
@main
enum Entry {
  static func main() {
    _ = ts_forbid_core_dumps()
    // `--version` alone is answered before the argument parser is built: building it reflects
    // over every option (≈ 3 ms here), which the one line does not need. Same text, same exit.
    if CommandLine.arguments.dropFirst() == ["--version"] {
      print(CognitoAccountCommand.versionText)
      return
    }
    // The command lines scripts run in loops are read without building the argument parser
    // (≈ 5 ms of reflection); the parser reads every other line, as before.
    if let quick = QuickCommandLine.parse(CommandLine.arguments.dropFirst()) {
      runToExit { try await quick.run() }
    }
    let parsed: any ParsableCommand
    do {
      parsed = try CognitoAccountCommand.parseAsRoot()
    } catch {
      CognitoAccountCommand.exit(withError: error)
    }
    guard let asyncCommand = parsed as? any AsyncParsableCommand else {
      var command = parsed
      do {
        try command.run()
        CognitoAccountCommand.exit()
      } catch {
        finish(error)
      }
    }
    // Handed to the task; this thread only waits for it from here on.
    nonisolated(unsafe) var command = asyncCommand
    runToExit { try await command.run() }
  }

  /// Runs `body` as a task on this thread (a `ThreadExecutor` it prefers) and ends the process
  /// with its outcome. A command that stays on it starts no thread of Swift's shared pool:
  /// before, Dispatch started three or four workers at every start, each with its own stack and
  /// malloc arena.
  ///
  /// Nothing here runs on the main actor, so the main queue needs no servicing:
  /// `dispatchMain()` ended this thread with `pthread_exit`, and glibc then loaded libgcc_s to
  /// unwind it, a `dlopen` on every run.
  static func runToExit(_ body: @escaping @Sendable () async throws -> Void) -> Never {
    let executor = ThreadExecutor()
    Task(executorPreference: executor) {
      do {
        try await body()
      } catch {
        finish(error)
      }
      end(0)
    }
    executor.run()
  }

  /// Ends the process with `status` once standard I/O is flushed, without the other exit
  /// handlers: they are the static destructors of the Swift and C++ runtimes and OpenSSL's
  /// clean-up, freeing memory the kernel frees anyway (≈ 0.08 ms of every run). Nothing of ours
  /// registers one; what must happen before the end (the terminal restored, the audit log
  /// synced) is done explicitly. (Tools that write at exit, such as LLVM's coverage files, would
  /// need `exit`; none is used on this binary.)
  static func end(_ status: Int32) -> Never {
    fflush(nil)
    Glibc._exit(status)
  }

  /// Ends the process for a command's outcome. A command's own exit status (`ExitCode`, its
  /// message already printed) ends it at once: ArgumentParser's `exit(withError:)` would first
  /// build the whole command's help text to see whether it has anything to print, ≈ 0.7 ms of
  /// every failing run.
  static func finish(_ error: any Error) -> Never {
    if let code = error as? ExitCode { end(code.rawValue) }
    CognitoAccountCommand.exit(withError: error)
  }
}
