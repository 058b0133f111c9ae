// OpenSSL's libssl, for TLS to the Cognito endpoint (and to an HTTPS proxy tunnel's far end).
// Swift cannot import OpenSSL's function-like macros, so the few the transport needs are
// wrapped here as inline functions.
#ifndef CSYSTEMTLS_SHIM_H
#define CSYSTEMTLS_SHIM_H
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/// Requires TLS 1.2 or later.
static inline int cognito_tls_require_tls12(SSL_CTX *context) {
  return (int)SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}

/// Sends the server name (SNI) in the handshake.
static inline int cognito_tls_set_server_name(SSL *connection, const char *name) {
  return (int)SSL_set_tlsext_host_name(connection, name);
}

/// Checks the certificate against an IP address (for an endpoint given as an address).
static inline int cognito_tls_expect_ip(SSL *connection, const char *address) {
  return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(connection), address);
}
#endif
