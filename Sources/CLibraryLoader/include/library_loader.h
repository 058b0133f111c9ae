// Loading a shared library on first use instead of at every start (the way systemd loads its
// optional libraries): OpenSSL and ncursesw cost several milliseconds to map and relocate, and
// most commands never touch them. Each library's target keeps a table of the functions it uses,
// filled once from dlopen/dlsym; the table's type comes from the library's own header, so a
// signature that does not match is a compile error, as with ordinary linking.
#ifndef LIBRARY_LOADER_H
#define LIBRARY_LOADER_H
#include <stddef.h>

/// Opens `soname` (RTLD_NOW | RTLD_LOCAL: its symbols stay out of the program's global scope)
/// and resolves `count` symbols: `slots[i]` receives the address of `names[i]`. Returns 0; or -1
/// with a one-line reason in `error` ("libssl.so.3: cannot open shared object file…", or the
/// first symbol missing), nothing kept open, and `slots` cleared.
int cl_load(const char *soname, const char *const *names, void **slots, size_t count,
            char *error, size_t error_size);

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
