// Signal and window-size helpers for the terminal adapter: the self-pipe trick needs a real C
// signal handler, and TIOCGWINSZ needs ioctl, neither of which Swift can express directly.
#ifndef TERMINAL_SUPPORT_H
#define TERMINAL_SUPPORT_H

/// Installs a handler for each signal in `signals` that writes the signal number (one byte) to
/// `write_fd`, after unblocking them in the calling thread. Returns 0, or -1 with errno.
int ts_install_signal_pipe(int write_fd, const int *signals, int count);

/// Restores the default disposition of the signals installed by ts_install_signal_pipe.
void ts_restore_signals(const int *signals, int count);

/// The terminal size of `fd` (rows, columns); returns 0, or -1 when it is not a terminal.
int ts_window_size(int fd, int *rows, int *columns);

/// Makes `fd` non-blocking and close-on-exec.
int ts_make_nonblocking(int fd);

/// Saves `tty_fd`'s terminal modes and installs handlers for fatal signals (SIGSEGV, SIGBUS,
/// SIGILL, SIGTRAP, SIGABRT, SIGFPE) that restore them, leave the alternate screen, show the
/// cursor, and then let the signal take its default course. Only async-signal-safe calls.
void ts_install_fatal_restore(int tty_fd);

/// Removes the fatal-signal handlers.
void ts_remove_fatal_restore(void);

/// For a prompt that turns echo off: saves `tty_fd`'s terminal modes and, until
/// ts_prompt_guard_remove, makes SIGHUP, SIGINT, SIGTERM and SIGQUIT restore them before the
/// signal takes its default course (a killed prompt must not leave the terminal without echo).
/// Returns 0, or -1 when the modes cannot be read (nothing is installed then).
int ts_prompt_guard_install(int tty_fd);

/// Puts back the signal handlers ts_prompt_guard_install replaced.
void ts_prompt_guard_remove(void);

/// Until ts_alternate_screen_guard_remove, makes SIGHUP, SIGINT, SIGTERM and SIGQUIT leave the
/// terminal's alternate screen (written to `fd`) before dying, so what was drawn there (a QR
/// code, a secret) never stays on the terminal.
int ts_alternate_screen_guard_install(int fd);

/// Puts back the signal handlers ts_alternate_screen_guard_install replaced.
void ts_alternate_screen_guard_remove(void);

/// Keeps the process's memory (tokens, the derived keyfile key) out of core files and away from
/// other processes of the same user: RLIMIT_CORE 0 (hard limit too) and PR_SET_DUMPABLE 0 (which
/// also closes /proc/<pid>/mem and ptrace to them). Returns 0, or -1 if either call failed.
int ts_forbid_core_dumps(void);

/// The commit this binary was packaged from, or "" for a build that was not packaged. The bytes
/// live in the ELF section `.cognito_commit` (64 bytes, NUL-padded), which `scripts/package`
/// fills in with `objcopy --update-section`: stamping the commit needs no rebuild.
const char *ts_build_commit(void);
#endif
