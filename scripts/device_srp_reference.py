#!/usr/bin/env python3
"""Independent device-SRP reference: PyPI pycognito's own functions on fixed inputs.

Reads JSON from stdin: {"cases": [{"device_group_key", "device_key", "device_password",
"salt_hex", "small_a_hex", "srp_b_hex", "secret_block", "epoch_seconds"}]} and prints, per case:

- verifier_b64, salt_b64: the DeviceSecretVerifierConfig pycognito's generate_hash_device makes
  when its randomness is the given password and salt. The password must be what
  generate_hash_device makes, Base64 of random bytes (it is decoded to stand in for them); the
  salt goes through pycognito's pad_hex of the number salt_hex spells, as its random salt does
  (leading zero bytes dropped, one 00 byte added when the top bit is set).
- large_a_hex, key_hex, signature, timestamp: AWSSRP's A for the fixed a, its
  get_device_authentication_key and its process_device_challenge answer (PASSWORD_CLAIM_SIGNATURE
  and TIMESTAMP) for the challenge SALT salt_hex, SRP_B srp_b_hex, SECRET_BLOCK secret_block, at
  the fixed moment epoch_seconds.

The Swift device tests compare their own values with these; nothing here is shared with the
Swift implementation.
"""

import base64
import binascii
import datetime
import json
import sys

from pycognito import aws_srp


class _FixedClock:
    """Stands in for the datetime module inside aws_srp so the timestamp is fixed."""

    def __init__(self, moment):
        class _DateTime:
            @staticmethod
            def utcnow():
                return moment

        self.datetime = _DateTime


class _FixedRandom:
    """Stands in for the os module inside aws_srp: urandom answers the given bytes."""

    def __init__(self, data):
        self._data = data

    def urandom(self, _count):
        return self._data


def _password_bytes(password):
    try:
        data = base64.b64decode(password, validate=True)
    except binascii.Error:
        data = None
    if data is None or base64.standard_b64encode(data).decode() != password:
        sys.exit(f"device_password {password!r} is not Base64 as generate_hash_device makes it")
    return data


def verifier_config(case):
    real_os, real_get_random = aws_srp.os, aws_srp.get_random
    aws_srp.os = _FixedRandom(_password_bytes(case["device_password"]))
    aws_srp.get_random = lambda _count: aws_srp.hex_to_long(case["salt_hex"])
    try:
        password, config = aws_srp.generate_hash_device(case["device_group_key"],
                                                        case["device_key"])
    finally:
        aws_srp.os, aws_srp.get_random = real_os, real_get_random
    assert password == case["device_password"]
    return config


def run(case):
    config = verifier_config(case)
    srp = aws_srp.AWSSRP(
        username="unused",
        password="unused",
        pool_id="us-east-1_unused",
        client_id="unused",
        client=object(),  # never called: only the arithmetic is exercised
        device_key=case["device_key"],
        device_group_key=case["device_group_key"],
        device_password=case["device_password"],
    )
    srp.small_a_value = aws_srp.hex_to_long(case["small_a_hex"]) % srp.big_n
    srp.large_a_value = srp.calculate_a()
    key = srp.get_device_authentication_key(
        case["device_group_key"],
        case["device_key"],
        case["device_password"],
        aws_srp.hex_to_long(case["srp_b_hex"]),
        case["salt_hex"],
    )
    moment = datetime.datetime.fromtimestamp(case["epoch_seconds"], datetime.timezone.utc).replace(
        tzinfo=None
    )
    real_datetime = aws_srp.datetime
    aws_srp.datetime = _FixedClock(moment)
    try:
        answer = srp.process_device_challenge(
            {
                "USERNAME": "unused",
                "SALT": case["salt_hex"],
                "SRP_B": case["srp_b_hex"],
                "SECRET_BLOCK": case["secret_block"],
            }
        )
    finally:
        aws_srp.datetime = real_datetime
    return {
        "verifier_b64": config["PasswordVerifier"],
        "salt_b64": config["Salt"],
        "large_a_hex": aws_srp.long_to_hex(srp.large_a_value),
        "key_hex": bytes(key).hex(),
        "signature": answer["PASSWORD_CLAIM_SIGNATURE"],
        "timestamp": answer["TIMESTAMP"],
    }


if __name__ == "__main__":
    request = json.load(sys.stdin)
    json.dump([run(case) for case in request["cases"]], sys.stdout)
