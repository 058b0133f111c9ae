#include "system_crypto.h"

#include "library_loader.h"

#define SONAME "libcrypto.so.3"

CL_DLOPEN_NOTE(libcrypto_note,
               "[{\"feature\":\"srp\",\"description\":\"SRP sign-in arithmetic\",\"priority\":\"required\",\"soname\":[\"" SONAME "\"]}]");

static const char *const names[] = {
#define NAME(name) #name,
    COGNITO_LIBCRYPTO_FUNCTIONS(NAME)
#undef NAME
};

static cognito_libcrypto table;

static void assign(void *const *slots) {
  size_t index = 0;
#define ASSIGN(name) table.name = (__typeof__(table.name))slots[index++];
  COGNITO_LIBCRYPTO_FUNCTIONS(ASSIGN)
#undef ASSIGN
}

static cl_library library = CL_LIBRARY(SONAME, names, assign);

const cognito_libcrypto *cognito_libcrypto_load(const char **reason) {
  return cl_load_once(&library, reason) == 0 ? &table : NULL;
}
