#!/usr/bin/env python3
"""Independent reader of the keyfile format (version 2), built on PyPI `cryptography`.

usage: keyfile_reference.py KEYFILE          (passphrase on stdin; prints the session JSON)
       keyfile_reference.py --keys KEYFILE   (prints, in hex, scrypt's master key, then the
                                             unlock cache's payload: key check + AEAD key)
It shares no code with the Swift implementation: a format or crypto mistake on either side
makes the keyfile tests fail.
"""

import hashlib
import hmac
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

keys_only = sys.argv[1] == "--keys"
data = open(sys.argv[-1], "rb").read()
passphrase = sys.stdin.buffer.read().rstrip(b"\n")
assert data[:8] == b"\x89CGAK\r\n\x1a", "magic"
assert data[8] == 2 and data[9] == 1 and data[35] == 1, "version, KDF and cipher ids"
assert hashlib.sha256(data[:68]).digest()[:8] == data[68:76], "header checksum"
log_n, salt, nonce, check = data[10], data[19:35], data[36:48], data[48:64]
r, p = int.from_bytes(data[11:15], "big"), int.from_bytes(data[15:19], "big")
length = int.from_bytes(data[64:68], "big")
assert len(data) == 76 + length + 16, "length"
master = Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p).derive(passphrase)
mac = hmac.new(master, b"cognito-account keyfile v1 key check", hashlib.sha256).digest()
assert mac[:16] == check, "key check"
key = HKDF(
    algorithm=hashes.SHA256(), length=32, salt=None, info=b"cognito-account keyfile v1 encryption"
).derive(master)
if keys_only:
    print(master.hex())
    print((mac[:16] + key).hex())
else:
    sys.stdout.buffer.write(ChaCha20Poly1305(key).decrypt(nonce, data[76:], data[:76]))
