"""Tidtam's measure spreadsheet: write the blank template, read a filled one back.

The template has one measure a row under Thai column headers, the
organisation's name and fiscal year in labelled cells above the header, an
example row marked ตัวอย่าง (never imported) and a notes sheet (คำอธิบาย)
explaining each column.  The reader finds columns by what their headers mean,
exactly like the text parser, so admins may reorder, drop or reword columns,
and it reads .xlsx and .csv (UTF-8 with or without BOM, UTF-16, TIS-620).
"""

from __future__ import annotations

import csv
from pathlib import Path

from ita.messages import msg
from ita.plan import read_plan
from ita.plan_model import PlanDocument, PlanImportError
from ita.vocab import plan as vocab

# The template's layout: title, two labelled cells, a blank row, the header.
_TITLE_ROW, _ORG_ROW, _YEAR_ROW, _HEADER_ROW = 1, 2, 3, 5


def write_plan_template(
    path: str | Path,
    *,
    org_name: str | None = None,
    fiscal_year_be: int | None = None,
) -> Path:
    """Write the blank measure template as .xlsx, or as .csv (UTF-8 with BOM) when path ends .csv."""
    target = Path(path)
    if target.suffix.lower() == ".csv":
        _write_csv(target, org_name, fiscal_year_be)
    else:
        _write_xlsx(target, org_name, fiscal_year_be)
    return target


def _template_rows(org_name: str | None, fiscal_year_be: int | None) -> list[list[str]]:
    headers = [header for _, header, _, _ in vocab.TEMPLATE_COLUMNS]
    example = [vocab.TEMPLATE_EXAMPLE_ROW.get(field, "") for field, _, _, _ in vocab.TEMPLATE_COLUMNS]
    return [
        [vocab.TEMPLATE_TITLE],
        [vocab.TEMPLATE_ORG_LABEL, org_name or ""],
        [vocab.TEMPLATE_YEAR_LABEL, str(fiscal_year_be) if fiscal_year_be else ""],
        [],
        headers,
        example,
    ]


def _write_csv(target: Path, org_name: str | None, fiscal_year_be: int | None) -> None:
    # The BOM makes Excel open the file as UTF-8 instead of the Windows code page.
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(_template_rows(org_name, fiscal_year_be))


def _write_xlsx(target: Path, org_name: str | None, fiscal_year_be: int | None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = vocab.TEMPLATE_SHEET
    rows = _template_rows(org_name, fiscal_year_be)
    for row in rows:
        sheet.append(row)

    width = len(vocab.TEMPLATE_COLUMNS)
    sheet.merge_cells(start_row=_TITLE_ROW, start_column=1, end_row=_TITLE_ROW, end_column=width)
    sheet.cell(_TITLE_ROW, 1).font = Font(bold=True, size=14)
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    for row in (_ORG_ROW, _YEAR_ROW):
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.cell(row, 2).fill = input_fill
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)

    thin = Side(style="thin", color="999999")
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    example_fill = PatternFill("solid", fgColor="EDEDED")
    for column, (_, _, col_width, _) in enumerate(vocab.TEMPLATE_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = col_width
        header = sheet.cell(_HEADER_ROW, column)
        header.font = Font(bold=True)
        header.fill = header_fill
        header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        example = sheet.cell(_HEADER_ROW + 1, column)
        example.font = Font(italic=True, color="808080")
        example.fill = example_fill
        example.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(_HEADER_ROW + 1, 1)

    cadence_column = next(
        i for i, (field, _, _, _) in enumerate(vocab.TEMPLATE_COLUMNS, start=1) if field == vocab.FIELD_CADENCE
    )
    letter = get_column_letter(cadence_column)
    choices = ",".join(vocab.CADENCE_LABELS.values())
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    validation.error = "เลือก " + " / ".join(vocab.CADENCE_LABELS.values())
    validation.showErrorMessage = False
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{_HEADER_ROW + 1}:{letter}{_HEADER_ROW + 500}")

    notes = book.create_sheet(vocab.TEMPLATE_NOTES_SHEET)
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 100
    for line in vocab.TEMPLATE_NOTES_INTRO:
        notes.append([line])
    notes.cell(1, 1).font = Font(bold=True, size=13)
    for _, header, _, explanation in vocab.TEMPLATE_COLUMNS:
        notes.append([header, explanation])
        notes.cell(notes.max_row, 1).font = Font(bold=True)
        notes.cell(notes.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    book.save(target)


# --- reading ------------------------------------------------------------------------


def read_plan_sheet(
    path: str | Path,
    *,
    fiscal_year_be: int | None = None,
    org_name: str | None = None,
) -> PlanDocument:
    """Read measures from an .xlsx or .csv sheet, the template's layout or any other."""
    file_path = Path(path)
    if not file_path.exists():
        raise PlanImportError(msg("document.not_found", file=str(file_path)))
    return read_plan(file_path, fiscal_year_be=fiscal_year_be, org_name=org_name)
