"""Measure periods (ระยะเวลาดำเนินการ): read a plan's period cell into a range of months.

A period is a run of whole months.  Cells come as month ranges with two- or
four-digit Buddhist-era years on one or both ends, full dates, a single month,
quarters, "รอบ 6 เดือน", whole-year words or nothing at all; see
``parse_period``.  ``parse_period`` never raises, so it is safe on any cell.
"""

import re
from dataclasses import dataclass
from datetime import date

from ita.thai import (
    be_to_ce,
    ce_to_be,
    expand_be_year,
    fiscal_months,
    fiscal_year,
    fiscal_year_bounds,
    month_name,
    normalize_text,
    to_arabic_digits,
)
from ita.vocab import time as vocab

# Years outside this window are typos or other numbers, not BE years.
_PLAUSIBLE_BE = range(2400, 3000)

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−~", "-"))
_YEAR_AFTER_MONTH = (
    rf"(?:\s?(?:{vocab.YEAR_WORD}\s?)?(?:(?P<ce>{vocab.ERA_CE_PATTERN})|{vocab.ERA_BE_PATTERN})?\s?"
    # A two-digit number followed by a month is that month's day, not a year.
    rf"(?P<year>[0-9]{{4}}(?![0-9])|[0-9]{{2}}(?![0-9])(?!\s?(?:{vocab.MONTH_WORD}\s?)?{vocab.ANY_MONTH_PATTERN})))?"
)
_MENTION_RE = re.compile(
    r"(?<![0-9])(?P<iso_y>[0-9]{4})-(?P<iso_m>[0-9]{1,2})-[0-9]{1,2}(?![0-9])"
    r"|(?<![0-9])[0-9]{1,2}/(?P<dmy_m>[0-9]{1,2})/(?P<dmy_y>[0-9]{4}|[0-9]{2})(?![0-9])"
    rf"|(?:(?<![0-9.])[0-9]{{1,2}}\s?)?(?:{vocab.MONTH_WORD}\s?)?{vocab.MONTH_PATTERN}{_YEAR_AFTER_MONTH}"
)
_FISCAL_YEAR_RE = re.compile(
    rf"{vocab.words_pattern(vocab.FISCAL_YEAR_WORDS)}\s?(?:{vocab.ERA_BE_PATTERN})?\s?"
    r"(?P<year>[0-9]{4}|[0-9]{2})(?![0-9])"
)
_YEAR_RE = re.compile(
    rf"{re.escape(vocab.YEAR_WORD)}\s?(?:{vocab.ERA_BE_PATTERN})?\s?(?P<short>[0-9]{{2}})(?![0-9])"
    r"|(?<![0-9])(?P<long>[0-9]{4})(?![0-9])"
)
_QUARTER = rf"{re.escape(vocab.QUARTER_WORD)}\s?(?:{vocab.ORDINAL_WORD}\s?)?"
_QUARTER_JOIN = vocab.words_pattern(vocab.QUARTER_JOIN_WORDS)
_QUARTER_RE = re.compile(
    rf"{_QUARTER}(?P<list>[1-4](?![0-9])(?:\s?{_QUARTER_JOIN}\s?(?:{_QUARTER})?[1-4](?![0-9]))*)"
    r"|(?<![a-z])q(?P<q>[1-4])(?![0-9])"
)
_QUARTER_FIRST_RE = re.compile(vocab.words_pattern(vocab.QUARTER_FIRST_WORDS))
_QUARTER_LAST_RE = re.compile(vocab.words_pattern(vocab.QUARTER_LAST_WORDS))
_FIRST_HALF_RE = re.compile(vocab.words_pattern(vocab.FIRST_HALF_WORDS))
_SECOND_HALF_RE = re.compile(vocab.words_pattern(vocab.SECOND_HALF_WORDS))
_WHOLE_YEAR_RE = re.compile(vocab.words_pattern(vocab.WHOLE_YEAR_WORDS))
_BY_MONTH_RE = re.compile(vocab.words_pattern(vocab.BY_MONTH_WORDS) + r"\s?$")
_FROM_MONTH_RE = re.compile(vocab.words_pattern(vocab.FROM_MONTH_WORDS) + r"\s?$")
_ONWARDS_RE = re.compile(r"^\s?" + vocab.words_pattern(vocab.ONWARDS_WORDS))
_NO_PERIOD_RE = re.compile(r"[\W_]*(?:" + vocab.words_pattern(vocab.NO_PERIOD_WORDS) + r"[\W_]*)?")


