#!/usr/bin/env python3
"""Prints the SHA-1 of standard input in hex: the AWS CLI names its SSO cache files so."""
import hashlib
import sys

sys.stdout.write(hashlib.sha1(sys.stdin.buffer.read()).hexdigest())
