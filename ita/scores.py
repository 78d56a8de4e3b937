"""ITA score arithmetic: indicators, tools, the overall score, levels and question codes.

The assessment has ten indicators grouped in three tools (IIT, EIT, OIT). A
tool's score is the mean of its indicators and the overall score is
0.3·IIT + 0.3·EIT + 0.4·OIT. Published totals round each tool to two decimals
(half up) before weighting, and this module does the same so that 2567 and
2568 totals come out exactly as the NACC prints them.

Question codes (i1–i15, e1–e9, o1–o28) are normalised here too, and indicator
names are matched tolerantly because documents misspell them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz

from ita.messages import Message, joined, msg
from ita.thai import expand_be_year, normalize_text, to_arabic_digits
from ita.vocab import scores as vocab

TOOLS: tuple[str, ...] = ("IIT", "EIT", "OIT")
TOOL_WEIGHTS: dict[str, float] = {"IIT": 0.3, "EIT": 0.3, "OIT": 0.4}
TOOL_INDICATORS: dict[str, tuple[int, ...]] = {
    "IIT": (1, 2, 3, 4, 5),
    "EIT": (6, 7, 8),
    "OIT": (9, 10),
}
PASS_MARK = 85.0
EXCELLENT_MARK = 95.0
# The pass/good/excellent levels replaced letter grades from fiscal 2566.
FIRST_YEAR_OF_LEVELS = 2566
# OIT question numbering is only known for the 2568 framework.
FIRST_YEAR_OF_OIT_MAP = 2568
LETTER_GRADES: tuple[tuple[float, str], ...] = (
    (95.0, "AA"),
    (85.0, "A"),
    (75.0, "B"),
    (65.0, "C"),
    (55.0, "D"),
    (50.0, "E"),
    (0.0, "F"),
)
# Two scores closer than this are the same score printed differently.
TOLERANCE = 0.01


@dataclass(frozen=True)
class Indicator:
    """One of the ten ITA indicators."""

    number: int
    name: str
    tool: str
    aliases: tuple[str, ...] = ()


def _tool_of(number: int) -> str:
    return next(tool for tool, numbers in TOOL_INDICATORS.items() if number in numbers)


INDICATORS: dict[int, Indicator] = {
    number: Indicator(number, name, _tool_of(number), vocab.INDICATOR_ALIASES.get(number, ()))
    for number, name in vocab.INDICATOR_NAMES.items()
}


def round_score(value: float) -> float:
    """Round to two decimals half up, as the NACC prints scores."""
    # Decimal(repr()) keeps 86.905 as 86.905 instead of 86.90499999...
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def tool_scores(indicators: Mapping[int, float]) -> dict[str, float]:
    """Return each tool's score: the mean of its indicators that are present."""
    result: dict[str, float] = {}
    for tool, numbers in TOOL_INDICATORS.items():
        present = [indicators[n] for n in numbers if n in indicators]
        if present:
            result[tool] = round_score(sum(present) / len(present))
    return result


def overall_score(tools: Mapping[str, float]) -> float | None:
    """Return 0.3·IIT + 0.3·EIT + 0.4·OIT, or None unless all three tools are known."""
    if any(tool not in tools for tool in TOOLS):
        return None
    total = sum(Decimal(repr(float(tools[t]))) * Decimal(repr(TOOL_WEIGHTS[t])) for t in TOOLS)
    return round_score(float(total))


def letter_grade(overall: float) -> str:
    """Return the pre-2566 letter grade (AA–F) for an overall score."""
    score = round_score(overall)
    return next(grade for floor, grade in LETTER_GRADES if score >= floor)


def level(overall: float, tools: Mapping[str, float] | None = None, year_be: int | None = None) -> str:
    """Return the level for a year: ผ่านดีเยี่ยม/ผ่านดี/ผ่าน/ไม่ผ่าน from 2566, AA–F before.

    From 2566 a pass splits into three levels by the lowest tool score, so
    `tools` must hold all three tools whenever the overall reaches 85;
    otherwise ValueError. A year of None means the current rules.
    """
    if year_be is not None:
        year_be = expand_be_year(year_be) if year_be < 100 else year_be
        if year_be < FIRST_YEAR_OF_LEVELS:
            return letter_grade(overall)
    score = round_score(overall)
    if score < PASS_MARK:
        return vocab.LEVEL_FAIL
    tools = tools or {}
    if any(tool not in tools for tool in TOOLS):
        raise ValueError("the level of a passing score needs all three tool scores")
    lowest_tool = min(round_score(tools[t]) for t in TOOLS)
    if score >= EXCELLENT_MARK and lowest_tool >= EXCELLENT_MARK:
        return vocab.LEVEL_EXCELLENT
    if lowest_tool >= PASS_MARK:
        return vocab.LEVEL_GOOD
    return vocab.LEVEL_PASS