@dataclass(frozen=True)
class Period:
    """A run of whole months: start and end are the first days of the first and last month."""

    start: date
    end: date
    assumed: bool = False
    note: str | None = None

    def __post_init__(self) -> None:
        if self.start.day != 1 or self.end.day != 1:
            raise ValueError("a period starts and ends on the first day of a month")
        if self.start > self.end:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class _Mention:
    month: int
    year_be: int | None
    start: int
    end: int


def parse_period(text: str | None, fiscal_year_be: int | None = None) -> Period | None:
    """Read a period cell into a Period; never raises.

    Understood: month ranges with the year on both ends, on one end only
    (``ตุลาคม - ธันวาคม ๖๖`` is October–December 2566) or on neither (then
    October–December belong to the year before ``fiscal_year_be``); full
    dates; a single month, alone or after ภายใน (from the fiscal year's start)
    or with ตั้งแต่/เป็นต้นไป (to its end); ไตรมาส 1–4; รอบ 6 เดือน and
    other halves; whole-year words and a bare fiscal year.  Hyphens, dashes,
    ถึง, any spacing, Thai or Arabic digits.

    An inverted range is swapped and a range outside the fiscal year is kept;
    both get a note.  Text that is empty or unreadable gives the whole fiscal
    year with ``assumed=True`` and a note, or None without a fiscal year.
    """
    given_year = _plausible_year(fiscal_year_be)
    cleaned = _clean(text or "")
    if _NO_PERIOD_RE.fullmatch(cleaned):
        return _assume_whole_year(given_year, vocab.NOTE_NO_PERIOD)
    stated_year = _stated_fiscal_year(cleaned)
    period = _from_months(cleaned, stated_year or given_year)
    if period is None:
        written_year = stated_year or _bare_year(cleaned)
        period = _from_words(cleaned, written_year or given_year, year_written=written_year is not None)
    return period or _assume_whole_year(given_year, vocab.NOTE_UNREADABLE)


def period_label(p: Period) -> str:
    """Return a short Thai label: "ต.ค. 2566 – ก.ย. 2567", or one month alone."""
    first = f"{month_name(p.start.month, abbr=True)} {ce_to_be(p.start.year)}"
    if p.start == p.end:
        return first
    return f"{first} – {month_name(p.end.month, abbr=True)} {ce_to_be(p.end.year)}"


def _clean(text: str) -> str:
    return to_arabic_digits(normalize_text(text)).translate(_DASHES).lower()


def _plausible_year(year: object) -> int | None:
    if not isinstance(year, int) or isinstance(year, bool) or year < 0:
        return None
    year_be = expand_be_year(year)
    return year_be if year_be in _PLAUSIBLE_BE else None


def _month_start(year_be: int, month: int) -> date:
    return date(be_to_ce(year_be), month, 1)


def _fiscal_months(year_be: int) -> tuple[date, date]:
    start, end = fiscal_year_bounds(year_be)
    return start, end.replace(day=1)


def _stated_fiscal_year(text: str) -> int | None:
    match = _FISCAL_YEAR_RE.search(text)
    return _plausible_year(int(match.group("year"))) if match else None


def _mentions(text: str) -> list[_Mention]:
    found = []
    for match in _MENTION_RE.finditer(text):
        if match.group("iso_y"):
            month, year = int(match.group("iso_m")), _plausible_year(int(match.group("iso_y")))
        elif match.group("dmy_y"):
            month, year = int(match.group("dmy_m")), _plausible_year(int(match.group("dmy_y")))
        else:
            month, year = vocab.month_of_match(match), None
            if match.group("year"):
                written = int(match.group("year"))
                if match.group("ce"):
                    written = ce_to_be(written + 2000 if written < 100 else written)
                year = _plausible_year(written)
        if 1 <= month <= 12:
            found.append(_Mention(month, year, match.start(), match.end()))
    return found


