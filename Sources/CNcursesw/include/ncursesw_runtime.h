// ncursesw with the wide-character API, loaded when the screen opens rather than at every start
// (see library_loader.h), plus what Swift cannot import: function-like macros and globals.
#ifndef NCURSESW_RUNTIME_H
#define NCURSESW_RUNTIME_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/// The ncursesw (and terminfo) functions the terminal adapter calls.
#define COGNITO_NCURSES_FUNCTIONS(X)                                                           \
  X(newterm)                                                                                   \
  X(set_term)                                                                                  \
  X(endwin)                                                                                    \
  X(delscreen)                                                                                 \
  X(cbreak)                                                                                    \
  X(noecho)                                                                                    \
  X(nonl)                                                                                      \
  X(keypad)                                                                                    \
  X(nodelay)                                                                                   \
  X(set_escdelay)                                                                              \
  X(has_colors)                                                                                \
  X(start_color)                                                                               \
  X(use_default_colors)                                                                        \
  X(init_pair)                                                                                 \
  X(clearok)                                                                                   \
  X(wmove)                                                                                     \
  X(wattr_set)                                                                                 \
  X(waddnwstr)                                                                                 \
  X(wrefresh)                                                                                  \
  X(wtimeout)                                                                                  \
  X(wget_wch)                                                                                  \
  X(resizeterm)                                                                                \
  X(curs_set)                                                                                  \
  X(tigetstr)

/// The ncursesw globals the adapter reads (their addresses, in this order after the functions).
#define COGNITO_NCURSES_VARIABLES(X)                                                           \
  X(stdscr)                                                                                    \
  X(curscr)                                                                                    \
  X(LINES)                                                                                     \
  X(COLS)

/// ncursesw's functions, each with the type its header declares, and its globals' addresses.
typedef struct cognito_ncurses {
#define COGNITO_NCURSES_FUNCTION(name) __typeof__(name) *_Nonnull name;
  COGNITO_NCURSES_FUNCTIONS(COGNITO_NCURSES_FUNCTION)
#undef COGNITO_NCURSES_FUNCTION
  WINDOW *_Nullable *_Nonnull stdscr_address;
  WINDOW *_Nullable *_Nonnull curscr_address;
  int *_Nonnull LINES_address;
  int *_Nonnull COLS_address;
} cognito_ncurses;

/// libncursesw.so.6 (and through it libtinfo.so.6), loaded on the first call; later calls
/// return the same table. NULL when it cannot be loaded; `*reason` then says why (the same text
/// on every call, valid for the life of the process).
const cognito_ncurses *_Nullable cognito_ncurses_load(const char *_Nullable *_Nonnull reason);

static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
#endif
