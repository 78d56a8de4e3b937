"""The one place the console calls the document importers, and how a preview travels.

An upload is read from memory through a temporary folder that is deleted as
soon as the importer returns: nothing is stored until the admin presses
นำเข้า. Between the preview and that press, the parsed document travels in
the preview form itself, signed (itsdangerous, SECRET_KEY) and bound to the
organisation, so the server keeps no state and a tampered form is refused.

When the plan importer's new API lands (issue 17: choosing columns), only
``read_plan_upload`` needs to change.
"""
from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from ita.plan import PlanDocument, PlanImportError, PlanMeasure, read_plan
from ita.score_text import ScoreDocument, ScoreImportError, read_scores
from ita.scores import YearScores
from ita.staff import StaffImportError, StaffRow, read_staff

PLAN_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".csv", ".xlsx", ".xlsm", ".docx", ".doc", ".pdf", ".odt")
STAFF_SUFFIXES = (".xlsx", ".xlsm", ".csv")
SCORE_SUFFIXES = (".txt", ".md", ".csv", ".tsv", ".xlsx", ".xlsm")
PREVIEW_MAX_AGE = 3 * 3600  # a preview left open over lunch still imports


class UploadError(ValueError):
    """The upload cannot be used; the message is shown to the admin."""


class StalePreview(ValueError):
    """The signed preview is too old, tampered with, or from another organisation."""


def suffix_of(filename: str) -> str:
    return Path(filename or "").suffix.lower()


def _with_temp_file(data: bytes, filename: str, read):
    with tempfile.TemporaryDirectory(prefix="tidtam-upload-") as folder:
        path = Path(folder) / ("upload" + suffix_of(filename))  # the user's name never reaches the disk
        path.write_bytes(data)
        return read(path)


def read_plan_upload(data: bytes, filename: str, *, fiscal_year_be: int | None) -> PlanDocument:
    """Parse an uploaded plan or results report."""
    try:
        return _with_temp_file(data, filename, lambda path: read_plan(path, fiscal_year_be=fiscal_year_be))
    except PlanImportError as exc:
        raise UploadError(str(exc)) from None


def read_staff_upload(data: bytes, filename: str) -> tuple[list[StaffRow], list]:
    """Parse an uploaded staff list (ชื่อ-สกุล, ตำแหน่ง, หน่วยงาน, บทบาท, โทรศัพท์)."""
    try:
        return _with_temp_file(data, filename, read_staff)
    except StaffImportError as exc:
        raise UploadError(str(exc)) from None


def read_scores_upload(data: bytes, filename: str, *, year_be: int | None) -> ScoreDocument:
    """Parse an uploaded ITA results report or score sheet."""
    try:
        return _with_temp_file(data, filename, lambda path: read_scores(path, year_be=year_be))
    except ScoreImportError as exc:
        raise UploadError(str(exc)) from None


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
