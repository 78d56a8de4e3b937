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
import io
from datetime import date, datetime
from pathlib import Path

from ita.plan import PlanDocument, PlanImportError, decode_text
from ita.plan_text import PlanBuilder, clean_text, match_header, squash
from ita.thai import expand_be_year, format_month, to_arabic_digits
from ita.vocab import plan as vocab

# Rows searched for the header before giving up on a sheet.
HEADER_SEARCH_ROWS = 40
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


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ใช่" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_month(value.date())
    if isinstance(value, date):
        return format_month(value)
    return str(value)


def _xlsx_rows(path: Path) -> list[list[tuple[int, list[str]]]]:
    """Rows of every sheet except the notes, each row with its 1-based number."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on damaged files
        raise PlanImportError(
            f"The spreadsheet {path.name} could not be opened: it is damaged or not an .xlsx file "
            f"({type(error).__name__})."
        ) from None
    try:
        sheets = []
        for sheet in book.worksheets:
            if squash(sheet.title) == squash(vocab.TEMPLATE_NOTES_SHEET):
                continue
            rows = []
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, [_cell_text(value) for value in row]))
            sheets.append(rows)
        return sheets
    except Exception as error:  # a broken sheet part inside a valid zip
        raise PlanImportError(
            f"The spreadsheet {path.name} could not be read: it is damaged ({type(error).__name__})."
        ) from None
    finally:
        book.close()


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    text = decode_text(path.read_bytes())
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    except csv.Error as error:
        raise PlanImportError(f"The CSV file could not be read: {error}.") from None


def _label_value(cells: list[str], labels: tuple[str, ...]) -> str | None:
    """The value next to a label cell ("ชื่อหน่วยงาน | อบต.…"), or None."""
    filled = [cell.strip() for cell in cells if cell and cell.strip()]
    if len(filled) < 2 or len(filled) > 3:
        return None
    label = squash(clean_text(filled[0])).rstrip(":：")
    if any(label.startswith(squash(word)) for word in labels):
        return clean_text(filled[1])
    return None


def _is_example(cells: list[str]) -> bool:
    """The template's sample row: its first or second filled cell starts with ตัวอย่าง."""
    filled = [cell.strip().lstrip("([*") for cell in cells if cell and cell.strip()]
    return any(cell.startswith(vocab.TEMPLATE_EXAMPLE_MARK) for cell in filled[:2])


def _has_measure_header(rows: list[tuple[int, list[str]]]) -> bool:
    for _, cells in rows[:HEADER_SEARCH_ROWS]:
        header = match_header(cells)
        if header is not None and header.is_measure_table:
            return True
    return False


def read_plan_sheet(
    path: str | Path,
    *,
    fiscal_year_be: int | None = None,
    org_name: str | None = None,
) -> PlanDocument:
    """Read measures from an .xlsx or .csv sheet laid out like the template."""
    file_path = Path(path)
    if not file_path.exists():
        raise PlanImportError(f"File not found: {file_path}")
    if file_path.suffix.lower() == ".csv":
        source_format = "csv"
        candidates = [_csv_rows(file_path)]
    else:
        source_format = "xlsx"
        candidates = _xlsx_rows(file_path)
    rows = next((sheet for sheet in candidates if _has_measure_header(sheet)), None)
    if rows is None:
        raise PlanImportError(
            "No measure table found in the sheet: expected a header row with a มาตรการ/แนวทาง column "
            "and ผู้รับผิดชอบ, ระยะเวลาดำเนินการ or ขั้นตอน columns."
        )

    stated_org, stated_year = org_name, fiscal_year_be
    header_seen = False
    pending: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if not header_seen:
            header = match_header(cells)
            if header is not None and header.is_measure_table:
                header_seen = True
            else:
                org = _label_value(cells, vocab.ORG_LABELS)
                year = _label_value(cells, vocab.YEAR_LABELS)
                if org and stated_org is None:
                    stated_org = org
                    continue
                if year and stated_year is None:
                    digits = "".join(ch for ch in to_arabic_digits(year) if ch.isdigit())
                    if digits and len(digits) in (2, 4):
                        stated_year = expand_be_year(int(digits))
                        continue
        pending.append((number, cells))

    builder = PlanBuilder(
        fiscal_year_be=stated_year,
        org_name=stated_org,
        source_format=source_format,
        one_row_per_measure=True,
    )
    for number, cells in pending:
        if not any(cell.strip() for cell in cells):
            builder.blank()
            continue
        if _is_example(cells):
            continue
        builder.row(number, cells)
    return builder.finish()
