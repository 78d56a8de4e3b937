"""Thai text and calendar helpers: normalisation, digits, Buddhist-era years, fiscal years, dates.

Plain functions over ``str``, ``int`` and ``datetime.date``.  Years called
``*_be`` are Buddhist era (พ.ศ. = CE + 543); ``date`` objects are always CE.
The fiscal year ปีงบประมาณ N runs from 1 October N−1 to 30 September N (BE).
"""

import functools
import re
import unicodedata
from datetime import date

from pythainlp.util import normalize as _thai_normalize

from ita.vocab import time as vocab

_BE_OFFSET = 543
_FISCAL_FIRST_MONTH = 10

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060"))
_WHITESPACE_RE = re.compile(r"\s+")
_MAX_REPAIR_ROUNDS = 8
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_ARABIC_DIGITS = "0123456789"
_TO_ARABIC = str.maketrans(_THAI_DIGITS, _ARABIC_DIGITS)
_TO_THAI = str.maketrans(_ARABIC_DIGITS, _THAI_DIGITS)

_YEAR = r"(?P<{name}>[0-9]{{4}}|[0-9]{{2}})(?![0-9])"
_DATE_RE = re.compile(
    r"(?<![0-9])(?P<iso_y>[0-9]{4})-(?P<iso_m>[0-9]{1,2})-(?P<iso_d>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9])(?P<dmy_d>[0-9]{1,2})/(?P<dmy_m>[0-9]{1,2})/"
    + _YEAR.format(name="dmy_y")
    + rf"|(?<![0-9])(?P<day>[0-9]{{1,2}})\s?(?:{vocab.MONTH_WORD}\s?)?"
    + vocab.MONTH_PATTERN
    + rf"\s?(?:(?P<ce>{vocab.ERA_CE_PATTERN})|{vocab.ERA_BE_PATTERN})?\s?"
    + _YEAR.format(name="year")
)


# Chat routing normalises the same short message several times (command, typo, status, score
# question); a cache of short texts makes the repeats free without holding on to whole documents.
_CACHED_LENGTH = 300


def normalize_text(s: str) -> str:
    """Return text in NFC with zero-width characters removed and whitespace collapsed."""
    return _normalize_short(s) if len(s) <= _CACHED_LENGTH else _normalize(s)


def _normalize(s: str) -> str:
    s = _WHITESPACE_RE.sub(" ", unicodedata.normalize("NFC", s).translate(_ZERO_WIDTH)).strip()
    # pythainlp repairs typing slips that defeat matching: เเ for แ, ํา for ำ,
    # doubled vowels and tone marks, a space before a mark.  One repair can
    # expose another, so repeat until nothing changes (callers rely on
    # normalize_text being idempotent); real text settles in one or two rounds.
    for _ in range(_MAX_REPAIR_ROUNDS):
        repaired = _WHITESPACE_RE.sub(" ", unicodedata.normalize("NFC", _thai_normalize(s))).strip()
        if repaired == s:
            break
        s = repaired
    return s


_normalize_short = functools.lru_cache(maxsize=4096)(_normalize)


def to_arabic_digits(s: str) -> str:
    """Replace Thai digits ๐–๙ with 0–9."""
    return s.translate(_TO_ARABIC)


def to_thai_digits(s: str) -> str:
    """Replace 0–9 with Thai digits ๐–๙."""
    return s.translate(_TO_THAI)


def be_to_ce(year: int) -> int:
    """Convert a Buddhist-era year to CE."""
    return year - _BE_OFFSET


def ce_to_be(year: int) -> int:
    """Convert a CE year to Buddhist era."""
    return year + _BE_OFFSET


def expand_be_year(y: int) -> int:
    """Return the four-digit Buddhist-era year meant by a written year.

    - 0–99 are the last two digits of a BE year in the 2500s: 67 → 2567.
    - 100–2399 are CE years (no document uses a BE year below 2400, which is
      CE 1857): 2024 → 2567.
    - 2400 and above are BE already: 2567 → 2567.
    """
    if y < 0:
        raise ValueError(f"a year cannot be negative: {y}")
    if y < 100:
        return 2500 + y
    if y < 2400:
        return ce_to_be(y)
    return y


