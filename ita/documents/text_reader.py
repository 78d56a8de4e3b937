"""Text exports and pasted text: decode the bytes, then lines become paragraphs and table rows.

Exports from PDF or Word write a table row as one line of TAB-separated cells
(or a markdown ``| a | b |`` row); consecutive rows form a table and a blank
line or prose ends it.  Text that is really HTML (saved from a web page or
pasted with markup) is handed to the HTML reader.
"""

from __future__ import annotations

import re

from ita.documents.blocks import BlockBuilder, DocumentReadError, SourceDocument
from ita.documents.html_reader import looks_like_html, read_html_text
from ita.messages import msg

# Encodings tried in order; cp874 is the Windows name for TIS-620.
TEXT_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "utf-16", "cp874")
# Share of control characters above which decoded bytes are not text at all.
MAX_CONTROL_SHARE = 0.02

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def decode_text(data: bytes) -> str:
    """Decode a text file's bytes, trying UTF-8, UTF-16 and Thai Windows encodings."""
    if not data:
        raise DocumentReadError(msg("document.empty"))
    candidates = list(TEXT_ENCODINGS)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Without a BOM, UTF-16 "decodes" almost any even-length byte string.
        candidates.remove("utf-16")
        if data[1::2].count(0) > len(data) // 4:
            candidates.insert(0, "utf-16-le")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise DocumentReadError(msg("document.not_text"))


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return True
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls <= MAX_CONTROL_SHARE * len(text)


def split_cells(line: str) -> list[str] | None:
    """Return a table row's cells (TAB-separated or markdown pipes), or None for prose."""
    if "\t" in line:
        return line.split("\t")
    if _PIPE_ROW.match(line) and line.count("|") >= 3:
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return None


def read_text(text: str, name: str = "text", fmt: str = "text") -> SourceDocument:
    """Turn exported or pasted text into paragraphs and tables (HTML goes to the HTML reader)."""
    if looks_like_html(text):
        return read_html_text(text, name)
    builder = BlockBuilder(name, fmt)
    gap = True
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            builder.end_table()
            builder.skip_line()
            gap = True
            continue
        if _PIPE_SEPARATOR.match(line) and "-" in line:
            builder.skip_line()
            continue
        cells = split_cells(line)
        if cells is None:
            builder.paragraph(line, line=number, gap_before=gap)
        else:
            builder.row(cells, line=number, where=f"line {number}")
        gap = False
    return builder.finish()
