// OpenSSL's libssl, for TLS to the Cognito endpoint (and to an HTTPS proxy tunnel's far end),
// loaded on the first TLS connection rather than at every start (see library_loader.h).
// Swift cannot import OpenSSL's function-like macros, so the few the transport needs are
// wrapped here as inline functions over the same table.
#ifndef SYSTEM_TLS_H
#define SYSTEM_TLS_H
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/// The libssl and libcrypto functions the transport calls.
#define COGNITO_LIBSSL_FUNCTIONS(X)                                                            \
  X(TLS_client_method)                                                                         \
  X(SSL_CTX_new)                                                                               \
  X(SSL_CTX_free)                                                                              \
  X(SSL_CTX_ctrl)                                                                              \
  X(SSL_CTX_set_verify)                                                                        \
  X(SSL_CTX_load_verify_locations)                                                             \
  X(SSL_CTX_set_default_verify_paths)                                                          \
  X(SSL_new)                                                                                   \
  X(SSL_free)                                                                                  \
  X(SSL_ctrl)                                                                                  \
  X(SSL_set_fd)                                                                                \
  X(SSL_set1_host)                                                                             \
  X(SSL_get0_param)                                                                            \
  X(SSL_connect)                                                                               \
  X(SSL_read)                                                                                  \
  X(SSL_peek)                                                                                  \
  X(SSL_write)                                                                                 \
  X(SSL_get_error)                                                                             \
  X(SSL_get_verify_result)                                                                     \
  X(X509_VERIFY_PARAM_set1_ip_asc)                                                             \
  X(X509_verify_cert_error_string)                                                             \
  X(X509_get_default_cert_dir)                                                                 \
  X(ERR_clear_error)                                                                           \
  X(ERR_peek_last_error)                                                                       \
  X(ERR_reason_error_string)

/// libssl's functions, each with the type its header declares.
typedef struct cognito_libssl {
#define COGNITO_LIBSSL_FIELD(name) __typeof__(name) *_Nonnull name;
  COGNITO_LIBSSL_FUNCTIONS(COGNITO_LIBSSL_FIELD)
#undef COGNITO_LIBSSL_FIELD
} cognito_libssl;

/// libssl.so.3 (and through it libcrypto.so.3), loaded on the first call; later calls, from any
/// thread, return the same table. NULL when it cannot be loaded; `*reason` then says why (the
/// same text on every call, valid for the life of the process).
const cognito_libssl *_Nullable cognito_libssl_load(const char *_Nullable *_Nonnull reason);

/// Requires TLS 1.2 or later (SSL_CTX_set_min_proto_version).
static inline int cognito_tls_require_tls12(const cognito_libssl *_Nonnull ssl, SSL_CTX *_Nonnull context) {
  return (int)ssl->SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
}

/// Sends the server name (SNI) in the handshake (SSL_set_tlsext_host_name).
static inline int cognito_tls_set_server_name(const cognito_libssl *_Nonnull ssl, SSL *_Nonnull connection,
                                              const char *_Nonnull name) {
  return (int)ssl->SSL_ctrl(connection, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                            (void *)name);
}

/// Checks the certificate against an IP address (for an endpoint given as an address).
static inline int cognito_tls_expect_ip(const cognito_libssl *_Nonnull ssl, SSL *_Nonnull connection,
                                        const char *_Nonnull address) {
  return ssl->X509_VERIFY_PARAM_set1_ip_asc(ssl->SSL_get0_param(connection), address);
}
#endif
