#!/usr/bin/env python3
"""Python's tomllib on each document of a JSON array read from standard input (the reference for
TOMLReader's tests). Prints a JSON array: for each document either {"value": TAGGED} or
{"error": MESSAGE}, where TAGGED is the parsed document with every leaf tagged by its type
(["s", text], ["i", "digits"], ["b", true], or ["other", typename]) so that a boolean and an
integer never compare equal.

usage: toml_reference.py < documents.json
"""

import json
import sys
import tomllib


def tag(value):
    if isinstance(value, dict):
        return {key: tag(item) for key, item in value.items()}
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, str):
        return ["s", value]
    return ["other", type(value).__name__]


results = []
for document in json.load(sys.stdin):
    try:
        results.append({"value": tag(tomllib.loads(document))})
    except Exception as error:  # noqa: BLE001 - every refusal is an answer here
        results.append({"error": str(error)})
print(json.dumps(results))
