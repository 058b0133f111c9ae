#!/usr/bin/env python3
"""glibc's wcwidth (what ncursesw uses) in the C.UTF-8 locale, as the reference for the Swift
DisplayWidth table. Reads code points (decimal, one per line) on stdin; prints "cp width" lines,
skipping unassigned, private-use and surrogate code points and those glibc calls non-printable.
"""

import ctypes
import sys
import unicodedata

libc = ctypes.CDLL("libc.so.6")
libc.setlocale(6, b"C.UTF-8")  # LC_ALL
libc.wcwidth.restype = ctypes.c_int
libc.wcwidth.argtypes = [ctypes.c_wchar]
out = []
for line in sys.stdin:
    value = int(line)
    char = chr(value)
    if unicodedata.category(char) in ("Cn", "Co", "Cs"):
        continue
    width = libc.wcwidth(char)
    if width >= 0:
        out.append(f"{value} {width}")
sys.stdout.write("\n".join(out) + "\n")
