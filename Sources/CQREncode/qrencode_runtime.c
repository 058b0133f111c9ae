#include "qrencode_runtime.h"

#include "library_loader.h"

#define SONAME "libqrencode.so.4"

CL_DLOPEN_NOTE(qrencode_note,
               "[{\"feature\":\"qr\",\"description\":\"QR codes for authenticator apps\",\"priority\":\"recommended\",\"soname\":[\"" SONAME "\"]}]");

static const char *const names[] = {
#define NAME(name) #name,
    COGNITO_QRENCODE_FUNCTIONS(NAME)
#undef NAME
};

static cognito_qrencode table;

static void assign(void *const *slots) {
  size_t index = 0;
#define ASSIGN(name) table.name = (__typeof__(table.name))slots[index++];
  COGNITO_QRENCODE_FUNCTIONS(ASSIGN)
#undef ASSIGN
}

static cl_library library = CL_LIBRARY(SONAME, names, assign);

const cognito_qrencode *cognito_qrencode_load(const char **reason) {
  return cl_load_once(&library, reason) == 0 ? &table : NULL;
}