def normalize_level(text: str) -> str | None:
    """Return the level or letter grade named in a cell, or None."""
    cleaned = re.sub(r"[\s\"“”'‘’()]", "", normalize_text(text))
    for name in vocab.LEVELS:
        if cleaned == name or cleaned == vocab.LEVEL_WORD + name:
            return name
    grade = cleaned.upper()
    if grade in {g for _, g in LETTER_GRADES}:
        return grade
    return None


# --- question codes -------------------------------------------------------

_CODE_PREFIX = "|".join(re.escape(p) for p in vocab.QUESTION_PREFIXES)
# A whole cell: "o12", "ข้อ O12", "08" and "018" (a zero typed for the letter o).
_WHOLE_CODE = re.compile(rf"^(?:(?:{_CODE_PREFIX})\s*)?([oie0])\s*[-.]?\s*(\d{{1,2}})\s*[.:)]?$", re.IGNORECASE)
# Inside running text; the zero form only after ข้อ, since "08" alone is often a time.
_CODE_IN_TEXT = re.compile(
    rf"(?:(?:{_CODE_PREFIX})\s*0\s*(\d{{1,2}})(?![\d.]))"
    rf"|(?<![a-z0-9])([oie])\s*-?\s*(\d{{1,2}})(?![\d.]?\d)",
    re.IGNORECASE,
)


def _prepare(text: str) -> str:
    return normalize_text(to_arabic_digits(text or ""))


def _code(letter: str, digits: str) -> str | None:
    number = int(digits)
    if number < 1:
        return None
    letter = letter.lower()
    return f"{'o' if letter == '0' else letter}{number}"


def normalize_question_code(text: str) -> str | None:
    """Return the canonical code ("o12", "i3", "e5") a cell spells, or None."""
    if not isinstance(text, str):
        return None
    match = _WHOLE_CODE.match(_prepare(text).strip())
    return _code(match.group(1), match.group(2)) if match else None


def find_question_code(text: str) -> tuple[str, int, int] | None:
    """Return the first question code inside running text and its span, or None."""
    prepared = _prepare(text)
    for match in _CODE_IN_TEXT.finditer(prepared):
        code = _code("o", match.group(1)) if match.group(1) else _code(match.group(2), match.group(3))
        if code:
            return code, match.start(), match.end()
    return None


def indicator_of_question(code: str, year_be: int | None = None) -> int | None:
    """Return the indicator a question code belongs to, or None when unknown.

    i1–i15 (three per indicator 1–5) and e1–e9 (three per indicator 6–8) are
    taken as valid for every year: the domain notes give no year for them.
    OIT numbering changes from year to year; only the 2568 framework
    (o1–o20 → 9, o21–o28 → 10) is known, so earlier years give None.
    A year of None means the current framework.
    """
    canonical = normalize_question_code(code) if isinstance(code, str) else None
    if canonical is None:
        return None
    letter, number = canonical[0], int(canonical[1:])
    if letter == "i":
        return (number - 1) // 3 + 1 if number <= 15 else None
    if letter == "e":
        return (number - 1) // 3 + 6 if number <= 9 else None
    if year_be is not None:
        year_be = expand_be_year(year_be) if year_be < 100 else year_be
        if year_be < FIRST_YEAR_OF_OIT_MAP:
            return None
    if number <= 20:
        return 9
    if number <= 28:
        return 10
    return None


# --- indicator names ------------------------------------------------------

_NUMBER_PREFIX = "|".join(re.escape(p) for p in vocab.INDICATOR_NUMBER_PREFIXES)
_INDICATOR_NUMBER = re.compile(rf"(?:{_NUMBER_PREFIX})\s*(\d{{1,2}})(?!\d|\.\d)")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*\.?\s*$")
_NOISE = re.compile(rf"(?:{_NUMBER_PREFIX})\s*\d*|[\s\"“”'‘’()\[\]*#:;,]+")
# Below this similarity a name is not taken as an indicator.
FUZZY_THRESHOLD = 85.0
# When two indicators score this close, the text is ambiguous.
FUZZY_MARGIN = 3.0


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_NAMES: tuple[tuple[int, str], ...] = tuple(
    sorted(
        {(number, _squash(name)) for number, ind in INDICATORS.items() for name in (ind.name, *ind.aliases)},
        key=lambda pair: -len(pair[1]),
    )
)


