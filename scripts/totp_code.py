#!/usr/bin/env python3
"""Prints the current RFC 6238 code for a base32 secret (PyPI pyotp), as an authenticator app would.

usage: totp_code.py SECRET
"""

import sys

import pyotp

print(pyotp.TOTP(sys.argv[1]).now())
