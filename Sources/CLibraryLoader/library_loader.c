#include "library_loader.h"

#include <dlfcn.h>
#include <stdio.h>

/// Opens the library (RTLD_NOW | RTLD_LOCAL: its symbols stay out of the program's global
/// scope) and resolves every name; on failure nothing is kept open and `reason` says why.
static int load(cl_library *library) {
  void *handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    const char *error = dlerror();
    snprintf(library->reason, sizeof library->reason, "%s", error != NULL ? error : library->soname);
    return -1;
  }
  void *slots[library->count];
  for (size_t index = 0; index < library->count; index++) {
    slots[index] = dlsym(handle, library->names[index]);
    if (slots[index] == NULL) {
      snprintf(library->reason, sizeof library->reason, "%s has no symbol %s", library->soname,
               library->names[index]);
      dlclose(handle);
      return -1;
    }
  }
  library->assign(slots);
  return 0;
}

int cl_load_once(cl_library *library, const char **reason) {
  pthread_mutex_lock(&library->lock);
  if (library->state == 0) library->state = load(library) == 0 ? 1 : -1;
  int state = library->state;
  pthread_mutex_unlock(&library->lock);
  if (state == 1) return 0;
  *reason = library->reason;
  return -1;
}