def month_name(month: int, abbr: bool = False) -> str:
    """Return the Thai name of a month 1–12, full or abbreviated (ต.ค.)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    names = vocab.MONTHS_ABBR if abbr else vocab.MONTHS_FULL
    return names[month - 1]


def find_month(text: str) -> int | None:
    """Return the number of the first month named in text, or None."""
    match = vocab.MONTH_RE.search(to_arabic_digits(normalize_text(text)))
    return vocab.month_of_match(match) if match else None


def fiscal_year(d: date) -> int:
    """Return the Buddhist-era fiscal year a date falls in (2023-10-01 → 2567)."""
    return ce_to_be(d.year) + (1 if d.month >= _FISCAL_FIRST_MONTH else 0)


def fiscal_quarter(d: date) -> int:
    """Return the fiscal quarter 1–4 of a date; October–December is 1."""
    return (d.month - _FISCAL_FIRST_MONTH) % 12 // 3 + 1


def fiscal_year_bounds(year_be: int) -> tuple[date, date]:
    """Return the first and last day of a Buddhist-era fiscal year."""
    end_ce = be_to_ce(year_be)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def fiscal_months(year_be: int) -> list[date]:
    """Return the first day of each month of a fiscal year, October to September."""
    start, _ = fiscal_year_bounds(year_be)
    return [_month_start_after(start, i) for i in range(12)]


def format_thai_date(d: date, *, abbr: bool = True, thai_digits: bool = False) -> str:
    """Format a date the Thai way: "1 พ.ย. 2567", or "1 พฤศจิกายน 2567" in full."""
    text = f"{d.day} {month_name(d.month, abbr)} {ce_to_be(d.year)}"
    return to_thai_digits(text) if thai_digits else text


def format_month(d: date, *, abbr: bool = False, thai_digits: bool = False) -> str:
    """Format the month of a date: "พฤศจิกายน 2567", or "พ.ย. 2567" abbreviated."""
    text = f"{month_name(d.month, abbr)} {ce_to_be(d.year)}"
    return to_thai_digits(text) if thai_digits else text


def parse_thai_date(text: str | None) -> date | None:
    """Return the first valid date written in text, or None.

    Accepts "1 ตุลาคม 2568", "1 ต.ค. 68", "๑ ต.ค. ๒๕๖๘", "วันที่ 1 เดือนตุลาคม
    พ.ศ. 2568", ISO "2024-10-01" and "1/10/2568".  Years go through
    ``expand_be_year`` unless marked ค.ศ.; a day that does not exist (31 ก.พ.)
    is skipped.
    """
    if not text:
        return None
    for match in _DATE_RE.finditer(to_arabic_digits(normalize_text(text))):
        if match.group("iso_y"):
            day, month = int(match.group("iso_d")), int(match.group("iso_m"))
            year_ce = be_to_ce(expand_be_year(int(match.group("iso_y"))))
        elif match.group("dmy_y"):
            day, month = int(match.group("dmy_d")), int(match.group("dmy_m"))
            year_ce = be_to_ce(expand_be_year(int(match.group("dmy_y"))))
        else:
            day, month = int(match.group("day")), vocab.month_of_match(match)
            year = int(match.group("year"))
            if match.group("ce"):
                year_ce = year + 2000 if year < 100 else year
            else:
                year_ce = be_to_ce(expand_be_year(year))
        try:
            return date(year_ce, month, day)
        except ValueError:
            continue
    return None


def _month_start_after(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


_HONORIFICS = ("นางสาว", "นาง", "นาย", "น.ส.", "ดร.", "ว่าที่ร้อยตรี", "ว่าที่ ร.ต.")


def polite_name(name: str) -> str:
    """A name to follow คุณ: the person's name without นาย/นาง/นางสาว and the like."""
    cleaned = normalize_text(name)
    for honorific in sorted(_HONORIFICS, key=len, reverse=True):
        if cleaned.startswith(honorific) and len(cleaned) > len(honorific):
            return cleaned[len(honorific):].strip()
    return cleaned
