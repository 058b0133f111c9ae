// OpenSSL's big-number API (libcrypto), for SRP-6a modular arithmetic, loaded on the first SRP
// sign-in rather than at every start (see library_loader.h).
#ifndef SYSTEM_CRYPTO_H
#define SYSTEM_CRYPTO_H
#include <openssl/bn.h>

/// The libcrypto functions SRP calls.
#define COGNITO_LIBCRYPTO_FUNCTIONS(X)                                                         \
  X(BN_new)                                                                                    \
  X(BN_clear_free)                                                                             \
  X(BN_bin2bn)                                                                                 \
  X(BN_bn2bin)                                                                                 \
  X(BN_hex2bn)                                                                                 \
  X(BN_num_bits)                                                                               \
  X(BN_is_zero)                                                                                \
  X(BN_CTX_new)                                                                                \
  X(BN_CTX_free)                                                                               \
  X(BN_nnmod)                                                                                  \
  X(BN_mod_mul)                                                                                \
  X(BN_mod_sub)                                                                                \
  X(BN_mul)                                                                                    \
  X(BN_add)                                                                                    \
  X(BN_mod_exp_mont_consttime)

/// libcrypto's functions, each with the type its header declares.
typedef struct cognito_libcrypto {
#define COGNITO_LIBCRYPTO_FIELD(name) __typeof__(name) *_Nonnull name;
  COGNITO_LIBCRYPTO_FUNCTIONS(COGNITO_LIBCRYPTO_FIELD)
#undef COGNITO_LIBCRYPTO_FIELD
} cognito_libcrypto;

/// libcrypto.so.3, loaded on the first call; later calls, from any thread, return the same
/// table. NULL when it cannot be loaded; `*reason` then says why (the same text
/// on every call, valid for the life of the process).
const cognito_libcrypto *_Nullable cognito_libcrypto_load(const char *_Nullable *_Nonnull reason);
#endif
