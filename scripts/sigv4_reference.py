#!/usr/bin/env python3
"""Independent SigV4 reference: PyPI botocore's SigV4Auth on fixed requests.

Reads JSON from stdin: {"cases": [{"method", "url", "params": [[name, value], ...] or null,
"headers": [[name, value], ...], "body_hex", "access_key", "secret_key", "token" or null,
"region", "service", "timestamp": "YYYYMMDDTHHMMSSZ"}]} and prints, per case, botocore's
canonical request, string to sign, signed headers, signature and Authorization header. The
Swift signer's tests compare their own values with these; nothing is shared with it.
"""

import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class _RecordingSigV4Auth(SigV4Auth):
    """SigV4Auth unchanged, keeping the canonical request and string to sign it computed."""

    def __init__(self, *args):
        super().__init__(*args)
        self.recorded = {}

    def canonical_request(self, request):
        self.recorded["canonical_request"] = super().canonical_request(request)
        return self.recorded["canonical_request"]

    def string_to_sign(self, request, canonical_request):
        self.recorded["string_to_sign"] = super().string_to_sign(request, canonical_request)
        return self.recorded["string_to_sign"]


def sign(case):
    moment = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    request = AWSRequest(
        method=case["method"],
        url=case["url"],
        data=bytes.fromhex(case["body_hex"]),
        params=[tuple(pair) for pair in case.get("params") or []],
    )
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders keeps repeated names, as a request may
    credentials = Credentials(case["access_key"], case["secret_key"], case.get("token"))
    signer = _RecordingSigV4Auth(credentials, case["service"], case["region"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
        signer.add_auth(request)
    authorization = request.headers["Authorization"]
    return {
        "canonical_request": signer.recorded["canonical_request"],
        "string_to_sign": signer.recorded["string_to_sign"],
        "signed_headers": authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0],
        "signature": authorization.rsplit("Signature=", 1)[1],
        "authorization": authorization,
    }


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump({"results": [sign(case) for case in cases]}, sys.stdout)


if __name__ == "__main__":
    main()
