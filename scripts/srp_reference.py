#!/usr/bin/env python3
"""Independent SRP reference: PyPI pycognito's AWSSRP on fixed inputs.

Reads JSON from stdin: {"cases": [{"pool_id", "user_id_for_srp", "password", "small_a_hex",
"salt_hex", "srp_b_hex", "secret_block", "epoch_seconds"}]} and prints, per case, pycognito's
A (hex), session key (hex), PASSWORD_CLAIM_SIGNATURE and TIMESTAMP. The Swift SRP tests compare
their own values with these; nothing here is shared with the Swift implementation.
"""

import datetime
import json
import sys

from pycognito import aws_srp


class _FixedClock:
    """Stands in for the datetime module inside aws_srp so the timestamp is fixed."""

    def __init__(self, moment):
        self._moment = moment

        class _DateTime:
            @staticmethod
            def utcnow():
                return moment

        self.datetime = _DateTime


def run(case):
    srp = aws_srp.AWSSRP(
        username=case["user_id_for_srp"],
        password=case["password"],
        pool_id=case["pool_id"],
        client_id="unused",
        client=object(),  # never called: only the arithmetic is exercised
    )
    srp.small_a_value = aws_srp.hex_to_long(case["small_a_hex"]) % srp.big_n
    srp.large_a_value = srp.calculate_a()
    moment = datetime.datetime.fromtimestamp(case["epoch_seconds"], datetime.timezone.utc).replace(
        tzinfo=None
    )
    key = srp.get_password_authentication_key(
        case["user_id_for_srp"],
        case["password"],
        aws_srp.hex_to_long(case["srp_b_hex"]),
        case["salt_hex"],
    )
    real_datetime = aws_srp.datetime
    aws_srp.datetime = _FixedClock(moment)
    try:
        answer = srp.process_challenge(
            {
                "USER_ID_FOR_SRP": case["user_id_for_srp"],
                "USERNAME": case["user_id_for_srp"],
                "SALT": case["salt_hex"],
                "SRP_B": case["srp_b_hex"],
                "SECRET_BLOCK": case["secret_block"],
            },
            {"USERNAME": case["user_id_for_srp"]},
        )
    finally:
        aws_srp.datetime = real_datetime
    return {
        "large_a_hex": aws_srp.long_to_hex(srp.large_a_value),
        "key_hex": bytes(key).hex(),
        "signature": answer["PASSWORD_CLAIM_SIGNATURE"],
        "timestamp": answer["TIMESTAMP"],
    }


if __name__ == "__main__":
    request = json.load(sys.stdin)
    json.dump([run(case) for case in request["cases"]], sys.stdout)
