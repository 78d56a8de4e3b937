"""Spreadsheets (.xlsx) and .csv files of any layout: each sheet's rows become tables and paragraphs.

Rows with two or more filled cells are table rows; a blank row ends a table;
a row with a single filled cell is a table row when a table is open (a
heading or a continuation inside it) and a paragraph otherwise (a title above
the table).  Dates become Thai month names so the period reader sees what a
person would type.  The notes sheet of Tidtam's own templates is skipped, and
so are hidden sheets (lookup lists, weights, old drafts), with a note.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from ita.documents.blocks import BlockBuilder, DocumentReadError, SourceDocument
from ita.documents.text_reader import decode_text
from ita.messages import msg
from ita.thai import format_month

# Sheets that explain a template and hold no data.
NOTES_SHEETS = frozenset({"คำอธิบาย", "คำแนะนำ", "วิธีใช้"})


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a person would read in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ใช่" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return format_month(value.date())
    if isinstance(value, date):
        return format_month(value)
    return str(value)


def is_hidden(sheet: object) -> bool:
    """Whether Excel hides the sheet: it holds lookup lists, weights or a draft, not what the user sees."""
    return getattr(sheet, "sheet_state", "visible") != "visible"


def _add_rows(builder: BlockBuilder, rows: list[list[str]], label: str) -> None:
    builder.end_table()
    # Lines are the sheet's own row numbers (after the rows of earlier sheets), as Excel shows them.
    offset = builder.next_line - 1
    open_table = False
    for number, cells in enumerate(rows, start=1):
        filled = [cell for cell in cells if cell.strip()]
        where = f"{label}row {number}"
        if not filled:
            builder.end_table()
            open_table = False
            continue
        if len(filled) >= 2 or open_table:
            builder.row(cells, where=where, line=offset + number)
            open_table = True
        else:
            builder.paragraph(filled[0], where=where, line=offset + number)
    builder.end_table()
    builder.next_line = max(builder.next_line, offset + len(rows) + 2)


def read_xlsx(path: Path) -> SourceDocument:
    """Read every data sheet of a workbook; raise DocumentReadError when it is damaged."""
    from openpyxl import load_workbook  # openpyxl is slow to import; only workbooks need it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on damaged files
        raise DocumentReadError(
            msg("document.xlsx_unopenable", name=path.name, kind=type(error).__name__)
        ) from None
    builder = BlockBuilder(path.name, "xlsx")
    try:
        sheets = [sheet for sheet in book.worksheets if "".join(sheet.title.split()) not in NOTES_SHEETS]
        for sheet in [sheet for sheet in sheets if is_hidden(sheet)]:
            builder.document.notes.append(msg("document.hidden_sheet", sheet=sheet.title))
        sheets = [sheet for sheet in sheets if not is_hidden(sheet)]
        for sheet in sheets:
            rows = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            label = f"sheet '{sheet.title}' " if len(sheets) > 1 else ""
            _add_rows(builder, rows, label)
    except Exception as error:  # a broken sheet part inside a valid zip
        raise DocumentReadError(msg("document.xlsx_damaged", name=path.name, kind=type(error).__name__)) from None
    finally:
        book.close()
    return builder.finish()


def csv_rows(text: str) -> list[list[str]]:
    """Split CSV text into rows, guessing the delimiter (comma, semicolon or TAB)."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise DocumentReadError(msg("document.csv_unreadable", error=str(error))) from None


def read_csv(path: Path) -> SourceDocument:
    """Read a .csv file (UTF-8 with or without BOM, UTF-16 or TIS-620)."""
    builder = BlockBuilder(path.name, "csv")
    _add_rows(builder, csv_rows(decode_text(path.read_bytes())), "")
    return builder.finish()


def read_rows(rows: list[list[object]], name: str = "sheet", fmt: str = "xlsx") -> SourceDocument:
    """Turn rows already read from a sheet into a document."""
    builder = BlockBuilder(name, fmt)
    _add_rows(builder, [[cell_text(value) for value in row] for row in rows], "")
    return builder.finish()
