#!/usr/bin/env python3
"""Print the JSON body boto3 sends for one cognito-idp call, without sending it.

The independent check of this project's request encoding: a test makes the same call with the
Swift client and with boto3 and compares the two bodies (same members, same types).

usage: boto_request.py OPERATION 'PARAMS_AS_JSON'   (OPERATION as in the API: VerifyUserAttribute)
"""

import json
import sys

import boto3
from botocore.awsrequest import AWSResponse


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    operation, params = sys.argv[1], json.loads(sys.argv[2])
    client = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="unused", aws_secret_access_key="unused")
    captured = {}

    def capture(request, **_):
        captured["body"] = request.body
        # Short-circuit the send: an empty 200 answer, nothing leaves the process.
        return AWSResponse(request.url, 200, {}, None)

    client.meta.events.register("before-send.cognito-idp", capture)
    method = "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
    try:
        getattr(client, method)(**params)
    except Exception:  # noqa: BLE001 - parsing the empty answer may fail; the body is what matters
        pass
    body = captured["body"]
    sys.stdout.write(body.decode() if isinstance(body, bytes) else body)


if __name__ == "__main__":
    main()
