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

LibreOffice (and Word, for some fonts) draws a Thai cluster with glyphs whose
own character map is wrong (a low sara u mapped to mai ek, sara am as nikhahit
plus sara aa) and gives the true text in an ActualText span around them; the
span's text replaces its glyphs.  A run in a fallback font (a dash, the
spaces) may be drawn before the Thai text of its line, so a line's letters
are put in order of their position, each with its marks.
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

def _in_reading_order(chars: list[dict]) -> list[dict]:
    """Each line's letters left to right, each keeping the marks drawn after it; lines in content order."""
    clusters: list[list[dict]] = []
    for char in chars:
        text = char.get("text", "")
        if clusters and text and text[0] in _THAI_MARKS:
            clusters[-1].append(char)
        else:
            clusters.append([char])
    lines: list[list[list[dict]]] = []
    for cluster in clusters:
        size = float(cluster[0].get("size") or 10.0)
        if lines and abs(float(lines[-1][0][0]["top"]) - float(cluster[0]["top"])) <= NEW_LINE * size:
            lines[-1].append(cluster)
        else:
            lines.append([cluster])
    return [char for line in lines for cluster in sorted(line, key=lambda c: float(c[0]["x0"])) for char in cluster]


def join_chars(chars: list[dict]) -> str:
    """Rebuild text from pdfplumber characters (see the module docstring)."""
    out: list[str] = []
    prev: dict | None = None
    span = None
    span_ends: dict[int, float] = {}
    for char in chars:
        if char.get("actual_span") is not None:
            span_ends[char["actual_span"]] = max(span_ends.get(char["actual_span"], 0.0), float(char["x1"]))
    for char in _in_reading_order(chars):
        if char.get("actual_span") is not None:
            if char["actual_span"] == span:
                continue  # the span's text was written with its first glyph
            span = char["actual_span"]
            # The span's text, as wide as all its glyphs (sara am: nikhahit and sara aa).
            char = {**char, "text": char["actual_text"], "x1": span_ends[span]}
            if prev is not None and char["x1"] > float(prev["x1"]) and char["text"][:1] in _THAI_MARKS:
                out.append(char["text"])
                prev = char
                continue
        else:
            span = None
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


def _actual_texts(pdf: object, page: object) -> list[tuple[int, str] | None]:
    """For each character of the page in drawing order: (span number, ActualText) when a span holds it."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.utils import decode_text

    class Spans(PDFPageAggregator):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.stack: list[tuple[int, str] | None] = []
            self.spans = 0
            self.found: list[tuple[int, str] | None] = []

        def begin_tag(self, tag: object, props: object = None) -> None:
            actual = props.get("ActualText") if isinstance(props, dict) else None
            if isinstance(actual, bytes):
                self.spans += 1
                self.stack.append((self.spans, decode_text(actual)))
            else:
                self.stack.append(self.stack[-1] if self.stack else None)

        def end_tag(self) -> None:
            if self.stack:
                self.stack.pop()

        def render_char(self, *args: object, **kwargs: object) -> float:
            advance = super().render_char(*args, **kwargs)  # type: ignore[arg-type]
            if self.cur_item._objs and isinstance(self.cur_item._objs[-1], LTChar):
                self.found.append(self.stack[-1] if self.stack else None)
            return advance

    device = Spans(pdf.rsrcmgr, pageno=page.page_number)  # type: ignore[attr-defined]
    PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)  # type: ignore[attr-defined]
    return device.found


def _with_actual_text(pdf: object, page: object) -> list[dict]:
    """The page's characters, those inside an ActualText span marked with it (see the module docstring)."""
    chars = list(page.chars)  # type: ignore[attr-defined]
    raw = page.page_obj  # type: ignore[attr-defined]
    if b"ActualText" not in b"".join(_content_streams(raw)):
        return chars
    spans = _actual_texts(pdf, page)
    if len(spans) != len(chars):  # not the same drawing: keep the glyphs' own characters
        return chars
    return [{**char, "actual_span": found[0], "actual_text": found[1]} if found else char
            for char, found in zip(chars, spans)]


def _content_streams(page_obj: object) -> list[bytes]:
    from pdfminer.pdftypes import resolve1

    contents = resolve1(page_obj.attrs.get("Contents"))  # type: ignore[attr-defined]
    streams = contents if isinstance(contents, list) else [contents]
    data = []
    for stream in streams:
        stream = resolve1(stream)
        if stream is not None and hasattr(stream, "get_data"):
            data.append(stream.get_data())
    return data


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
            chars = _with_actual_text(pdf, page)
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
