// libqrencode, loaded the first time a QR code is drawn rather than at every start (see
// library_loader.h). Headers from libqrencode-dev.
#ifndef QRENCODE_RUNTIME_H
#define QRENCODE_RUNTIME_H
#include <qrencode.h>

/// The libqrencode functions the QR code module calls.
#define COGNITO_QRENCODE_FUNCTIONS(X)                                                          \
  X(QRcode_encodeString8bit)                                                                   \
  X(QRcode_free)

/// libqrencode's functions, each with the type its header declares.
typedef struct cognito_qrencode {
#define COGNITO_QRENCODE_FUNCTION(name) __typeof__(name) *_Nonnull name;
  COGNITO_QRENCODE_FUNCTIONS(COGNITO_QRENCODE_FUNCTION)
#undef COGNITO_QRENCODE_FUNCTION
} cognito_qrencode;

/// libqrencode.so.4, loaded on the first call; later calls return the same table. NULL when it
/// cannot be loaded, with the reason in `*reason` (valid for the life of the process).
const cognito_qrencode *_Nullable cognito_qrencode_load(const char *_Nullable *_Nonnull reason);

#endif
