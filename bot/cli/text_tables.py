"""Plain-text tables for the CLI that keep Thai columns aligned.

Thai vowels and tone marks above or below a consonant take no width of their
own, so column widths count only the characters that advance the cursor.
"""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """How many terminal columns a string takes."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """Render rows under headers, columns separated by two spaces."""
    if not rows:
        return "(none)"
    cells = [[str(c).replace("\n", " ") for c in row] for row in rows]
    widths = [max(display_width(r[i]) for r in [headers, *cells]) for i in range(len(headers))]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)
