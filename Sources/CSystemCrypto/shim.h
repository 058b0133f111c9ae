// OpenSSL's big-number API (libcrypto), used for SRP-6a modular arithmetic.
#ifndef CSYSTEMCRYPTO_SHIM_H
#define CSYSTEMCRYPTO_SHIM_H
#include <openssl/bn.h>
#include <openssl/crypto.h>
#endif
