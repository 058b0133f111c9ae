#include "ncursesw_runtime.h"

#include <pthread.h>
#include <stdio.h>

#include "library_loader.h"

#define SONAME "libncursesw.so.6"

CL_DLOPEN_NOTE(ncursesw_note,
               "[{\"feature\":\"screen\",\"description\":\"the interactive screen\",\"priority\":\"required\",\"soname\":[\"" SONAME "\"]}]");

static const char *const names[] = {
#define NAME(name) #name,
    COGNITO_NCURSES_FUNCTIONS(NAME) COGNITO_NCURSES_VARIABLES(NAME)
#undef NAME
};
enum { count = sizeof names / sizeof names[0] };

static cognito_ncurses table;
static int loaded;
static char reason[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *slots[count];
  if (cl_load(SONAME, names, slots, count, reason, sizeof reason) != 0) return;
  size_t index = 0;
#define ASSIGN(name) table.name = (__typeof__(table.name))slots[index++];
  COGNITO_NCURSES_FUNCTIONS(ASSIGN)
#undef ASSIGN
#define ASSIGN_ADDRESS(name) table.name##_address = (__typeof__(table.name##_address))slots[index++];
  COGNITO_NCURSES_VARIABLES(ASSIGN_ADDRESS)
#undef ASSIGN_ADDRESS
  loaded = 1;
}

const cognito_ncurses *cognito_ncurses_load(char *error, unsigned long error_size) {
  pthread_once(&once, load);
  if (loaded) return &table;
  snprintf(error, error_size, "%s", reason);
  return NULL;
}
