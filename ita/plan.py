"""An organisation's measure plan (or results report) as plain data, and the file reader.

`read_plan(path)` picks the parser by extension and content: exported text
documents (.txt/.md/.text, tables as TAB-separated lines) go to
`ita.plan_text`, spreadsheets made from Tidtam's template (.xlsx/.csv) to
`ita.plan_sheet`.  Anything that cannot be used raises `PlanImportError` with
a one-line reason an administrator can act on.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".text", ".markdown"})
SHEET_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".csv"})
# Formats people will try first; the message tells them what to do instead.
OFFICE_EXTENSIONS = frozenset({".docx", ".doc", ".pdf", ".xls", ".odt", ".ods", ".rtf"})
# Encodings tried in order for text files; cp874 is the Windows name for TIS-620.
TEXT_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "utf-16", "cp874")
# Share of control characters above which decoded bytes are not text at all.
MAX_CONTROL_SHARE = 0.02


class PlanImportError(Exception):
    """One-line, plain-English reason a file cannot be used."""


@dataclass
class ImportWarning:
    """Something the importer guessed or could not read, for the admin to check."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


@dataclass
class PlanMeasure:
    """One measure (มาตรการ) with its steps, owners, period and reported results.

    ``key`` identifies the measure within (organisation, fiscal year) across
    re-imports: the section keys and the number joined by "/" ("ส่วนที่1/1.1/2",
    "3"), "row" for an unnumbered measure, and "#2", "#3" for a key seen
    again.  It never contains the title, so correcting a title keeps the key.
    ``responsible_units`` holds canonical unit names, "*" for every unit and
    "person:<name>" for a named person or a position (see `ita.units`).
    Period dates are the first days of the first and last month.
    """

    key: str
    section_path: list[str]
    number: str
    title: str
    steps: str = ""
    responsible_text: str = ""
    responsible_units: list[str] = field(default_factory=list)
    period_text: str = ""
    period_start: date | None = None
    period_end: date | None = None
    period_assumed: bool = False
    cadence: str = "monthly"
    result_text: str = ""
    outcome_text: str = ""
    indicator_numbers: list[int] = field(default_factory=list)
    question_codes: list[str] = field(default_factory=list)
    source_line: int = 0


@dataclass
class PlanDocument:
    """Everything read from one plan file.

    ``units`` lists every unit the measures name, canonical names first seen
    first; names the importer does not know are included as written (each
    also has a warning).  ``source_format`` is "text", "markdown", "xlsx" or
    "csv".
    """

    org_name: str | None
    fiscal_year_be: int | None
    title: str | None
    district: str | None
    province: str | None
    measures: list[PlanMeasure]
    units: list[str]
    warnings: list[ImportWarning]
    source_format: str


def decode_text(data: bytes) -> str:
    """Decode a text file's bytes, trying UTF-8, UTF-16 and Thai Windows encodings."""
    if not data:
        raise PlanImportError("The file is empty.")
    candidates = list(TEXT_ENCODINGS)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Without a BOM, UTF-16 "decodes" almost any even-length byte string.
        candidates.remove("utf-16")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise PlanImportError(
        "The file is not readable text (tried UTF-8, UTF-16 and TIS-620/cp874); save it as UTF-8 text and try again."
    )


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return True
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls <= MAX_CONTROL_SHARE * len(text)


def read_plan(
    path: str | Path,
    *,
    fiscal_year_be: int | None = None,
    org_name: str | None = None,
) -> PlanDocument:
    """Read a plan from a text export, an .xlsx workbook or a .csv sheet."""
    from ita.plan_sheet import read_plan_sheet
    from ita.plan_text import parse_plan_text

    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except FileNotFoundError:
        raise PlanImportError(f"File not found: {file_path}") from None
    except IsADirectoryError:
        raise PlanImportError(f"{file_path} is a folder, not a file.") from None
    except OSError as error:
        raise PlanImportError(f"Cannot read {file_path}: {error.strerror or error}.") from None
    if not data.strip():
        raise PlanImportError("The file is empty.")

    suffix = file_path.suffix.lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix in SHEET_EXTENSIONS or (suffix not in TEXT_EXTENSIONS and is_zip and _is_xlsx(file_path)):
        return read_plan_sheet(file_path, fiscal_year_be=fiscal_year_be, org_name=org_name)
    if suffix in OFFICE_EXTENSIONS:
        raise PlanImportError(
            f"Cannot read {suffix} files: export the document as text (.txt) "
            "or copy the measures into the spreadsheet template (.xlsx)."
        )
    if is_zip:
        raise PlanImportError(f"Unsupported file type {suffix or '(none)'}: use .txt, .md, .xlsx or .csv.")
    # Any other name is tried as text: exports come as .txt, .text, .md or no extension at all.
    return parse_plan_text(
        decode_text(data),
        fiscal_year_be=fiscal_year_be,
        org_name=org_name,
        source_format="markdown" if suffix in {".md", ".markdown"} else "text",
    )


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.startswith("xl/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
