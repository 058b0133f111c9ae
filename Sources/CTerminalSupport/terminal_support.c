#define _GNU_SOURCE
#include "terminal_support.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

static volatile int signal_write_fd = -1;

static void forward_signal(int number) {
  int saved = errno;
  unsigned char byte = (unsigned char)number;
  if (signal_write_fd >= 0) {
    ssize_t ignored = write(signal_write_fd, &byte, 1);
    (void)ignored;
  }
  errno = saved;
}

int ts_install_signal_pipe(int write_fd, const int *signals, int count) {
  signal_write_fd = write_fd;
  sigset_t set;
  sigemptyset(&set);
  for (int i = 0; i < count; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(signals[i], &action, NULL) != 0) return -1;
    sigaddset(&set, signals[i]);
  }
  return pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0 ? 0 : -1;
}

void ts_restore_signals(const int *signals, int count) {
  for (int i = 0; i < count; i++) signal(signals[i], SIG_DFL);
  signal_write_fd = -1;
}

int ts_window_size(int fd, int *rows, int *columns) {
  struct winsize size;
  if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
  *rows = size.ws_row;
  *columns = size.ws_col;
  return 0;
}

int ts_make_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -1;
  if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return -1;
  return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static int fatal_tty_fd = -1;
static struct termios fatal_saved_modes;
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};

static void restore_and_die(int number) {
  if (fatal_tty_fd >= 0) {
    tcsetattr(fatal_tty_fd, TCSANOW, &fatal_saved_modes);
    static const char reset[] = "\033[0m\033[?1049l\033[?25h\r\n";
    ssize_t ignored = write(fatal_tty_fd, reset, sizeof reset - 1);
    (void)ignored;
  }
  signal(number, SIG_DFL);
  raise(number);
}

void ts_install_fatal_restore(int tty_fd) {
  if (tcgetattr(tty_fd, &fatal_saved_modes) != 0) return;
  fatal_tty_fd = tty_fd;
  for (unsigned i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = restore_and_die;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(fatal_signals[i], &action, NULL);
  }
}

void ts_remove_fatal_restore(void) {
  for (unsigned i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
    signal(fatal_signals[i], SIG_DFL);
  }
  fatal_tty_fd = -1;
}

static int prompt_tty_fd = -1;
static struct termios prompt_saved_modes;
static const int prompt_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGQUIT};
#define PROMPT_SIGNAL_COUNT (sizeof prompt_signals / sizeof prompt_signals[0])
static struct sigaction prompt_previous[PROMPT_SIGNAL_COUNT];

static void restore_prompt_and_die(int number) {
  if (prompt_tty_fd >= 0) {
    tcsetattr(prompt_tty_fd, TCSANOW, &prompt_saved_modes);
    ssize_t ignored = write(prompt_tty_fd, "\n", 1);
    (void)ignored;
  }
  signal(number, SIG_DFL);
  raise(number);
}

int ts_prompt_guard_install(int tty_fd) {
  if (tcgetattr(tty_fd, &prompt_saved_modes) != 0) return -1;
  prompt_tty_fd = tty_fd;
  for (unsigned i = 0; i < PROMPT_SIGNAL_COUNT; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = restore_prompt_and_die;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(prompt_signals[i], &action, &prompt_previous[i]);
  }
  return 0;
}

void ts_prompt_guard_remove(void) {
  if (prompt_tty_fd < 0) return;
  for (unsigned i = 0; i < PROMPT_SIGNAL_COUNT; i++) {
    sigaction(prompt_signals[i], &prompt_previous[i], NULL);
  }
  prompt_tty_fd = -1;
}

static int screen_fd = -1;
static struct sigaction screen_previous[PROMPT_SIGNAL_COUNT];

static void leave_screen_and_die(int number) {
  if (screen_fd >= 0) {
    static const char leave[] = "\033[0m\033[?1049l";
    ssize_t ignored = write(screen_fd, leave, sizeof leave - 1);
    (void)ignored;
  }
  signal(number, SIG_DFL);
  raise(number);
}

int ts_alternate_screen_guard_install(int fd) {
  screen_fd = fd;
  for (unsigned i = 0; i < PROMPT_SIGNAL_COUNT; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = leave_screen_and_die;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(prompt_signals[i], &action, &screen_previous[i]);
  }
  return 0;
}

void ts_alternate_screen_guard_remove(void) {
  if (screen_fd < 0) return;
  for (unsigned i = 0; i < PROMPT_SIGNAL_COUNT; i++) {
    sigaction(prompt_signals[i], &screen_previous[i], NULL);
  }
  screen_fd = -1;
}

int ts_forbid_core_dumps(void) {
  struct rlimit none = {0, 0};
  int limited = setrlimit(RLIMIT_CORE, &none);
  int undumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  return limited == 0 && undumpable == 0 ? 0 : -1;
}

/* Not const and not static: the compiler cannot assume the contents, since scripts/package
 * replaces the section's bytes after linking. The bytes after the first NUL keep the section
 * in the file (a section of zeros would be NOBITS, which objcopy cannot fill). */
__attribute__((section(".cognito_commit"), used)) char ts_commit_stamp[64] = "\0unstamped";

const char *ts_build_commit(void) {
  ts_commit_stamp[sizeof ts_commit_stamp - 1] = 0;
  return ts_commit_stamp;
}
