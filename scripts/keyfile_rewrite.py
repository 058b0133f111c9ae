#!/usr/bin/env python3
"""Benchmark helper: rewrites the session in a keyfile (format version 2).

usage: keyfile_rewrite.py KEYFILE expire          the access token looks expired
       keyfile_rewrite.py KEYFILE endpoint URL    the session was made at URL (a proxy in front)
The passphrase comes on stdin. Same salt and key; a fresh nonce.
"""

import hashlib
import hmac
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

path = sys.argv[1]
data = open(path, "rb").read()
passphrase = sys.stdin.buffer.read().rstrip(b"\n")
log_n, salt, nonce = data[10], data[19:35], data[36:48]
r, p = int.from_bytes(data[11:15], "big"), int.from_bytes(data[15:19], "big")
master = Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p).derive(passphrase)
key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
           info=b"cognito-account keyfile v1 encryption").derive(master)
session = json.loads(ChaCha20Poly1305(key).decrypt(nonce, data[76:], data[:76]))
if sys.argv[2] == "expire":
    session["accessTokenExpiresAt"] = 0
elif sys.argv[2] == "endpoint":
    session["endpoint"] = sys.argv[3]
else:
    sys.exit("usage: keyfile_rewrite.py KEYFILE expire | endpoint URL")
plaintext = json.dumps(session, sort_keys=True, separators=(",", ":")).encode()
nonce = os.urandom(12)
header = bytearray(data[:68])
header[36:48] = nonce
header[64:68] = len(plaintext).to_bytes(4, "big")
header = bytes(header) + hashlib.sha256(bytes(header)).digest()[:8]
check = hmac.new(master, b"cognito-account keyfile v1 key check", hashlib.sha256).digest()[:16]
assert header[48:64] == check
temporary = path + ".bench-tmp"
with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
    handle.write(header + ChaCha20Poly1305(key).encrypt(nonce, plaintext, header))
os.rename(temporary, path)
