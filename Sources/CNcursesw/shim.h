// ncursesw with the wide-character API, plus accessors for what Swift cannot import
// (globals that Swift 6 rejects as not concurrency-safe, and function-like macros).
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_colors(void) { return COLORS; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline WINDOW *cnc_curscr(void) { return curscr; }
/* tigetstr's "absent" and "cancelled" results ((char *)0 and (char *)-1) as a boolean. */
static inline int cnc_has_capability(const char *name) {
  char *value = tigetstr(name);
  return value != 0 && value != (char *)-1;
}
#endif
