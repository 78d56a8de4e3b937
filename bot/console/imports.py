"""The one place the console calls the document importers, and how a preview travels.

An upload is read from memory through a temporary folder that is deleted as
soon as the importer returns: nothing is stored until the admin presses
นำเข้า. Between the preview and that press, the parsed document travels in
the preview form itself, signed (itsdangerous, SECRET_KEY) and bound to the
organisation, so the server keeps no state and a tampered form is refused.

The importers' errors and warnings reach the admin in Thai: each carries an
`ita.messages.Message`, and the console shows its ``th()`` (the CLI prints the
English).

When the importer cannot tell which table and columns hold the measures it
asks (PlanTableChoiceError); the console then shows the candidate tables with
a column picker, and the upload itself travels in that form, signed and
compressed, so it is still stored nowhere.
"""
from __future__ import annotations

import base64
import dataclasses
import tempfile
import zlib
from datetime import date
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from ita.messages import Message
from ita.plan import PlanDocument, PlanImportError, PlanMeasure, PlanTableChoiceError, TableCandidate, read_plan
from ita.score_text import ScoreConflict, ScoreConflictError, ScoreDocument, ScoreImportError, read_scores
from ita.scores import YearScores
from ita.staff import StaffImportError, StaffRow, read_staff

PLAN_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".csv", ".xlsx", ".xlsm", ".docx", ".doc", ".pdf", ".odt")
STAFF_SUFFIXES = (".xlsx", ".xlsm", ".csv")
SCORE_SUFFIXES = (".txt", ".md", ".csv", ".tsv", ".xlsx", ".xlsm")
PREVIEW_MAX_AGE = 3 * 3600  # a preview left open over lunch still imports


class UploadError(ValueError):
    """The upload cannot be used; ``message.th()`` is shown to the admin."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en())
        self.message = message


class StalePreview(ValueError):
    """The signed preview is too old, tampered with, or from another organisation."""


def suffix_of(filename: str) -> str:
    return Path(filename or "").suffix.lower()


def _with_temp_file(data: bytes, filename: str, read):
    with tempfile.TemporaryDirectory(prefix="tidtam-upload-") as folder:
        path = Path(folder) / ("upload" + suffix_of(filename))  # the user's name never reaches the disk
        path.write_bytes(data)
        return read(path)


class ColumnsNeeded(Exception):
    """The importer found tables but could not tell which one, or which columns, hold the measures."""

    def __init__(self, candidates: list[TableCandidate]) -> None:
        super().__init__("choose the table and its columns")
        self.candidates = candidates


def read_plan_upload(data: bytes, filename: str, *, fiscal_year_be: int | None, columns: dict[str, int] | None = None,
                     table: int | None = None) -> PlanDocument:
    """Parse an uploaded plan or results report, with the admin's choice of table and columns if given."""
    def read(path: Path) -> PlanDocument:
        return read_plan(path, fiscal_year_be=fiscal_year_be, columns=columns or None,
                         tables=[table] if table else None)

    try:
        return _with_temp_file(data, filename, read)
    except PlanTableChoiceError as exc:
        raise ColumnsNeeded(exc.candidates) from None
    except PlanImportError as exc:
        raise UploadError(exc.message) from None


def candidate_to_json(candidate: TableCandidate) -> dict[str, Any]:
    return dataclasses.asdict(candidate)


def pack_upload(data: bytes) -> str:
    """The upload as text for a hidden form field (compressed; the caller seals it)."""
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack_upload(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def read_staff_upload(data: bytes, filename: str) -> tuple[list[StaffRow], list]:
    """Parse an uploaded staff list (ชื่อ-สกุล, ตำแหน่ง, หน่วยงาน, บทบาท, โทรศัพท์)."""
    try:
        return _with_temp_file(data, filename, read_staff)
    except StaffImportError as exc:
        raise UploadError(exc.message) from None


class ScoresDisagree(Exception):
    """Two places in the document give one figure differently; the admin says which to believe."""

    def __init__(self, conflicts: list[ScoreConflict]) -> None:
        super().__init__("the document contradicts itself")
        self.conflicts = conflicts


def read_scores_upload(data: bytes, filename: str, *, year_be: int | None, prefer: str | None = None
                       ) -> ScoreDocument:
    """Parse an uploaded ITA results report or score sheet (``prefer``: the place to believe on a conflict)."""
    try:
        return _with_temp_file(data, filename, lambda path: read_scores(path, year_be=year_be, prefer=prefer))
    except ScoreConflictError as exc:
        raise ScoresDisagree(exc.conflicts) from None
    except ScoreImportError as exc:
        raise UploadError(exc.message) from None


# -- the signed preview -------------------------------------------------------------------

def _serializer(signing_key: str, kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key, salt=f"tidtam-console-preview-{kind}")


def seal(signing_key: str, kind: str, organisation_id: int, payload: Any) -> str:
    return _serializer(signing_key, kind).dumps({"org": organisation_id, "data": payload})


def unseal(signing_key: str, kind: str, organisation_id: int, token: str) -> Any:
    try:
        sealed = _serializer(signing_key, kind).loads(token or "", max_age=PREVIEW_MAX_AGE)
    except BadSignature:  # SignatureExpired is a BadSignature
        raise StalePreview(kind) from None
    if sealed.get("org") != organisation_id:
        raise StalePreview(kind)
    return sealed["data"]


def _date_fields(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls) if "date" in str(f.type)}


def measure_to_json(item: PlanMeasure) -> dict[str, Any]:
    data = dataclasses.asdict(item)
    for name in _date_fields(PlanMeasure):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def measure_from_json(data: dict[str, Any]) -> PlanMeasure:
    known = {f.name for f in dataclasses.fields(PlanMeasure)}
    values = {k: v for k, v in data.items() if k in known}
    for name in _date_fields(PlanMeasure):
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    return PlanMeasure(**values)


def plan_document(measures: list[PlanMeasure], *, source_format: str = "console") -> PlanDocument:
    """A document of corrected measures for models.plan.apply_plan."""
    units = list(dict.fromkeys(u for m in measures for u in m.responsible_units))
    return PlanDocument(org_name=None, fiscal_year_be=None, title=None, district=None, province=None,
                        measures=measures, units=units, warnings=[], source_format=source_format)


def scores_to_json(scores: YearScores) -> dict[str, Any]:
    data = dataclasses.asdict(scores)
    data["indicators"] = {str(k): v for k, v in scores.indicators.items()}
    return data


def scores_from_json(data: dict[str, Any]) -> YearScores:
    values = dict(data)
    values["indicators"] = {int(k): float(v) for k, v in data.get("indicators", {}).items()}
    return YearScores(**values)


def staff_to_json(row: StaffRow) -> dict[str, Any]:
    return dataclasses.asdict(row)


def staff_from_json(data: dict[str, Any]) -> StaffRow:
    return StaffRow(**data)
