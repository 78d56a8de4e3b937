"""The one intermediate form every document is turned into before it is read.

Whatever a document arrived as (text export, HTML, Word, PDF, spreadsheet),
its reader produces a `SourceDocument`: paragraphs and tables in document
order, each table a list of rows of cell texts.  Every paragraph and row
carries an ordinal ``line`` (used in warnings and as a stable source key) and
a human ``where`` ("line 12", "table 3 row 2", "page 2 table 1 row 4") that
tells an administrator where to look in their own file.  The plan and score
readers only ever see this form, so one document gives the same result in
every format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ita.messages import Message, MessageError


class DocumentReadError(MessageError):
    """A file cannot be turned into text at all: ``str()`` one plain-English line, ``.message.th()`` the Thai."""


@dataclass
class Paragraph:
    """A line or paragraph of running text outside any table."""

    text: str
    line: int
    where: str
    # A blank line (or a new paragraph) separates it from the text before: titles end there.
    gap_before: bool = True


@dataclass
class Row:
    """One table row: its cells' texts (paragraphs inside a cell joined by new lines)."""

    cells: list[str]
    line: int
    where: str


@dataclass
class Table:
    """A table as the document drew it; a table cut by a page break arrives as two."""

    rows: list[Row]
    where: str
    number: int = 0

    @property
    def width(self) -> int:
        """The number of columns of the widest row."""
        return max((len(row.cells) for row in self.rows), default=0)


Block = Paragraph | Table


@dataclass
class SourceDocument:
    """A document as paragraphs and tables, with its file name and the format it came in."""

    name: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    # What the reader left out on purpose (a hidden sheet), for the importers to warn about.
    notes: list[Message] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """The document's tables in order."""
        return [block for block in self.blocks if isinstance(block, Table)]

    def where(self, line: int | None) -> str:
        """Where the paragraph or row with this line number is, for a message."""
        if line is None:
            return self.name
        for block in self.blocks:
            if isinstance(block, Paragraph) and block.line == line:
                return block.where
            if isinstance(block, Table):
                for row in block.rows:
                    if row.line == line:
                        return row.where
        return f"line {line}"

    def items(self) -> Iterator[tuple[int, list[str] | None, str]]:
        """Yield (line, cells, text) in order: cells is None for a paragraph; None, None, "" between tables."""
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield block.line, None, block.text
            else:
                for row in block.rows:
                    yield row.line, row.cells, ""
                yield -1, None, ""

    def is_empty(self) -> bool:
        """True when no block holds any visible text."""
        for block in self.blocks:
            if isinstance(block, Paragraph) and block.text.strip():
                return False
            if isinstance(block, Table) and any(cell.strip() for row in block.rows for cell in row.cells):
                return False
        return True


class BlockBuilder:
    """Collects paragraphs and table rows in order, numbering lines and tables for the readers."""

    def __init__(self, name: str, fmt: str, *, first_line: int = 1) -> None:
        self.document = SourceDocument(name=name, format=fmt)
        self.next_line = first_line
        self._table: Table | None = None
        self._tables = 0

    def paragraph(
        self, text: str, *, where: str | None = None, line: int | None = None, gap_before: bool = True
    ) -> None:
        """Add running text; it ends any open table."""
        self.end_table()
        number = self._take(line)
        self.document.blocks.append(Paragraph(text, number, where or f"line {number}", gap_before))

    def row(self, cells: list[str], *, where: str | None = None, line: int | None = None, prefix: str = "") -> None:
        """Add a row to the open table, opening one when needed."""
        if self._table is None:
            self._tables += 1
            self._table = Table(rows=[], where=f"{prefix}table {self._tables}", number=self._tables)
            self.document.blocks.append(self._table)
        number = self._take(line)
        row_where = where or f"{self._table.where} row {len(self._table.rows) + 1}"
        self._table.rows.append(Row(list(cells), number, row_where))

    def end_table(self) -> None:
        """Close the open table, so the next row starts a new one."""
        if self._table is not None:
            if not self._table.rows:
                self.document.blocks.remove(self._table)
            elif self.document.format != "text" and self.document.format != "markdown":
                # A virtual blank line after each table keeps adjacent tables apart in line terms.
                self.next_line += 1
        self._table = None

    def skip_line(self) -> None:
        """Count a line that yields no block (a blank line of a text file)."""
        self.next_line += 1

    def _take(self, line: int | None) -> int:
        if line is not None:
            self.next_line = line + 1
            return line
        number = self.next_line
        self.next_line += 1
        return number

    def finish(self) -> SourceDocument:
        """Return the document built so far."""
        self.end_table()
        return self.document
