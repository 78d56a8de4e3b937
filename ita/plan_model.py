"""Plain data read from a measure plan or results report: measures, warnings and the import errors.

Every plan reader returns these; nothing here reads a file, so the readers
(`ita.measures`, `ita.tables`) and the dispatcher (`ita.plan`) can all import
this module without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ita.messages import LineWarning, Message, MessageError


class PlanImportError(MessageError):
    """Why a file cannot be used: ``str()`` one plain-English line, ``.message.th()`` the Thai."""


@dataclass
class CandidateColumn:
    """One column of a candidate table: its 1-based number, header, a sample cell and the guessed role."""

    number: int
    header: str
    sample: str
    guess: str | None = None


@dataclass
class TableCandidate:
    """A table that might hold the measures, shown to the admin who chooses its columns.

    ``number`` is the table's 1-based position in the document (pass it as
    ``tables=[number]``), ``suggestion`` the columns the importer would guess,
    written as for ``--columns`` ("measure=2, unit=3, period=5").
    """

    number: int
    where: str
    rows: int
    columns: list[CandidateColumn]
    suggestion: str = ""

    def describe(self) -> str:
        """Several plain lines: the table, then one line per column."""
        lines = [f"Table {self.number} ({self.where}, {self.rows} rows); guessed: {self.suggestion or 'nothing'}"]
        for column in self.columns:
            guess = f" -> {column.guess}" if column.guess else ""
            header = column.header or "(no header)"
            lines.append(f"  column {column.number}: {header[:40]}{guess} | e.g. {column.sample[:50]}")
        return "\n".join(lines)


class PlanTableChoiceError(PlanImportError):
    """No table reading is clearly right: ``candidates`` lists the tables and columns to choose from.

    ``str(error)`` is one line for the CLI; print ``error.describe()`` below it
    and ask for ``columns=`` (``--columns measure=2,unit=3,period=5``).
    """

    def __init__(self, message: Message, candidates: list[TableCandidate]) -> None:
        super().__init__(message)
        self.candidates = candidates

    def describe(self) -> str:
        """Every candidate table with its columns, several lines."""
        return "\n".join(candidate.describe() for candidate in self.candidates)


class PlanWarning(LineWarning):
    """A plan importer's warning, for the admin to check (see ita.messages.LineWarning)."""


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
    warnings: list[PlanWarning]
    source_format: str
