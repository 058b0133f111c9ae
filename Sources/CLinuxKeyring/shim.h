// The Linux kernel key-retention service (keyrings(7)) through raw system calls: libkeyutils is
// not needed, and Swift cannot call the variadic syscall(2) itself.
#ifndef CLINUXKEYRING_SHIM_H
#define CLINUXKEYRING_SHIM_H
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CKR_SPEC_SESSION_KEYRING (-3)
#define CKR_SPEC_USER_KEYRING (-4)
#define CKR_SPEC_USER_SESSION_KEYRING (-5)
#define CKR_KEYCTL_GET_KEYRING_ID 0
#define CKR_KEYCTL_SETPERM 5
#define CKR_KEYCTL_REVOKE 3
#define CKR_KEYCTL_UNLINK 9
#define CKR_KEYCTL_SEARCH 10
#define CKR_KEYCTL_READ 11
#define CKR_KEYCTL_SET_TIMEOUT 15
#define CKR_KEYCTL_INVALIDATE 21

static inline int ckr_errno(void) { return errno; }

static inline long ckr_add_key(const char *type, const char *description, const void *payload,
                               size_t length, int32_t keyring) {
#ifdef SYS_add_key
  return syscall(SYS_add_key, type, description, payload, length, keyring);
#else
  errno = ENOSYS;
  return -1;
#endif
}

static inline long ckr_keyctl(int command, unsigned long a2, unsigned long a3, unsigned long a4,
                              unsigned long a5) {
#ifdef SYS_keyctl
  return syscall(SYS_keyctl, command, a2, a3, a4, a5);
#else
  errno = ENOSYS;
  return -1;
#endif
}

static inline long ckr_search(int32_t keyring, const char *type, const char *description) {
  return ckr_keyctl(CKR_KEYCTL_SEARCH, (unsigned long)(long)keyring, (unsigned long)(uintptr_t)type,
                    (unsigned long)(uintptr_t)description, 0);
}

// The serial of a special keyring, without creating one (a process with no session keyring gets
// the user-session keyring here, where add_key(@s) would create a private anonymous one).
static inline long ckr_keyring_id(int32_t special) {
  return ckr_keyctl(CKR_KEYCTL_GET_KEYRING_ID, (unsigned long)(long)special, 0, 0, 0);
}

static inline long ckr_set_permissions(int32_t key, uint32_t permissions) {
  return ckr_keyctl(CKR_KEYCTL_SETPERM, (unsigned long)(long)key, permissions, 0, 0);
}

static inline long ckr_read(int32_t key, void *buffer, size_t length) {
  return ckr_keyctl(CKR_KEYCTL_READ, (unsigned long)(long)key, (unsigned long)(uintptr_t)buffer,
                    (unsigned long)length, 0);
}

static inline long ckr_set_timeout(int32_t key, unsigned int seconds) {
  return ckr_keyctl(CKR_KEYCTL_SET_TIMEOUT, (unsigned long)(long)key, seconds, 0, 0);
}

static inline long ckr_invalidate(int32_t key) {
  long result = ckr_keyctl(CKR_KEYCTL_INVALIDATE, (unsigned long)(long)key, 0, 0, 0);
  if (result < 0) result = ckr_keyctl(CKR_KEYCTL_REVOKE, (unsigned long)(long)key, 0, 0, 0);
  return result;
}
#endif
