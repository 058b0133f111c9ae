#!/usr/bin/env python3
"""Turns the QR code in a terminal capture back into an image, then decodes it with zbarimg.

usage: qr_from_capture.py CAPTURE OUT.png

The capture is tmux's `capture-pane -p` text. Each cell that is part of the code becomes its
modules as the terminal shows them: `█ ▀ ▄` and space are two stacked modules (dark, dark /
dark, light / light, dark / light, light); `##` and two spaces are one. The block of lines made
only of those characters (the code with its quiet zone) is drawn with Pillow, 8 pixels a module,
dark on light, and read by zbar (Debian zbar-tools), an independent decoder. Prints what it read.
"""

import subprocess
import sys

from PIL import Image

HALF = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}


def code_lines(text):
    """The longest run of consecutive lines drawn only with QR characters (and not blank)."""
    best, current = [], []
    for line in text.split("\n"):
        stripped = line.rstrip("\n")
        if stripped.strip() and set(stripped) <= set("█▀▄ #") and len(stripped) > 20:
            current.append(stripped)
        else:
            best, current = max(best, current, key=len), []
    return max(best, current, key=len)


def modules(lines):
    # tmux drops trailing spaces: every line is as wide as the widest (light modules).
    width = max(len(line) for line in lines)
    lines = [line.ljust(width) for line in lines]
    if any("#" in line for line in lines):
        return [[1 if line[i:i + 2] == "##" else 0 for i in range(0, len(line) - 1, 2)]
                for line in lines]
    rows = []
    for line in lines:
        rows.append([HALF.get(c, (0, 0))[0] for c in line])
        rows.append([HALF.get(c, (0, 0))[1] for c in line])
    return rows


def main():
    capture, out = sys.argv[1], sys.argv[2]
    with open(capture, encoding="utf-8") as handle:
        rows = modules(code_lines(handle.read()))
    width = max(len(row) for row in rows)
    scale = 8
    image = Image.new("L", ((width + 8) * scale, (len(rows) + 8) * scale), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    for dx in range(scale):
                        image.putpixel(((x + 4) * scale + dx, (y + 4) * scale + dy), 0)
    image.save(out)
    result = subprocess.run(["zbarimg", "--quiet", "--raw", out], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"zbarimg could not read the code ({result.returncode}): {result.stderr}")
    sys.stdout.write(result.stdout.strip())


if __name__ == "__main__":
    main()
