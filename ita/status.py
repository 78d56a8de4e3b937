"""Progress replies: statuses, percentages, measure numbers and the typed report command.

Officers answer in free Thai ("ดำเนินการแล้ว 100%", "ยังไม่ได้ทำ",
"คืบหน้า ๖๐%") or type ``รายงาน 1.2 ดำเนินการแล้ว 100% …``.  Statuses are
checked most specific first, negations before positives; "ดำเนินการ" alone
gives ``AMBIGUOUS`` so the bot can ask.  Spans returned by the ``find_*``
functions index into ``normalize_text(text)`` (the same string when the text
is already normalised).
"""

import enum
import math
import re
from dataclasses import dataclass

from ita.thai import normalize_text, to_arabic_digits
from ita.vocab import status as vocab


class Status(str, enum.Enum):
    """Where a measure stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


STATUS_LABELS: dict[Status, str] = {status: vocab.STATUS_LABELS_TH[status.value] for status in Status}


class AmbiguousType(enum.Enum):
    """The type of AMBIGUOUS: a status word was given that fits more than one status."""

    AMBIGUOUS = "ambiguous"


AMBIGUOUS = AmbiguousType.AMBIGUOUS

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Masks keep every index in place, and are neither letters nor spaces.
_MASK = "\x00"


def _phrase(word: str) -> str:
    if word.isascii():
        # English words need boundaries, or "done" would match "abandoned".
        body = r"[\s_]?".join(map(re.escape, word.split()))
        return (r"\b" if word[0].isalnum() else "") + body + (r"\b" if word[-1].isalnum() else "")
    return r"\s?".join(re.escape(ch) for ch in word if not ch.isspace())


def _alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(_phrase(w) for w in sorted(words, key=len, reverse=True)) + ")"


_POSTPONED = _phrase(vocab.POSTPONED_WORD) + "(?!" + _alternation(vocab.POSTPONED_NOT_BEFORE) + ")"
_WAITING = _phrase(vocab.WAITING_WORD) + r"\s?" + _alternation(vocab.WAITING_OBJECTS)
_BLOCKED = f"(?:{_alternation(vocab.BLOCKED_WORDS)}|{_POSTPONED}|{_WAITING})"

# Checked in this order; the first tier with a match decides.
_TIERS: tuple[tuple[Status | AmbiguousType, re.Pattern[str]], ...] = (
    (Status.NOT_STARTED, re.compile(_alternation(vocab.NOT_STARTED_WORDS))),
    (Status.IN_PROGRESS, re.compile(_alternation(vocab.PARTIAL_WORDS))),
    (Status.BLOCKED, re.compile(_alternation(vocab.FAILED_WORDS))),
    (Status.DONE, re.compile(_alternation(vocab.DONE_WORDS))),
    (Status.BLOCKED, re.compile(_BLOCKED)),
    (Status.IN_PROGRESS, re.compile(_alternation(vocab.IN_PROGRESS_WORDS))),
    (AMBIGUOUS, re.compile(_alternation(vocab.AMBIGUOUS_WORDS))),
)
_NEUTRAL_RE = re.compile(_alternation(vocab.NEUTRAL_WORDS))
_ALL_STATUS_WORDS = (
    vocab.NOT_STARTED_WORDS
    + vocab.PARTIAL_WORDS
    + vocab.FAILED_WORDS
    + vocab.DONE_WORDS
    + vocab.IN_PROGRESS_WORDS
    + vocab.AMBIGUOUS_WORDS
)
_ANY_STATUS_RE = re.compile(f"{_alternation(_ALL_STATUS_WORDS)}|{_BLOCKED}")

_NUMBER = r"[0-9]{1,3}(?:\.[0-9]+)?"
_PERCENT_SUFFIX = _alternation(vocab.PERCENT_SUFFIXES)
_PERCENT_RE = re.compile(
    rf"{_alternation(vocab.PERCENT_PREFIXES)}\s?(?P<before>{_NUMBER})(?![0-9])"
    rf"|(?<![0-9.])(?P<after>{_NUMBER})\s?{_PERCENT_SUFFIX}"
)
_BARE_NUMBER_RE = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?!\.?[0-9])")

_REPORT_RE = re.compile(rf"[/#]?{_alternation(vocab.REPORT_WORDS)}(?![a-z])")
_MEASURE_PREFIX = _alternation(vocab.MEASURE_NUMBER_PREFIXES)
_MEASURE_RE = re.compile(rf"(?:{_MEASURE_PREFIX}\s?)?(?P<number>[a-z]?[0-9]+(?:\.[0-9]+)*)\.?(?![0-9])")
_MEASURE_IS_PERCENT_RE = re.compile(rf"\s?{_PERCENT_SUFFIX}")
_SEPARATORS_RE = re.compile(r"[\s,:;\-–—/()\[\]]+")


@dataclass
class ReportCommand:
    """A typed progress report: ``รายงาน <measure> <status> [<percent>] [<what was done>]``."""

    measure_number: str | None
    status: Status | None
    ambiguous_status: bool
    percent: int | None
    text: str


def find_status(text: str) -> tuple[Status | AmbiguousType | None, int, int]:
    """Return the status a reply states and the span of its words, or (None, -1, -1)."""
    folded = _NEUTRAL_RE.sub(lambda m: _MASK * len(m.group()), _fold(text))
    for status, pattern in _TIERS:
        match = pattern.search(folded)
        if match:
            return status, match.start(), match.end()
    return None, -1, -1


def parse_status(text: str) -> Status | AmbiguousType | None:
    """Return the status a reply states, AMBIGUOUS for a bare "ดำเนินการ", or None."""
    return find_status(text)[0]


def find_percent(text: str, *, bare_ok: bool = False) -> tuple[int | None, int, int]:
    """Return the first percentage 0–100 in text and its span, or (None, -1, -1).

    ``80%``, ``80 %``, ``๘๐%``, ``ร้อยละ 80``, ``80 เปอร์เซ็นต์``; with
    ``bare_ok`` also a number standing alone when it is the only number in the
    text (the answer to "how many percent?").  Decimals are rounded down so
    99.5 never reads as finished.
    """
    folded = _fold(text)
    for match in _PERCENT_RE.finditer(folded):
        value = _percent_value(match.group("before") or match.group("after"))
        if value is not None:
            return value, match.start(), match.end()
    if bare_ok:
        numbers = list(_BARE_NUMBER_RE.finditer(folded))
        if len(numbers) == 1:
            value = _percent_value(numbers[0].group())
            if value is not None:
                return value, numbers[0].start(), numbers[0].end()
    return None, -1, -1


def parse_percent(text: str, *, bare_ok: bool = False) -> int | None:
    """Return the first percentage 0–100 in text, or None."""
    return find_percent(text, bare_ok=bare_ok)[0]


def normalize_measure_number(s: str) -> str:
    """Return a measure number in plain form: "๑.๒." → "1.2", "ข้อ 3" → "3"."""
    folded = _fold(s)
    folded = re.sub(rf"^{_MEASURE_PREFIX}\s?", "", folded)
    folded = re.sub(r"\s?\.\s?", ".", folded)
    return folded.strip(" .()")


def parse_report_command(text: str) -> ReportCommand | None:
    """Read ``รายงาน <measure> <status> [<percent>] [<what was done>]``, or None if not a report.

    Status words and a percentage right after the measure number are taken
    out; what follows is the text of what was done.  When those words are
    missing or ambiguous, a clear status in the text itself is used.
    """
    normalized = normalize_text(text)
    folded = _fold_normalized(normalized)
    command = _REPORT_RE.match(folded)
    if command is None:
        return None
    pos = _skip_separators(folded, command.end())

    measure_number = None
    measure = _MEASURE_RE.match(folded, pos)
    if measure and not _MEASURE_IS_PERCENT_RE.match(folded, measure.end("number")):
        measure_number = normalize_measure_number(measure.group("number"))
        pos = measure.end()

    # At most one status phrase and one percentage right after the number are
    # the report's head; further words ("รองบประมาณ") belong to the text.
    head_start = pos
    word = number = None
    while True:
        pos = _skip_separators(folded, pos)
        if word is None and (word := _ANY_STATUS_RE.match(folded, pos)):
            pos = word.end()
        elif number is None and (number := _PERCENT_RE.match(folded, pos)):
            pos = number.end()
        else:
            break
    percent = _percent_value(number.group("before") or number.group("after")) if number else None
    details = normalized[pos:].strip()

    said = parse_status(folded[head_start:pos]) if word else None
    if not isinstance(said, Status):
        found = parse_status(details)
        if isinstance(found, Status) or said is None:
            said = found
    if percent is None:
        percent = parse_percent(details)
    status = said if isinstance(said, Status) else None
    return ReportCommand(measure_number, status, said is AMBIGUOUS, percent, details)


def _fold(text: str) -> str:
    return _fold_normalized(normalize_text(text))


def _fold_normalized(normalized: str) -> str:
    # Both steps keep the length, so indices into the fold index the normalized text.
    return to_arabic_digits(normalized).translate(_ASCII_LOWER)


def _skip_separators(text: str, pos: int) -> int:
    match = _SEPARATORS_RE.match(text, pos)
    return match.end() if match else pos


def _percent_value(number: str) -> int | None:
    value = float(number)
    return math.floor(value) if value <= 100 else None
