"""Read an organisation's measure plan or results report, whatever file it arrived in.

The stages, one module each:

1. `ita.documents` turns the file (.txt/.md export, .html, .docx, .pdf,
   .xlsx, .csv) into paragraphs and tables (`SourceDocument`);
2. `ita.tables` finds the measure tables and what each column holds;
3. `ita.measures` turns their rows into `PlanMeasure`s, with sections,
   units, periods and indicator links.

`read_plan(path)` runs them all.  Anything that cannot be used raises
`PlanImportError` whose ``str()`` is one plain-English line and whose
``message`` (`ita.messages.Message`) also says it in Thai; when no table reading is
clearly right it raises the subclass `PlanTableChoiceError`, whose
``candidates`` list the tables and columns, and the caller passes the
admin's choice back as ``columns={"measure": 2, "unit": 3, "period": 5}``
(or the string "measure=2,unit=3,period=5"), optionally with ``tables=[3]``.
"""

from __future__ import annotations

from pathlib import Path

from ita.documents import DocumentReadError, Paragraph, SourceDocument, read_document
from ita.measures import PlanBuilder
from ita.messages import msg
from ita.plan_model import (
    CandidateColumn,
    PlanDocument,
    PlanImportError,
    PlanMeasure,
    PlanTableChoiceError,
    PlanWarning,
    TableCandidate,
)
from ita.tables import (
    TableReading,
    columns_from_choice,
    find_measure_tables,
    is_header_row,
    parse_column_choice,
    readings_from_choice,
)

__all__ = [
    "CandidateColumn",
    "PlanDocument",
    "PlanImportError",
    "PlanMeasure",
    "PlanTableChoiceError",
    "PlanWarning",
    "TableCandidate",
    "parse_column_choice",
    "read_plan",
    "read_plan_document",
]

# Spreadsheets are typed one measure a row (Tidtam's template says so): there a
# row continues the one above only without a title and a number.  Documents
# (text, HTML, Word, PDF) are often pasted together from page-cut tables.
_WHOLE_ROW_FORMATS = frozenset({"xlsx", "csv"})


def read_plan(
    path: str | Path,
    *,
    fiscal_year_be: int | None = None,
    org_name: str | None = None,
    columns: str | dict[str, int] | None = None,
    tables: list[int] | None = None,
) -> PlanDocument:
    """Read a plan or results report from any supported file; raise PlanImportError when unusable."""
    try:
        document = read_document(path)
    except DocumentReadError as error:
        raise PlanImportError(error.message) from None
    return read_plan_document(
        document, fiscal_year_be=fiscal_year_be, org_name=org_name, columns=columns, tables=tables
    )


def read_plan_document(
    document: SourceDocument,
    *,
    fiscal_year_be: int | None = None,
    org_name: str | None = None,
    columns: str | dict[str, int] | None = None,
    tables: list[int] | None = None,
) -> PlanDocument:
    """Read the measures of a document already in the intermediate form."""
    if document.is_empty():
        raise PlanImportError(msg("plan.empty"))
    try:
        return _read(document, fiscal_year_be, org_name, columns, tables)
    except PlanImportError:
        raise
    except Exception as error:  # the contract: callers only ever see PlanImportError
        raise PlanImportError(
            msg("plan.internal", name=document.name, detail=f"{type(error).__name__}: {error}")
        ) from error


def _read(
    document: SourceDocument,
    fiscal_year_be: int | None,
    org_name: str | None,
    columns: str | dict[str, int] | None,
    tables: list[int] | None,
) -> PlanDocument:
    if columns is not None:
        readings = readings_from_choice(document, columns_from_choice(parse_column_choice(columns)), tables)
    else:
        readings = find_measure_tables(document)
        if tables:
            readings = [r for r in readings if r.table.number in tables] or readings
    by_table: dict[int, TableReading] = {id(r.table): r for r in readings}
    builder = PlanBuilder(
        fiscal_year_be=fiscal_year_be,
        org_name=org_name,
        source_format=document.format,
        one_row_per_measure=document.format in _WHOLE_ROW_FORMATS,
    )
    for note in document.notes:
        builder.warn(None, note)
    for reading in readings:
        for note in reading.notes:
            builder.warn(reading.table.rows[0].line, msg("plan.table_note", where=reading.table.where, note=note))
    for block in document.blocks:
        if isinstance(block, Paragraph):
            if block.gap_before:
                builder.blank()
            builder.prose(block.line, block.text)
            continue
        reading = by_table.get(id(block))
        if reading is None:
            for row in block.rows:
                if not builder.label_row(row.cells):
                    builder.other_row(row.line, row.cells)
            builder.blank()
            continue
        builder.start_table(reading.columns, reading.width, reading.fill_down)
        for index, row in enumerate(block.rows):
            if index < reading.header_rows or is_header_row(row.cells, reading.columns):
                continue
            builder.row(row.line, row.cells)
        builder.end_table()
    return builder.finish()
