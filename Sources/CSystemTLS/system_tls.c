#include "system_tls.h"

#include "library_loader.h"

#define SONAME "libssl.so.3"

CL_DLOPEN_NOTE(libssl_note,
               "[{\"feature\":\"tls\",\"description\":\"TLS to Cognito and to HTTPS proxies\",\"priority\":\"required\",\"soname\":[\"" SONAME "\"]}]");

static const char *const names[] = {
#define NAME(name) #name,
    COGNITO_LIBSSL_FUNCTIONS(NAME)
#undef NAME
};

static cognito_libssl table;

static void assign(void *const *slots) {
  size_t index = 0;
#define ASSIGN(name) table.name = (__typeof__(table.name))slots[index++];
  COGNITO_LIBSSL_FUNCTIONS(ASSIGN)
#undef ASSIGN
}

static cl_library library = CL_LIBRARY(SONAME, names, assign);

const cognito_libssl *cognito_libssl_load(const char **reason) {
  return cl_load_once(&library, reason) == 0 ? &table : NULL;
}
