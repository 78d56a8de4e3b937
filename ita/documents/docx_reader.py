"""Word .docx files read directly with python-docx: paragraphs and tables in document order.

Each table row is read from its ``w:tc`` elements so merged cells land in the
right column: a cell spanning columns (gridSpan) fills the first and leaves
the rest empty, and a vertically merged cell (vMerge continue) is empty on
the rows below its first, like a grouping column written once.  Paragraphs
inside a cell become its lines; a table nested in a cell becomes more lines,
except in a layout table (a page laid out in a table, the real table inside a
cell), whose inner tables are read as tables.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from ita.documents.blocks import BlockBuilder, DocumentReadError, SourceDocument
from ita.messages import msg

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_TCPR, _GRIDSPAN, _VMERGE, _VAL = qn("w:tcPr"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
_SDT, _SDTCONTENT = qn("w:sdt"), qn("w:sdtContent")


def _paragraph_text(p) -> str:  # noqa: ANN001 - an lxml element
    parts: list[str] = []
    for node in p.iter():
        if node.tag == _T and node.text:
            parts.append(node.text)
        elif node.tag == _TAB:
            parts.append(" ")
        elif node.tag in (_BR, _CR):
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:  # noqa: ANN001
    lines: list[str] = []
    for child in _children(tc):
        if child.tag == _P:
            lines.append(_paragraph_text(child))
        elif child.tag == _TBL:
            for tr in child.iter(_TR):
                cells = [" ".join(_cell_text(inner).split()) for inner in tr.iter(_TC) if inner.getparent() is tr]
                lines.append(" ".join(cell for cell in cells if cell))
    return "\n".join(line for line in lines if line.strip())


def _children(element):  # noqa: ANN001, ANN202
    """Direct children, looking through content controls (w:sdt) that wrap paragraphs or rows."""
    for child in element:
        if child.tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                yield from _children(content)
        else:
            yield child


def _span(tc) -> tuple[int, bool]:  # noqa: ANN001
    """(columns spanned, whether this cell continues a vertical merge)."""
    props = tc.find(_TCPR)
    if props is None:
        return 1, False
    span_el = props.find(_GRIDSPAN)
    span = int(span_el.get(_VAL, "1")) if span_el is not None else 1
    merge = props.find(_VMERGE)
    continues = merge is not None and merge.get(_VAL, "continue") == "continue"
    return max(1, span), continues


def _row_cells(tr) -> list[str]:  # noqa: ANN001
    cells: list[str] = []
    for tc in _children(tr):
        if tc.tag != _TC:
            continue
        span, continues = _span(tc)
        cells.append("" if continues else _cell_text(tc))
        cells.extend([""] * (span - 1))
    return cells


def read_docx(path: Path) -> SourceDocument:
    """Read a .docx file into paragraphs and tables; raise DocumentReadError when it cannot be opened."""
    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DocumentReadError(msg("document.docx_unopenable", name=path.name, kind=type(error).__name__)) from None
    builder = BlockBuilder(path.name, "docx")
    paragraphs = 0
    for child in _children(document.element.body):
        if child.tag == _P:
            text = _paragraph_text(child)
            if not text.strip():
                continue
            paragraphs += 1
            # Lines broken inside one paragraph (Shift+Enter) belong together, like a title's lines.
            for number, line in enumerate(line for line in text.split("\n") if line.strip()):
                builder.paragraph(line, where=f"paragraph {paragraphs}", gap_before=number == 0)
        elif child.tag == _TBL:
            paragraphs = _read_table(child, builder, paragraphs)
    return builder.finish()


def _cell_children(tbl):  # noqa: ANN001, ANN202
    """What each cell of a table holds (paragraphs, inner tables), row by row, cell by cell."""
    for tr in _children(tbl):
        if tr.tag != _TR:
            continue
        for tc in _children(tr):
            if tc.tag == _TC:
                yield from _children(tc)


def _is_layout_table(tbl) -> bool:  # noqa: ANN001
    """A table used to lay out a page: one of its cells holds a real table (two rows, two columns or more)."""
    for inner in _cell_children(tbl):
        if inner.tag == _TBL:
            rows = [r for r in _children(inner) if r.tag == _TR]
            if len(rows) >= 2 and max(len(_row_cells(r)) for r in rows) >= 2:
                return True
    return False


def _read_table(tbl, builder: BlockBuilder, paragraphs: int) -> int:  # noqa: ANN001
    """Add a table's rows; a layout table gives its cells' paragraphs and tables instead, in order."""
    builder.end_table()
    if _is_layout_table(tbl):
        # The real table sits inside: read it as a table, not as lines of one big cell.
        for child in _cell_children(tbl):
            if child.tag == _P:
                text = _paragraph_text(child)
                if text.strip():
                    paragraphs += 1
                    builder.paragraph(" ".join(text.split()), where=f"paragraph {paragraphs}")
            elif child.tag == _TBL:
                paragraphs = _read_table(child, builder, paragraphs)
        return paragraphs
    for tr in _children(tbl):
        if tr.tag == _TR:
            cells = _row_cells(tr)
            if any(cell.strip() for cell in cells):
                builder.row(cells)
    builder.end_table()
    return paragraphs
