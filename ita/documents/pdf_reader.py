"""PDF files with a text layer, read with pdfplumber (pdfminer.six): ruled tables and the text around them.

Thai needs care.  PDF producers that shape Thai (Word, LibreOffice, most
printers' drivers) position tone marks and above/below vowels as separate
zero-width glyphs, and some map a glyph to no character at all (pdfminer
shows it as ``(cid:N)``).  pdfplumber's own text extraction sorts characters
by position and inserts spaces around such marks ("ผรู้ บั ผดิ ชอบ"), so text is
rebuilt here from the characters in content-stream order: marks are attached
to the letter before them, unmapped glyphs dropped, and a space is only added
where the page shows a real gap.  A PDF with no characters at all is a scan
and gets a one-line message instead of an empty result.
"""

from __future__ import annotations

import re
from pathlib import Path

from ita.documents.blocks import BlockBuilder, DocumentReadError, SourceDocument
from ita.messages import msg
from ita.textclean import fix_wrap_spaces

_CID = re.compile(r"^\(cid:\d+\)$")
_THAI_LETTER = re.compile(r"[\u0e01-\u0e4e]")
# Thai characters drawn over or under the letter before them, with no width of their own.
_THAI_MARKS = frozenset(
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e\u0e33"
)
# A gap wider than this share of the font size is a space.
SPACE_GAP = 0.22
# A baseline this far (share of font size) below the previous one starts a new line.
NEW_LINE = 0.6

def join_chars(chars: list[dict]) -> str:
    """Rebuild text from pdfplumber characters in content order (see the module docstring)."""
    out: list[str] = []
    prev: dict | None = None
    for char in chars:
        text = char.get("text", "")
        if not text or _CID.match(text) or (len(text) == 1 and ord(text) < 32):
            # An unmapped glyph still takes room on the line: measure the next gap from it.
            if prev is not None and float(char["x1"]) > float(prev["x1"]):
                prev = char
            continue
        size = float(char.get("size") or 10.0)
        if prev is not None:
            if float(char["top"]) - float(prev["top"]) > NEW_LINE * size:
                out.append("\n")
            elif text[0] not in _THAI_MARKS and text != " " and out and out[-1] not in (" ", "\n"):
                gap = float(char["x0"]) - float(prev["x1"])
                if gap > SPACE_GAP * size:
                    out.append(" ")
        out.append(text)
        if text[0] not in _THAI_MARKS:
            prev = char
        elif prev is None:
            prev = char
    lines = [" ".join(line.split()) for line in "".join(out).split("\n")]
    return "\n".join(line for line in lines if line)


def _unwrap(text: str) -> str:
    """A cell's lines are where the column was too narrow: rejoin them.

    Thai puts no space between words, so a wrap between two Thai letters is
    joined without one (a wrap at a real space loses that space, which
    matching tolerates; a space inside a word it does not).  A line that
    starts a numbered or dashed item keeps its own line.
    """
    out: list[str] = []
    for line in text.split("\n"):
        if out and not re.match(r"^\s*(?:[0-9๐-๙]{1,2}[.)]|[-•])", line):
            thai_join = _THAI_LETTER.match(out[-1][-1:]) and _THAI_LETTER.match(line[:1])
            out[-1] = f"{out[-1]}{line}" if thai_join else fix_wrap_spaces(f"{out[-1]} {line}")
        else:
            out.append(line)
    return "\n".join(out)


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _lines(chars: list[dict]) -> list[tuple[float, list[dict]]]:
    """Group characters outside tables into lines by baseline, keeping content order inside a line."""
    lines: list[tuple[float, list[dict]]] = []
    for char in chars:
        top = float(char["top"])
        size = float(char.get("size") or 10.0)
        if lines and abs(lines[-1][0] - top) <= NEW_LINE * size:
            lines[-1][1].append(char)
        else:
            lines.append((top, [char]))
    return lines


def read_pdf(path: Path) -> SourceDocument:
    """Read a PDF's text and ruled tables; raise DocumentReadError for a scan or a damaged file."""
    import pdfplumber  # heavy: only PDFs need it

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as error:  # pdfminer raises many types on damaged files
        raise DocumentReadError(msg("document.pdf_unopenable", name=path.name, kind=type(error).__name__)) from None
    builder = BlockBuilder(path.name, "pdf")
    total_chars = 0
    try:
        for page_number, page in enumerate(pdf.pages, start=1):
            chars = list(page.chars)
            total_chars += sum(1 for char in chars if str(char.get("text", "")).strip())
            found = page.find_tables()
            boxes = [table.bbox for table in found]
            events: list[tuple[float, str, object]] = []
            loose = [char for char in chars if not any(_inside(char, box) for box in boxes)]
            for top, line_chars in _lines(loose):
                text = join_chars(line_chars)
                if text:
                    events.append((top, "text", text))
            for table in found:
                rows: list[list[str]] = []
                for row in table.rows:
                    cells = []
                    for box in row.cells:
                        text = "" if box is None else join_chars([c for c in chars if _inside(c, box)])
                        cells.append(_unwrap(text))
                    rows.append(cells)
                events.append((float(table.bbox[1]), "table", rows))
            events.sort(key=lambda event: event[0])
            tables = 0
            for _, kind, payload in events:
                if kind == "text":
                    builder.paragraph(str(payload), where=f"page {page_number}")
                    continue
                tables += 1
                builder.end_table()
                for index, cells in enumerate(payload, start=1):  # type: ignore[arg-type]
                    if any(cell.strip() for cell in cells):
                        builder.row(cells, where=f"page {page_number} table {tables} row {index}")
                builder.end_table()
    except DocumentReadError:
        raise
    except Exception as error:  # a damaged page inside a readable file
        raise DocumentReadError(
            msg("document.pdf_damaged_page", name=path.name, kind=type(error).__name__)
        ) from None
    finally:
        pdf.close()
    if total_chars == 0:
        raise DocumentReadError(msg("document.pdf_scan", name=path.name))
    return builder.finish()
