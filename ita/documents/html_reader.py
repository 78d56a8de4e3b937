"""HTML saved or pasted from a web page: paragraphs and tables, merged cells kept in their columns.

Uses the standard library's tolerant `html.parser`, which copes with the
unclosed ``<li>`` and ``<p>`` tags these pages are full of.  A cell spanning
columns fills the first of them and leaves the rest empty; a cell spanning
rows appears once and its column is empty on the rows below, which is how a
grouping column "written once" looks in a text export too.  A table inside a
cell becomes lines of that cell.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ita.documents.blocks import BlockBuilder, SourceDocument

_HTML_MARKERS = re.compile(r"<\s*(?:table|html|body|!doctype\s+html)\b", re.IGNORECASE)
# Tags that end a line of text.
_BREAKS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "section", "article"}
)
_SKIPPED = frozenset({"script", "style", "head", "title", "noscript"})


def looks_like_html(text: str) -> bool:
    """True when text is a web page or an HTML table, not a text export with stray tags in cells."""
    return bool(_HTML_MARKERS.search(text[:200_000]))


class _Cell:
    def __init__(self, colspan: int, rowspan: int) -> None:
        self.parts: list[str] = []
        self.colspan = colspan
        self.rowspan = rowspan

    def text(self) -> str:
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        return "\n".join(line for line in lines if line)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, object]] = []  # ("text", str) | ("table", rows)
        self.text: list[str] = []
        self.depth = 0  # nesting of tables
        self.rows: list[list[_Cell]] = []
        self.cell: _Cell | None = None
        self.skip = 0

    def _span(self, attrs: list[tuple[str, str | None]], name: str) -> int:
        value = dict(attrs).get(name) or "1"
        digits = re.sub(r"\D", "", value)
        return max(1, min(int(digits or 1), 50))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
            return
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self._flush_text()
                self.rows = []
            return
        if self.depth == 1 and tag == "tr":
            self.rows.append([])
            return
        if self.depth == 1 and tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            self.cell = _Cell(self._span(attrs, "colspan"), self._span(attrs, "rowspan"))
            self.rows[-1].append(self.cell)
            return
        if tag in _BREAKS or (self.depth > 1 and tag in ("td", "th")):
            self._write("\n" if tag != "td" and tag != "th" else " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "table":
            if self.depth == 1:
                self.events.append(("table", self.rows))
                self.rows = []
                self.cell = None
            self.depth = max(0, self.depth - 1)
            if self.depth >= 1:
                self._write("\n")
            return
        if self.depth == 1 and tag in ("td", "th"):
            self.cell = None
            return
        if tag in _BREAKS:
            self._write("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._write(data.replace("\n", " "))

    def _write(self, text: str) -> None:
        if self.depth >= 1:
            if self.cell is not None:
                self.cell.parts.append(text)
        else:
            self.text.append(text)

    def _flush_text(self) -> None:
        if self.text:
            self.events.append(("text", "".join(self.text)))
            self.text = []

    def close(self) -> None:
        super().close()
        if self.depth >= 1 and self.rows:
            self.events.append(("table", self.rows))
        self._flush_text()


def _grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """Lay cells out on the column grid, honouring colspan and rowspan."""
    grid: list[list[str]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    for cells in rows:
        out: list[str] = []
        column = 0
        queue = list(cells)
        while queue or any(c >= column and n > 0 for c, n in pending.items()):
            if pending.get(column, 0) > 0:
                pending[column] -= 1
                out.append("")
                column += 1
                continue
            if not queue:
                break
            cell = queue.pop(0)
            out.append(cell.text())
            if cell.rowspan > 1:
                pending[column] = cell.rowspan - 1
            for extra in range(1, cell.colspan):
                out.append("")
                if cell.rowspan > 1:
                    pending[column + extra] = cell.rowspan - 1
            column += cell.colspan
        grid.append(out)
    return grid


def read_html_text(text: str, name: str = "page.html") -> SourceDocument:
    """Turn an HTML page or fragment into paragraphs and tables."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    builder = BlockBuilder(name, "html")
    paragraphs = 0
    for kind, payload in parser.events:
        if kind == "text":
            for line in str(payload).split("\n"):
                line = " ".join(line.split())
                if line:
                    paragraphs += 1
                    builder.paragraph(line, where=f"paragraph {paragraphs}")
            continue
        builder.end_table()
        for cells in _grid(payload):  # type: ignore[arg-type]
            if any(cell.strip() for cell in cells):
                builder.row(cells)
        builder.end_table()
    return builder.finish()
