#!/usr/bin/env python3
"""Prints the sonames an ELF binary declares it loads with dlopen, one per line.

They come from the binary's .note.dlopen section: freedesktop.org's "ELF dlopen metadata" notes
(owner "FDO", type 0x407c0c0a, a JSON array of {"soname": [...], ...}), which the C loaders in
Sources/C*/ write with CL_DLOPEN_NOTE. scripts/package turns them into Depends.

    scripts/dlopen_sonames.py BINARY
"""

import json
import struct
import subprocess
import sys
import tempfile

NOTE_TYPE = 0x407C0C0A


def sonames(section: bytes) -> list[str]:
    """The sonames in the notes of one .note.dlopen section, in order, each once."""
    found: list[str] = []
    offset = 0
    while offset + 12 <= len(section):
        name_size, description_size, note_type = struct.unpack_from("<III", section, offset)
        offset += 12
        name = section[offset : offset + name_size].rstrip(b"\0")
        offset += (name_size + 3) & ~3
        description = section[offset : offset + description_size].rstrip(b"\0")
        offset += (description_size + 3) & ~3
        if name != b"FDO" or note_type != NOTE_TYPE:
            continue
        for entry in json.loads(description):
            for soname in entry["soname"]:
                if soname not in found:
                    found.append(soname)
    return found


def main() -> None:
    binary = sys.argv[1]
    with tempfile.NamedTemporaryFile() as dump:
        subprocess.run(
            ["objcopy", "--dump-section", f".note.dlopen={dump.name}", binary, "/dev/null"],
            check=True,
        )
        section = open(dump.name, "rb").read()
    for soname in sonames(section):
        print(soname)


if __name__ == "__main__":
    main()
