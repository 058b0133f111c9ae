#!/usr/bin/env python3
"""Render a tmux capture (`capture-pane -p -e`) to a PNG, cell by cell.

usage: render_screenshot.py CAPTURE COLUMNS ROWS OUT.png

pyte models the terminal (attributes, colours, wide characters); Pillow draws each cell with
DejaVu Sans Mono, falling back to Droid Sans Fallback (CJK) and Symbola (emoji, symbols) when a
glyph is missing, so nothing is drawn as a box silently.
"""

import sys

import pyte
from PIL import Image, ImageDraw, ImageFont

capture_path, columns, rows, out_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
CELL_W, CELL_H, SIZE = 10, 20, 16
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
]
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
fonts = [ImageFont.truetype(path, SIZE) for path in FONTS]
bold_font = ImageFont.truetype(BOLD, SIZE)
PALETTE = {
    "black": (30, 30, 30), "red": (205, 49, 49), "green": (13, 188, 121), "brown": (229, 229, 16),
    "yellow": (229, 229, 16), "blue": (36, 114, 200), "magenta": (188, 63, 188),
    "cyan": (17, 168, 205), "white": (229, 229, 229),
}
FG, BG = (220, 220, 220), (24, 24, 27)


def colour(name, default):
    if name == "default":
        return default
    if name in PALETTE:
        return PALETTE[name]
    if len(name) == 6:
        return tuple(int(name[i : i + 2], 16) for i in (0, 2, 4))
    return default


def rendered(font, char):
    image = Image.new("L", (3 * SIZE, 2 * SIZE))
    ImageDraw.Draw(image).text((0, 0), char, font=font, fill=255)
    return image.tobytes()


NOTDEF = [rendered(font, "\U0010ffff") for font in fonts]
chosen = {}


def font_for(char, bold):
    """The first font with a real glyph for `char` (not its .notdef box)."""
    if bold and char.isascii():
        return bold_font
    if char not in chosen:
        chosen[char] = next(
            (font for font, notdef in zip(fonts, NOTDEF) if rendered(font, char) != notdef),
            fonts[0],
        )
    return chosen[char]


screen = pyte.Screen(columns, rows)
stream = pyte.Stream(screen)
text = open(capture_path, encoding="utf-8").read().rstrip("\n")
stream.feed(text.replace("\n", "\r\n"))

image = Image.new("RGB", (columns * CELL_W, rows * CELL_H), BG)
draw = ImageDraw.Draw(image)
for y in range(rows):
    line = screen.buffer[y]
    for x in range(columns):
        cell = line[x]
        fg, bg = colour(cell.fg, FG), colour(cell.bg, BG)
        if cell.reverse:
            fg, bg = bg, fg
        if getattr(cell, "bold", False) and cell.fg == "default" and not cell.reverse:
            fg = (255, 255, 255)
        char = cell.data
        wide = char and x + 1 < columns and line[x + 1].data == ""
        width = CELL_W * (2 if wide else 1)
        draw.rectangle([x * CELL_W, y * CELL_H, x * CELL_W + width - 1, (y + 1) * CELL_H - 1], fill=bg)
        if char and not char.isspace():
            draw.text((x * CELL_W, y * CELL_H + 1), char, font=font_for(char[0], cell.bold), fill=fg)
image.save(out_path)
