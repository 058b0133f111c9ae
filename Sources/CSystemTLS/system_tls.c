#include "system_tls.h"

#include <pthread.h>
#include <stdio.h>

#include "library_loader.h"

#define SONAME "libssl.so.3"

CL_DLOPEN_NOTE(libssl_note,
               "[{\"feature\":\"tls\",\"description\":\"TLS to Cognito and to HTTPS proxies\",\"priority\":\"required\",\"soname\":[\"" SONAME "\"]}]");

static const char *const names[] = {
#define NAME(name) #name,
    COGNITO_LIBSSL_FUNCTIONS(NAME)
#undef NAME
};
enum { count = sizeof names / sizeof names[0] };

static cognito_libssl table;
static int loaded;
static char reason[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *slots[count];
  if (cl_load(SONAME, names, slots, count, reason, sizeof reason) != 0) return;
  size_t index = 0;
#define ASSIGN(name) table.name = (__typeof__(table.name))slots[index++];
  COGNITO_LIBSSL_FUNCTIONS(ASSIGN)
#undef ASSIGN
  loaded = 1;
}

const cognito_libssl *cognito_libssl_load(char *error, unsigned long error_size) {
  pthread_once(&once, load);
  if (loaded) return &table;
  snprintf(error, error_size, "%s", reason);
  return NULL;
}
