#include "library_loader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int cl_load(const char *soname, const char *const *names, void **slots, size_t count,
            char *error, size_t error_size) {
  void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    const char *reason = dlerror();
    snprintf(error, error_size, "%s", reason != NULL ? reason : soname);
    return -1;
  }
  for (size_t index = 0; index < count; index++) {
    slots[index] = dlsym(handle, names[index]);
    if (slots[index] == NULL) {
      snprintf(error, error_size, "%s has no symbol %s", soname, names[index]);
      memset(slots, 0, count * sizeof *slots);
      dlclose(handle);
      return -1;
    }
  }
  return 0;
}