def _fuzzy_indicator(text: str) -> int | None:
    best: dict[int, float] = {}
    for number, name in _NAMES:
        if len(name) < 6:
            continue
        if len(text) < 0.8 * len(name):
            score = fuzz.ratio(text, name)
        else:
            score = fuzz.partial_ratio(name, text)
        best[number] = max(best.get(number, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN:
        return None
    return ranked[0][0]


def indicator_named_in(text: str) -> int | None:
    """Return the indicator whose exact name or alias appears in a text, or None."""
    squashed = _squash(_prepare(text)) if isinstance(text, str) else ""
    return next((number for number, name in _NAMES if name in squashed), None)


def match_indicator(text: str) -> int | None:
    """Return the indicator (1–10) a text names by number or by (misspelt) name, or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    prepared = _prepare(text)
    numbered = _INDICATOR_NUMBER.search(prepared)
    if numbered and 1 <= int(numbered.group(1)) <= 10:
        return int(numbered.group(1))
    bare = _BARE_NUMBER.match(prepared)
    if bare:
        number = int(bare.group(1))
        return number if 1 <= number <= 10 else None
    squashed = _NOISE.sub("", prepared)
    if len(squashed) < 4:
        return None
    for number, name in _NAMES:
        if name in squashed:
            return number
    return _fuzzy_indicator(squashed)


def match_tool(text: str) -> str | None:
    """Return "IIT", "EIT" or "OIT" when a text names a tool, or None."""
    if not isinstance(text, str):
        return None
    prepared = _prepare(text)
    latin = re.search(r"(?<![a-z])(iit|eit|oit)(?![a-z])", prepared, re.IGNORECASE)
    if latin:
        return latin.group(1).upper()
    for typo, tool in vocab.TOOL_TYPOS.items():
        if re.search(rf"(?<![A-Za-z0-9]){typo}(?![A-Za-z0-9])", prepared):
            return tool
    squashed = _squash(prepared)
    for tool, aliases in vocab.TOOL_ALIASES.items():
        if any(_squash(alias) in squashed for alias in aliases):
            return tool
    return None


# --- one year's scores ----------------------------------------------------


@dataclass
class YearScores:
    """Everything known about one assessment year, with where each number came from.

    `tools` holds tool scores a document states; `computed_tools()` prefers
    the mean of a complete set of indicators over them. `sources` maps keys
    such as "indicator:9", "tool:EIT", "question:o12", "overall", "level" to
    a place like "file.txt line 120".
    """

    year_be: int
    indicators: dict[int, float] = field(default_factory=dict)
    tools: dict[str, float] = field(default_factory=dict)
    questions: dict[str, float] = field(default_factory=dict)
    eit_parts: dict[str, float] = field(default_factory=dict)
    reported_overall: float | None = None
    reported_level: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    # The question's wording and the assessor's advice, where the document gives them, by code.
    question_texts: dict[str, str] = field(default_factory=dict)
    question_advice: dict[str, str] = field(default_factory=dict)

    def computed_tools(self) -> dict[str, float]:
        """Return tool scores from complete indicator sets, else as reported."""
        result: dict[str, float] = {}
        from_indicators = tool_scores(self.indicators)
        for tool, numbers in TOOL_INDICATORS.items():
            if all(n in self.indicators for n in numbers):
                result[tool] = from_indicators[tool]
            elif tool in self.tools:
                result[tool] = self.tools[tool]
        return result

    @property
    def computed_overall(self) -> float | None:
        """The overall score computed from the tools, or None when a tool is missing."""
        return overall_score(self.computed_tools())

    @property
    def computed_level(self) -> str | None:
        """The level computed from the computed overall and tools, or None."""
        overall = self.computed_overall
        if overall is None:
            return None
        return level(overall, self.computed_tools(), self.year_be)

    @property
    def display_overall(self) -> float | None:
        """The score to show: the document's own total, else the computed one."""
        return self.reported_overall if self.reported_overall is not None else self.computed_overall

    @property
    def display_level(self) -> str | None:
        """The level to show: the document's own, else one computed from the scores."""
        if self.reported_level:
            return self.reported_level
        if self.computed_level:
            return self.computed_level
        overall = self.display_overall
        if overall is None:
            return None
        try:
            return level(overall, self.computed_tools(), self.year_be)
        except ValueError:
            return None

    def disagreement(self) -> str | None:
        """Explain in English how the reported total or level differs from the computed one."""
        message = self.disagreement_message()
        return message.en() if message else None

    def disagreement_message(self) -> Message | None:
        """How the reported total or level differs from the computed one (English and Thai), or None."""
        reasons: list[Message] = []
        computed = self.computed_overall
        if (
            self.reported_overall is not None
            and computed is not None
            and abs(self.reported_overall - computed) > TOLERANCE
        ):
            reasons.append(msg("score.overall_differs", reported=self.reported_overall, computed=computed))
        computed_level = self.computed_level
        if self.reported_level and computed_level and self.reported_level != computed_level:
            reasons.append(msg("score.level_differs", reported=self.reported_level, computed=computed_level))
        if not reasons:
            return None
        return msg("score.disagreement", year=self.year_be, reasons=joined(reasons, "; ", " "))
