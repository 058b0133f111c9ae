#include "ncursesw_runtime.h"

#include "library_loader.h"

#define SONAME "libncursesw.so.6"

CL_DLOPEN_NOTE(ncursesw_note,
               "[{\"feature\":\"screen\",\"description\":\"the interactive screen\",\"priority\":\"required\",\"soname\":[\"" SONAME "\"]}]");

static const char *const names[] = {
#define NAME(name) #name,
    COGNITO_NCURSES_FUNCTIONS(NAME) COGNITO_NCURSES_VARIABLES(NAME)
#undef NAME
};

static cognito_ncurses table;

static void assign(void *const *slots) {
  size_t index = 0;
#define ASSIGN(name) table.name = (__typeof__(table.name))slots[index++];
  COGNITO_NCURSES_FUNCTIONS(ASSIGN)
#undef ASSIGN
#define ASSIGN(name) table.name##_address = (__typeof__(table.name##_address))slots[index++];
  COGNITO_NCURSES_VARIABLES(ASSIGN)
#undef ASSIGN
}

static cl_library library = CL_LIBRARY(SONAME, names, assign);

const cognito_ncurses *cognito_ncurses_load(const char **reason) {
  return cl_load_once(&library, reason) == 0 ? &table : NULL;
}