def _fill_years(months: list[int], written: list[int | None], year: int | None) -> list[int] | None:
    """Give every month a BE year, inferring missing ones from their neighbours."""
    anchor = next(((i, y) for i, y in enumerate(written) if y is not None), None)
    if anchor is None:
        if year is None:
            return None
        # With no year at all, October–December belong to the calendar year before the fiscal year.
        anchor = (0, year - 1 if months[0] >= 10 else year)
    first_known, years = anchor[0], [anchor[1]] * len(months)
    for i in range(first_known - 1, -1, -1):
        years[i] = years[i + 1] if months[i] <= months[i + 1] else years[i + 1] - 1
    for i in range(first_known + 1, len(months)):
        known = written[i]
        if known is not None:
            years[i] = known
        else:
            years[i] = years[i - 1] if months[i] >= months[i - 1] else years[i - 1] + 1
    return years


def _from_months(text: str, year: int | None) -> Period | None:
    mentions = _mentions(text)
    if not mentions:
        return None
    months = [m.month for m in mentions]
    years = _fill_years(months, [m.year_be for m in mentions], year)
    if years is None:
        return None
    starts = [_month_start(y, m) for y, m in zip(years, months)]
    notes = []
    if len(starts) == 1:
        start = end = starts[0]
        before, after = text[: mentions[0].start], text[mentions[0].end :]
        own_year = fiscal_year(start)
        if _BY_MONTH_RE.search(before):
            start = _fiscal_months(own_year)[0]
            notes.append(vocab.NOTE_UNTIL_MONTH)
        elif _FROM_MONTH_RE.search(before) or _ONWARDS_RE.match(after):
            end = _fiscal_months(own_year)[1]
            notes.append(vocab.NOTE_FROM_MONTH)
    else:
        start, end = min(starts), max(starts)
        if starts[-1] < starts[0]:
            notes.append(vocab.NOTE_SWAPPED)
    reference_year = year if year is not None else fiscal_year(start)
    first, last = _fiscal_months(reference_year)
    if start < first or end > last:
        notes.append(vocab.NOTE_OUTSIDE_FISCAL_YEAR.format(year=reference_year))
    return Period(start, end, note="; ".join(notes) or None)


def _quarters(text: str) -> list[int]:
    quarters = []
    for match in _QUARTER_RE.finditer(text):
        digits = match.group("list") or match.group("q")
        quarters += [int(d) for d in re.findall(r"[1-4]", digits)]
    if _QUARTER_FIRST_RE.search(text):
        quarters.append(1)
    if _QUARTER_LAST_RE.search(text):
        quarters.append(4)
    return quarters


def _from_words(text: str, year: int | None, *, year_written: bool) -> Period | None:
    if year is None:
        return None
    months = fiscal_months(year)
    quarters = _quarters(text)
    if quarters:
        return Period(months[3 * (min(quarters) - 1)], months[3 * max(quarters) - 1])
    if _FIRST_HALF_RE.search(text):
        return Period(months[0], months[5])
    if _SECOND_HALF_RE.search(text):
        return Period(months[6], months[11])
    if year_written or _WHOLE_YEAR_RE.search(text):
        return Period(months[0], months[11])
    return None


def _bare_year(text: str) -> int | None:
    """Return a year written alone ("ปี 67", "2567"), read as a fiscal year."""
    for match in _YEAR_RE.finditer(text):
        if match.group("short"):
            return _plausible_year(int(match.group("short")))
        written = int(match.group("long"))
        if written in _PLAUSIBLE_BE:
            return written
    return None


def _assume_whole_year(year: int | None, note: str) -> Period | None:
    if year is None:
        return None
    first, last = _fiscal_months(year)
    return Period(first, last, assumed=True, note=note.format(year=year))
