"""Reading a staff list (XLSX or CSV) into plain rows: name, position, unit, role, phone."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ita.documents import DocumentReadError, decode_text
from ita.messages import MessageError, msg
from ita.plan_model import PlanWarning
from ita.thai import normalize_text
from ita.vocab.staff import HEADER_WORDS, ROLE_WORDS


class StaffImportError(MessageError):
    """Why a staff file cannot be used: ``str()`` one plain-English line, ``.message.th()`` the Thai."""


@dataclass
class StaffRow:
    line: int
    name: str
    position: str
    unit: str
    role: str  # officer | supervisor | admin
    phone: str


def parse_role(text: str) -> str | None:
    """Map a role cell (Thai or English) to officer / supervisor / admin."""
    cleaned = normalize_text(text).lower().replace(" ", "")
    if not cleaned:
        return "officer"
    for role, words in ROLE_WORDS.items():
        if any(word.replace(" ", "") in cleaned for word in words):
            return role
    return None


def _header_map(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        squashed = normalize_text(cell).lower().replace(" ", "")
        for field_name, words in HEADER_WORDS.items():
            if field_name not in found and any(w in squashed for w in words):
                found[field_name] = index
                break
    return found


def _rows_from_file(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StaffImportError(msg("staff.unreadable", path=str(path), reason=exc.strerror or str(exc))) from None
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            # Not read-only: merged cells (one สังกัด over several people) are only visible this way.
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise StaffImportError(msg("staff.bad_xlsx", name=path.name)) from None
        sheet = workbook.worksheets[0]
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    rows[r - 1][c - 1] = top
        workbook.close()
        return rows
    if suffix == ".csv":
        try:
            text = decode_text(data)
        except DocumentReadError as exc:
            raise StaffImportError(exc.message) from None
        return [row for row in csv.reader(io.StringIO(text))]
    raise StaffImportError(msg("staff.wrong_type", name=path.name))


def read_staff(path: str | Path) -> tuple[list[StaffRow], list[PlanWarning]]:
    """Read a staff list; rows with problems become warnings, not silent guesses."""
    rows = _rows_from_file(Path(path))
    # The header is the row naming the most columns: a title above it ("รายชื่อเจ้าหน้าที่…")
    # also contains ชื่อ, but nothing else a header has.
    header_index, columns = None, {}
    for index, cells in enumerate(rows[:20]):
        found = _header_map(cells)
        if "name" in found and len(found) > len(columns):
            header_index, columns = index, found
    if header_index is None:
        raise StaffImportError(msg("staff.no_header"))
    staff: list[StaffRow] = []
    warnings: list[PlanWarning] = []

    def cell(cells: list[str], field_name: str) -> str:
        i = columns.get(field_name)
        return normalize_text(cells[i]) if i is not None and i < len(cells) and cells[i] else ""

    for index, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        name = cell(cells, "name")
        if not name or name.startswith("ตัวอย่าง"):
            continue
        role_text = cell(cells, "role")
        role = parse_role(role_text)
        if role is None:
            warnings.append(PlanWarning(index, msg("staff.unknown_role", role=role_text, name=name)))
            role = "officer"
        phone = cell(cells, "phone")
        if phone.isdigit() and len(phone) in (8, 9):
            phone = "0" + phone  # typed as a number, Excel dropped the leading 0 every Thai number has
        staff.append(StaffRow(index, name, cell(cells, "position"), cell(cells, "unit"), role, phone))
    if not staff:
        raise StaffImportError(msg("staff.no_rows"))
    return staff, warnings
