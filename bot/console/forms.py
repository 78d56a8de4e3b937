"""Reading the console's form fields: months, days, indicator lists, cadences, uploads.

Each reader returns a value or raises FormError with the Thai sentence to show.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import flash, redirect, request, url_for
from werkzeug.datastructures import FileStorage

from bot.console import imports
from bot.console.blueprint import UPLOAD_MAX_BYTES, bp, services, visitor
from bot.console.sessions import CONSOLE_PREFIX
from ita.thai import to_arabic_digits
from line import texts
from models.plan import Cadence

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class FormError(ValueError):
    """A field's value cannot be used; the message is Thai, for the page."""


# The page each part of the console goes back to when a form sent to it cannot be used.
SECTION_PAGES = {"plan": "console.plan", "scores": "console.scores", "people": "console.people",
                 "reminders": "console.reminders"}


@bp.errorhandler(FormError)
def back_with_the_reason(exc: FormError):
    """Say why (in Thai) on the page of the part the form belongs to; nothing was saved."""
    flash(str(exc), "error")
    section = request.path.removeprefix(CONSOLE_PREFIX).strip("/").split("/", 1)[0]
    return redirect(url_for(SECTION_PAGES.get(section, "console.dashboard")))


def month(value: str | None) -> date | None:
    """``2025-10`` (an <input type=month>) as the month's first day; empty is None."""
    value = (value or "").strip()
    if not value:
        return None
    match = MONTH_RE.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise FormError(texts.CONSOLE_BAD_PERIOD)
    return date(int(match.group(1)), int(match.group(2)), 1)


def day(value: str | None) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormError(texts.CONSOLE_BAD_DAY) from None


def indicators(value: str | None) -> list[int]:
    """``9, 10`` (Thai digits too) as [9, 10]; each must be an indicator number 1-10."""
    parts = [p for p in re.split(r"[,\s]+", to_arabic_digits(value or "")) if p]
    numbers = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 10:
            raise FormError(texts.CONSOLE_BAD_INDICATORS)
        numbers.append(int(part))
    return sorted(set(numbers))


def cadence(value: str | None) -> str:
    if value not in {c.value for c in Cadence}:
        raise FormError(texts.CONSOLE_BAD_CADENCE)
    return value


def period(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    if (start is None) != (end is None) or (start and end and start > end):
        raise FormError(texts.CONSOLE_BAD_PERIOD)
    return start, end


def clock_time(value: str | None) -> str:
    value = (value or "").strip()
    try:
        datetime.strptime(value, "%H:%M")
    except ValueError:
        raise FormError(texts.CONSOLE_BAD_TIME) from None
    return value


def year_be(value: str | None) -> int | None:
    value = to_arabic_digits((value or "").strip())
    if not value:
        return None
    if not value.isdigit() or not 2400 <= int(value) < 3000:
        raise FormError(texts.CONSOLE_PLAN_NO_YEAR)
    return int(value)


def whole_number(value: str | None) -> int | None:
    """A positive whole number from a form field (Thai digits too), or None."""
    text = to_arabic_digits((value or "").strip())
    return int(text) if text.isdigit() and int(text) > 0 else None


def upload(field: str, suffixes: tuple[str, ...]) -> tuple[bytes, str]:
    """The uploaded file's bytes (read into memory, never saved) and its name."""
    file: FileStorage | None = request.files.get(field)
    if file is None or not file.filename:
        raise FormError(texts.CONSOLE_NO_FILE)
    name = file.filename
    if not name.lower().endswith(suffixes):
        raise FormError(texts.CONSOLE_FILE_TYPE.format(types=" ".join(suffixes)))
    data = file.read(UPLOAD_MAX_BYTES + 1)
    if len(data) > UPLOAD_MAX_BYTES:
        raise FormError(texts.CONSOLE_TOO_LARGE.format(mb=UPLOAD_MAX_BYTES // (1024 * 1024)))
    if not data:
        raise FormError(texts.CONSOLE_NO_FILE)
    return data, name


def unsealed(kind: str, field: str) -> Any:
    """What a preview or choice form carries back, sealed by the page that made it; FormError when stale."""
    try:
        return imports.unseal(services().settings.signing_key, kind, visitor().organisation_id,
                              request.form.get(field, ""))
    except imports.StalePreview:
        raise FormError(texts.CONSOLE_PLAN_PREVIEW_STALE) from None


def sealed(kind: str, payload: Any) -> str:
    """Seal what the next form must carry back (a preview, an upload), bound to the organisation."""
    return imports.seal(services().settings.signing_key, kind, visitor().organisation_id, payload)
