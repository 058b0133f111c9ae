// Loading a shared library on first use instead of at every start (the way systemd loads its
// optional libraries): OpenSSL and ncursesw cost several milliseconds to map and relocate, and
// most commands never touch them. Each library's target keeps a table of the functions it uses,
// filled once from dlopen/dlsym; the table's type comes from the library's own header, so a
// signature that does not match is a compile error, as with ordinary linking.
#ifndef LIBRARY_LOADER_H
#define LIBRARY_LOADER_H
#include <pthread.h>
#include <stddef.h>

/// One library loaded on first use: what to open and resolve, how to fill the typed table, and
/// the state of the one attempt (made once per process; every later call gets its outcome).
typedef struct cl_library {
  const char *soname;
  const char *const *names;
  size_t count;
  /// Copies the resolved addresses (`slots[i]` for `names[i]`) into the library's typed table.
  void (*assign)(void *const *slots);
  pthread_mutex_t lock;
  int state; // 0 not tried, 1 loaded, -1 failed
  char reason[256];
} cl_library;

/// A `cl_library` for `soname`, whose symbols are the array `names`.
#define CL_LIBRARY(soname, names, assign)                                                        \
  {soname, names, sizeof(names) / sizeof((names)[0]), assign, PTHREAD_MUTEX_INITIALIZER, 0, ""}

/// Loads `library` the first time it is called (from any thread) and returns 0 when its table is
/// filled; otherwise -1 and, in `*reason`, a one-line reason ("libssl.so.3: cannot open shared
/// object file…", or the first symbol missing) that stays valid for the life of the process.
int cl_load_once(cl_library *library, const char **reason);

/// Records, in the binary's `.note.dlopen` section, a library the program loads with dlopen, in
/// freedesktop.org's "ELF dlopen metadata" format (a note of owner "FDO", type 0x407c0c0a, whose
/// description is a JSON array of {"feature", "description", "priority", "soname": [...]}).
/// The dynamic section no longer names such a library; scripts/package reads these notes to put
/// its package into the .deb's Depends.
#define CL_DLOPEN_NOTE(identifier, json)                                                       \
  __attribute__((used, retain, section(".note.dlopen"), aligned(4))) static const struct {     \
    unsigned int name_size, description_size, type;                                           \
    char name[4];                                                                              \
    char description[(sizeof(json) + 3) & ~3UL];                                               \
  } identifier = {4, sizeof(json), 0x407c0c0aU, "FDO", json}

#endif
