"""Read ITA scores out of documents: score tables, score sentences and the score template.

Results reports carry scores in several shapes, all handled here:

- comparison tables, one indicator per row and one column per year, often
  with a second header row and a signed change column (ผลต่าง) that is
  cross-checked against the two years;
- per-question tables (o1, ข้อ O12 …), overall rows (คะแนนรวม, คะแนนเฉลี่ย)
  and level rows (ระดับ);
- tables with one row per year and one column per tool or indicator;
- sentences such as "ตัวชี้วัดการใช้งบประมาณ … ปี ๒๕๖๗ ได้ ๘๙.๐๗ คะแนน" or
  "คะแนนด้าน EIT ปี ๒๕๖๖ = ๙๒.๕๑ คะแนน", filed under the indicator, tool or
  question named before them in the same cell (the overall score when none);
- the project's own XLSX/CSV template (`write_score_template`).

Table values win over sentence values; conflicting values and failed
cross-checks become warnings with line numbers, never exceptions. The only
exception that leaves this module is ScoreImportError. Errors and warnings
carry an `ita.messages.Message`: English for the CLI, Thai for the console.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ita.documents import DocumentReadError, Paragraph, SourceDocument, read_document
from ita.documents.sheet_reader import is_hidden
from ita.messages import LineWarning, Message, MessageError, joined, msg
from ita.scores import (
    INDICATORS,
    TOLERANCE,
    TOOL_INDICATORS,
    TOOLS,
    YearScores,
    find_question_code,
    match_indicator,
    match_tool,
    normalize_level,
    normalize_question_code,
    tool_scores,
)
from ita.thai import expand_be_year, normalize_text, to_arabic_digits
from ita.vocab import scores as vocab
from ita.vocab import time as time_vocab

# Plausible assessment years; anything else is a number that looks like a year.
MIN_YEAR = 2550
MAX_YEAR = 2600
# Header cells longer than this are prose, so the row is not a score header.
MAX_HEADER_CELL = 60


class ScoreImportError(MessageError):
    """Scores could not be read at all: ``str()`` one line of plain English, ``.message.th()`` the Thai."""


@dataclass(frozen=True)
class ScoreConflict:
    """One figure two tables give differently: what it is ("indicator 5") and each (place, value)."""

    year: int
    what: Message
    places: tuple[tuple[str, str], ...]

    @property
    def message(self) -> Message:
        given = joined((msg("score.value_at", value=value, place=place) for place, value in self.places), " but ", " แต่ ")
        return msg("score.conflict", year=self.year, what=self.what, given=given)

    def __str__(self) -> str:
        return self.message.en()


class ScoreConflictError(ScoreImportError):
    """Two tables give one figure differently; nothing is imported until the admin chooses.

    ``conflicts`` lists each figure with its places.  Read again with
    ``prefer="first"`` or ``prefer="last"`` (the table earlier or later in the
    document wins), or ``prefer="table 2"`` / ``prefer="line 39"`` (the
    values from the place whose location contains that text win).
    """

    def __init__(self, conflicts: list[ScoreConflict]) -> None:
        first = conflicts[0].message
        if len(conflicts) > 1:
            super().__init__(msg("score.contradicts_more", first=first, more=len(conflicts) - 1))
        else:
            super().__init__(msg("score.contradicts", first=first))
        self.conflicts = conflicts


class ScoreWarning(LineWarning):
    """A score importer's warning: something read but doubtful (see ita.messages.LineWarning)."""


@dataclass
class ScoreDocument:
    """Scores found in one document, by assessment year (B.E.)."""

    org_name: str | None = None
    years: dict[int, YearScores] = field(default_factory=dict)
    warnings: list[ScoreWarning] = field(default_factory=list)

    @property
    def latest_year(self) -> int | None:
        """The most recent year with any score, or None for an empty document."""
        return max(self.years) if self.years else None


# --- observations and how they are merged ---------------------------------


@dataclass(frozen=True)
class _Observation:
    year: int
    kind: str  # indicator, tool, question, eit_part, overall, level
    key: str
    value: float | str
    line: int | None
    from_table: bool
    note: str = ""


def _label(kind: str, key: str) -> Message:
    """What a figure is: "indicator 5", "EIT part 1", "the overall" (ตัวชี้วัดที่ 5, …)."""
    if kind in ("indicator", "eit_part", "tool", "question"):
        return msg(f"label.{kind}", key=key)
    if kind in ("overall", "level"):
        return msg(f"label.{kind}")
    return msg("label.other", kind=kind, key=key)


def _source_key(kind: str, key: str) -> str:
    return kind if kind in ("overall", "level") else f"{kind}:{key}"


def _same(a: float | str, b: float | str) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= TOLERANCE
    return a == b


def _show(value: float | str) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


class _Collector:
    """Gathers observations and warnings, then builds the ScoreDocument."""

    def __init__(
        self, source: str, unit: str = "line", places: dict[int, str] | None = None, prefer: str | None = None
    ) -> None:
        self.source = source
        self.unit = unit
        self.places = places or {}
        self.prefer = prefer
        self.observations: list[_Observation] = []
        self.warnings: list[ScoreWarning] = []
        self.question_texts: dict[tuple[int, str], str] = {}
        self.question_advice: dict[tuple[int, str], str] = {}

    def warn(self, line: int | None, message: Message) -> None:
        warning = ScoreWarning(line, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def add(
        self,
        year: int,
        kind: str,
        key: str,
        value: float | str,
        line: int | None,
        *,
        from_table: bool,
        note: str = "",
    ) -> None:
        self.observations.append(_Observation(year, kind, key, value, line, from_table, note))

    def where(self, line: int | None, note: str = "") -> str:
        if line is not None and line in self.places:
            place = f"{self.source} {self.places[line]}"
        else:
            place = f"{self.source} {self.unit} {line}" if line is not None else self.source
        return f"{place} ({note})" if note else place

    def build(self, org_name: str | None) -> ScoreDocument:
        grouped: dict[tuple[int, str, str], list[_Observation]] = {}
        for obs in self.observations:
            grouped.setdefault((obs.year, obs.kind, obs.key), []).append(obs)
        years: dict[int, YearScores] = {}
        conflicts: list[ScoreConflict] = []
        for (year, kind, key), group in sorted(grouped.items(), key=lambda item: _natural(item[0])):
            # Tables are laid out on purpose; sentences restate and sometimes mislabel.
            ordered = sorted(group, key=lambda o: (not o.from_table, o.line or 0))
            tables = [o for o in ordered if o.from_table]
            if len({_show(o.value) for o in tables}) > 1:
                chosen = self._preferred(tables)
                if chosen is None:
                    places = tuple((self.where(o.line), _show(o.value)) for o in tables)
                    conflicts.append(ScoreConflict(year, _label(kind, key), places))
                    continue
                self.warn(chosen.line, msg("score.preferred", year=year, what=_label(kind, key), value=_show(chosen.value)))
                ordered = [chosen] + [o for o in ordered if o is not chosen and not o.from_table]
            elif not tables and len({_show(o.value) for o in ordered}) > 1:
                # Two sentences disagree and no table settles it: storing either could be wrong.
                shown = joined(
                    (msg("score.value_on", value=_show(o.value), place=f"{self.unit} {o.line}") for o in ordered),
                    " and ",
                    " และ ",
                )
                self.warn(ordered[0].line, msg("score.sentences_disagree", year=year, what=_label(kind, key), values=shown))
                continue
            kept = ordered[0]
            seen = {_show(kept.value)}
            for other in ordered[1:]:
                if not _same(other.value, kept.value) and _show(other.value) not in seen:
                    seen.add(_show(other.value))
                    self.warn(
                        other.line,
                        msg(
                            "score.differs_here",
                            year=year,
                            what=_label(kind, key),
                            value=_show(other.value),
                            kept=_show(kept.value),
                            place=f"{self.unit} {kept.line}",
                        ),
                    )
            scores = years.setdefault(year, YearScores(year_be=year))
            _store(scores, kind, key, kept.value)
            scores.sources[_source_key(kind, key)] = self.where(kept.line, kept.note)
        if conflicts:
            raise ScoreConflictError(conflicts)
        if not years and not self.warnings:
            # The caller says "no ITA scores found"; this says what would be read and what to do.
            self.warnings.append(ScoreWarning(None, msg("score.none_found")))
        for (year, code), text in self.question_texts.items():
            if year in years and code in years[year].questions:
                years[year].question_texts[code] = text
        for (year, code), text in self.question_advice.items():
            if year in years and code in years[year].questions:
                years[year].question_advice[code] = text
        for year in sorted(years):
            self._cross_check(years[year])
        return ScoreDocument(org_name=org_name, years=dict(sorted(years.items())), warnings=self.warnings)

    def _preferred(self, tables: list[_Observation]) -> _Observation | None:
        if not self.prefer:
            return None
        choice = self.prefer.strip().lower()
        if choice == "first":
            return tables[0]
        if choice == "last":
            return tables[-1]
        matching = [o for o in tables if choice in self.where(o.line).lower()]
        return matching[0] if matching else None

    def _cross_check(self, scores: YearScores) -> None:
        for tool, numbers in TOOL_INDICATORS.items():
            if tool in scores.tools and all(n in scores.indicators for n in numbers):
                computed = tool_scores({n: scores.indicators[n] for n in numbers})[tool]
                if abs(computed - scores.tools[tool]) > TOLERANCE:
                    self.warn(
                        _line_of(scores.sources.get(f"tool:{tool}")),
                        msg(
                            "score.tool_vs_indicators",
                            year=scores.year_be,
                            tool=tool,
                            given=scores.tools[tool],
                            computed=computed,
                        ),
                    )
        reason = scores.disagreement_message()
        if reason:
            self.warn(_line_of(scores.sources.get("overall") or scores.sources.get("level")), reason)


def _natural(key: tuple[int, str, str]) -> tuple[object, ...]:
    """Sort o2 before o12 and indicator 2 before 10."""
    year, kind, name = key
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name) if part)
    return (year, kind, parts)


def _line_of(where: str | None) -> int | None:
    match = re.search(r"(?:line|row) (\d+)", where or "")
    return int(match.group(1)) if match else None


def _store(scores: YearScores, kind: str, key: str, value: float | str) -> None:
    if kind == "level":
        scores.reported_level = str(value)
        return
    number = float(value)
    if kind == "indicator":
        scores.indicators[int(key)] = number
    elif kind == "tool":
        scores.tools[key] = number
    elif kind == "question":
        scores.questions[key] = number
    elif kind == "eit_part":
        scores.eit_parts[key] = number
    elif kind == "overall":
        scores.reported_overall = number


# --- cells ----------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>|<[a-zA-Z/][^<]*$")
_MARKDOWN = re.compile(r"\*\*|__|^\s*#+\s*")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "‐": "-", "＋": "+"})


def _clean(cell: str) -> str:
    text = html.unescape(_TAG.sub(" ", cell))
    text = _MARKDOWN.sub(" ", text)
    text = normalize_text(to_arabic_digits(text))
    return re.sub(r"\s+", " ", text).strip()


def _split_cells(line: str) -> list[str]:
    stripped = line.strip()
    # Markdown pipe tables from .md exports: "| ตัวชี้วัด | 2566 | 2567 |".
    if stripped.startswith("|") and stripped.count("|") >= 3:
        inner = stripped.strip("|")
        return [_clean(cell) for cell in inner.split("|")]
    return [_clean(cell) for cell in line.split("\t")]


# Columns of a text table aligned with spaces (pdftotext -layout, typed reports) are this far apart;
# prose has at most two spaces in a row.
_ALIGNED_GAP = re.compile(r"\S(\s{3,})\S")


def _aligned_cells(line: str) -> list[str]:
    """The cells of a line whose columns are aligned with runs of spaces, or [] for any other line."""
    if "\t" in line or "|" in line or not _ALIGNED_GAP.search(line):
        return []
    return [_clean(cell) for cell in re.split(r"\s{3,}", line.strip())]


def _is_pipe_separator(line: str) -> bool:
    # Alignment rows may have a single dash per column: "|:-:|:---|".
    return bool(re.fullmatch(r"\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?\s*", line))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _has_any(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


_NUMBER_CELL = re.compile(
    rf"^\(?\s*([+-]?)\s*(\d{{1,3}}(?:\.\d{{1,4}})?)\s*\)?\s*(?:{re.escape(vocab.SCORE_HEADER)}|%)?\s*(.*)$"
)


def _score_cell(cell: str) -> float | None:
    """Return the score a cell holds, or None when the cell is not a score."""
    text = cell.translate(_MINUS).strip()
    match = _NUMBER_CELL.match(text)
    if not match or match.group(1) == "-":
        return None
    rest = match.group(3).strip(" ()")
    if rest and normalize_level(rest) is None:
        return None
    value = float(match.group(2))
    return value if 0 <= value <= 100 else None


def _change_cell(cell: str) -> float | None:
    """Return the signed change a cell states ("-๒๓.๓๓", "๐", "ลดลง 2.86"), or None."""
    text = cell.translate(_MINUS).strip()
    if any(word in text for word in vocab.NO_CHANGE_WORDS):
        return 0.0
    direction = 0
    if any(word in text for word in vocab.DECREASE_WORDS):
        direction = -1
    elif any(word in text for word in vocab.INCREASE_WORDS):
        direction = 1
    match = re.search(r"([+-]?)\s*(\d{1,3}(?:\.\d{1,4})?)", text)
    if not match:
        return None
    leftover = text.replace(match.group(0), "")
    for word in (*vocab.DECREASE_WORDS, *vocab.INCREASE_WORDS, vocab.SCORE_HEADER, "(", ")"):
        leftover = leftover.replace(word, "")
    if leftover.strip():
        return None
    value = float(match.group(2))
    # Accountants write a drop as (2.86).
    if match.group(1) == "-" or text.startswith("("):
        return -value
    if match.group(1) == "+":
        return value
    # An unsigned number with no word is an increase, as in seed 001 (๐.๕๕, ๖.๗๑ …).
    return direction * value if direction else value


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so prefixes do not win."""
    return "(?:" + "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True)) + ")"


_ERA = time_vocab.ERA_BE_PATTERN
_YEAR_TOKEN = re.compile(
    rf"{_alternation(vocab.YEAR_PREFIXES)}\s*(?:{_ERA}\s*)?(\d{{4}}|\d{{2}})(?!\d)"
    rf"|{_ERA}\s*(\d{{4}}|\d{{2}})(?!\d)"
    r"|(?<![\d.])(25\d\d)(?![\d.])"
)
_YEAR_CELL_NOISE = re.compile(_alternation((*vocab.YEAR_CELL_NOISE, "ITA")) + r"|[()\s:]", re.IGNORECASE)


def _year_value(digits: str) -> int | None:
    year = expand_be_year(int(digits)) if len(digits) == 2 else int(digits)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _year_cell(cell: str) -> int | None:
    """Return the year a header (or row label) cell names, when it names nothing else."""
    matches = list(_YEAR_TOKEN.finditer(cell))
    if len(matches) != 1:
        return None
    match = matches[0]
    year = _year_value(next(g for g in match.groups() if g))
    if year is None:
        return None
    rest = _YEAR_CELL_NOISE.sub("", cell[: match.start()] + cell[match.end() :])
    return year if not rest else None


def _years_in(text: str) -> list[int]:
    years = []
    for match in _YEAR_TOKEN.finditer(text):
        year = _year_value(next(g for g in match.groups() if g))
        if year is not None:
            years.append(year)
    return years


def _is_change_header(cell: str) -> bool:
    squashed = _squash(cell)
    return bool(squashed) and any(word in squashed for word in vocab.CHANGE_HEADERS) and not _years_in(cell)


def _is_score_header(cell: str) -> bool:
    squashed = _squash(cell)
    return squashed.startswith(vocab.SCORE_HEADERS)


def _is_overall_label(text: str) -> bool:
    squashed = re.sub(r"(?i)ita|[\s:()]", "", text)
    return any(squashed.startswith(label) for label in vocab.OVERALL_LABELS)


def _is_level_label(text: str) -> bool:
    squashed = _squash(text)
    return any(squashed.startswith(label) for label in vocab.LEVEL_LABELS)


def _eit_part(text: str) -> str | None:
    """The EIT part a label names ("EIT ส่วนที่ 1", "EIT-2"); parts are 1 and 2 only.

    "EIT 6. คุณภาพการดำเนินงาน" is indicator 6 under a tool column, not a part 6.
    """
    squashed = _squash(text)
    match = re.search(rf"{vocab.EIT_PART_WORD}([12])(?!\d)", squashed) or re.search(
        r"(?i)eit-?([12])(?![\d.)])", squashed
    )
    if match and ("EIT" in squashed.upper() or _has_any(squashed, vocab.EIT_WORDS)):
        return match.group(1)
    return None


# --- score tables ---------------------------------------------------------


@dataclass
class _YearTable:
    """A table with one row per indicator/question and one column per year."""

    year_columns: dict[int, int]  # column index -> year
    change_column: int | None
    header_line: int
    about_indicators: bool
    advice_column: int | None = None
    notes: list[Message] = field(default_factory=list)
    # Columns that are neither labels nor scores: a target beside each score (ค่าเป้าหมาย).
    skip_columns: frozenset[int] = frozenset()
    # What the rows read so far were (question, eit_part, indicator, tool), and the tools of its
    # question codes: an average row of a per-question or per-part table is that part's figure.
    row_kinds: set[str] = field(default_factory=set)
    question_tools: set[str] = field(default_factory=set)


@dataclass
class _KeyedTable:
    """A table with one row per year and one column per tool, indicator or total."""

    year_column: int
    columns: dict[int, tuple[str, str]]  # column index -> (kind, key)
    header_line: int


def _column_key(cell: str) -> tuple[str, str] | None:
    if not cell or len(cell) > MAX_HEADER_CELL:
        return None
    if _is_level_label(cell) and normalize_level(cell) is None:
        return ("level", "")
    part = _eit_part(cell)
    if part:
        return ("eit_part", part)
    tool = match_tool(cell)
    if tool:
        return ("tool", tool)
    if _is_overall_label(cell) and _squash(cell):
        return ("overall", "")
    if vocab.INDICATOR_WORD in cell or len(_squash(cell)) >= 6:
        number = match_indicator(cell)
        if number:
            return ("indicator", str(number))
    return None


def _year_table_header(cells: Sequence[str], line_no: int) -> _YearTable | None:
    """Recognise a header row with year columns, or one "คะแนน" column whose year comes later."""
    if len(cells) < 2 or any(len(cell) > MAX_HEADER_CELL for cell in cells):
        return None
    year_columns = {i: y for i, cell in enumerate(cells) if (y := _year_cell(cell)) is not None}
    change_column = next((i for i, cell in enumerate(cells) if _is_change_header(cell)), None)
    advice_column = next(
        (i for i, cell in enumerate(cells) if _has_any(_squash(cell), vocab.ADVICE_HEADERS)), None
    )
    if any(_score_cell(cell) is not None for i, cell in enumerate(cells) if i not in year_columns):
        return None
    skip = frozenset(
        i for i, cell in enumerate(cells)
        if i not in year_columns and _has_any(_squash(cell), vocab.TARGET_HEADERS) and not _is_score_header(cell)
    )
    label_text = " ".join(cell for i, cell in enumerate(cells) if i not in year_columns)
    about_indicators = vocab.INDICATOR_WORD in label_text
    if year_columns:
        if len(set(year_columns.values())) != len(year_columns):
            return None
        return _YearTable(year_columns, change_column, line_no, about_indicators, advice_column, skip_columns=skip)
    score_columns = [i for i, cell in enumerate(cells) if _is_score_header(cell)]
    if len(score_columns) == 1 and _has_any(label_text, vocab.ROW_LABEL_HEADERS):
        # Year 0 until the next header row, the text above or the caller says which.
        return _YearTable(
            {score_columns[0]: 0}, change_column, line_no, about_indicators, advice_column, skip_columns=skip
        )
    return None


def _keyed_table_header(cells: Sequence[str], line_no: int) -> _KeyedTable | None:
    if len(cells) < 3 or any(len(cell) > MAX_HEADER_CELL for cell in cells):
        return None
    year_column = next(
        (i for i, cell in enumerate(cells) if _squash(cell) in vocab.YEAR_COLUMN_LABELS),
        None,
    )
    if year_column is None:
        return None
    columns = {i: key for i, cell in enumerate(cells) if i != year_column and (key := _column_key(cell))}
    kinds = {kind for kind, _ in columns.values()}
    score_columns = [i for i, cell in enumerate(cells) if i != year_column and i not in columns and _is_score_header(cell)]
    if kinds == {"level"} and len(score_columns) == 1:
        # "ปีงบประมาณ | ผลคะแนน (ร้อยละ) | ระดับ": each year's overall score and its level.
        columns[score_columns[0]] = ("overall", "")
    return _KeyedTable(year_column, columns, line_no) if len(columns) >= 2 else None


def _is_plain_header(cells: Sequence[str]) -> bool:
    """A row of short labels with no numbers: a second header row or a section row."""
    return all(_score_cell(cell) is None and len(cell) <= MAX_HEADER_CELL for cell in cells)


_LEADING_NUMBER = re.compile(r"^\(?\s*(\d{1,2})\s*[.)]\s*(\S.*)$")
_TOOL_CODES = re.compile(r"(?i)\(?\s*(?<![a-z])(?:iit|eit|oit)(?![a-z])\s*\)?")


@dataclass(frozen=True)
class _LabelCell:
    """What one label cell of a row names: an indicator (by its own number or name), a tool, or neither."""

    text: str
    number: int | None  # "6. คุณภาพการดำเนินงาน" -> 6
    by_name: int | None
    tool: str | None


def _label_cell(cell: str) -> _LabelCell:
    lead = _LEADING_NUMBER.match(cell)
    number = int(lead.group(1)) if lead and 1 <= int(lead.group(1)) <= 10 else None
    name = lead.group(2) if lead else cell
    # "การปฏิบัติหน้าที่ (IIT)" is an indicator that names its tool in passing.
    without_codes = _TOOL_CODES.sub(" ", name)
    by_name = match_indicator(without_codes) if without_codes.strip() else None
    tool = match_tool(cell)
    if tool and by_name and not match_tool(without_codes) and number is None:
        tool = None
    elif tool and number is None and match_tool(without_codes):
        # The tool's own Thai name ("แบบวัดการเปิดเผยข้อมูลสาธารณะ") contains an indicator's words.
        by_name = None
    elif tool and (number is not None or by_name):
        tool = None
    return _LabelCell(cell, number, by_name, tool)


def _row_kind(label_cells: Sequence[str], table: _YearTable) -> tuple[str, str] | None:
    """Say what a year-table row holds, from its label cells (None: no label at all).

    Each cell is read on its own: a row "แบบวัด…ภายใน (IIT) | 1. การปฏิบัติหน้าที่ | 90.48"
    is indicator 1 in a tool column (merged or repeated), not the tool's score; the
    tool is the row's subject only when no cell names an indicator.
    """
    label = " ".join(cell for cell in label_cells if cell)
    for cell in label_cells:
        code = normalize_question_code(cell)
        if code:
            return ("question", code)
    found = find_question_code(label)
    if found and found[1] == 0:
        return ("question", found[0])
    if not label:
        return None
    for cell in label_cells:
        part = _eit_part(cell) if cell else None
        if part:
            return ("eit_part", part)
    number_cells = [int(cell.rstrip(".")) for cell in label_cells if re.fullmatch(r"\d{1,2}\.?", cell)]
    cells = [_label_cell(cell) for cell in label_cells if cell and not re.fullmatch(r"\d{1,2}\.?", cell)]
    named = [cell for cell in cells if cell.tool is None and (cell.number is not None or cell.by_name)]
    tools = [cell.tool for cell in cells if cell.tool]
    name_text = " ".join(cell.text for cell in cells if cell.tool is None)
    own_numbers = [cell.number for cell in named if cell.number is not None]
    by_name = next((cell.by_name for cell in named if cell.by_name), None)
    if not named and tools:
        return ("tool", tools[0])
    if not named and _is_overall_label(label):
        return ("overall", "")
    numbers = number_cells + own_numbers
    if numbers and table.about_indicators and 1 <= numbers[0] <= 10:
        number = numbers[0]
        if by_name != number and name_text.strip():
            # The row's number is typed once; names are retyped and garbled more often.
            name = name_text[:40]
            if by_name:
                table.notes.append(msg("score.name_like_other", number=number, name=name, other=by_name))
            else:
                table.notes.append(msg("score.name_unknown", number=number, name=name))
        return ("indicator", str(number))
    if by_name:
        return ("indicator", str(by_name))
    if tools:
        return ("tool", tools[0])
    return ("unknown", label)


def _read_year_row(cells: Sequence[str], line_no: int, table: _YearTable, collector: _Collector) -> bool:
    """Record one data row of a year table; return False when the row is not table data."""
    used = set(table.year_columns) | {c for c in (table.change_column, table.advice_column) if c is not None}
    used |= table.skip_columns
    label_cells = [cell for i, cell in enumerate(cells) if i not in used]
    raw = {year: cells[i] if i < len(cells) else "" for i, year in table.year_columns.items()}
    label = " ".join(cell for cell in label_cells if cell)
    levels = {year: name for year, cell in raw.items() if cell and (name := normalize_level(cell))}
    if levels and (_is_level_label(label) or not label):
        for year, name in levels.items():
            collector.add(year, "level", "", name, line_no, from_table=True)
        return True
    values = {year: score for year, cell in raw.items() if (score := _score_cell(cell)) is not None}
    if not values:
        return _is_plain_header(cells)
    kind_key = _row_kind(label_cells, table)
    if kind_key is None or kind_key[0] == "unknown":
        shown = kind_key[1] if kind_key else ""
        collector.warn(line_no, msg("score.not_a_row_kind", label=shown[:40]))
        return True
    for note in table.notes:
        collector.warn(line_no, note)
    table.notes.clear()
    kind, key = kind_key
    if kind == "overall" and table.row_kinds and table.row_kinds <= {"question", "eit_part"}:
        part_average = _part_average(label, table)
        if part_average is None:
            collector.warn(line_no, msg("score.part_average", label=label[:40]))
            return True
        kind, key = part_average
    table.row_kinds.add(kind)
    if kind == "question":
        table.question_tools.add(key[:1])
    if kind == "overall":
        # "คะแนนรวม | ระดับ ผ่าน | 85.70": the level written in a label cell of the total row.
        stated = [name for cell in label_cells if _is_level_label(cell) and (name := normalize_level(cell))]
        if len(stated) == 1 and len(values) == 1:
            collector.add(next(iter(values)), "level", "", stated[0], line_no, from_table=True)
    for year, value in values.items():
        collector.add(year, kind, key, value, line_no, from_table=True)
        if kind == "question":
            wording = _question_wording(label_cells, key)
            if wording:
                collector.question_texts.setdefault((year, key), wording)
            advice = cells[table.advice_column] if table.advice_column is not None and table.advice_column < len(cells) else ""
            if re.search(r"\w", advice):
                collector.question_advice.setdefault((year, key), advice)
    _check_change(cells, line_no, table, values, collector)
    return True


def _part_average(label: str, table: _YearTable) -> tuple[str, str] | None:
    """What an average row ends: an EIT part when it names its part under EIT questions (None: unclear).

    "คะแนนเฉลี่ยส่วนที่ 1" under e1–e9 is EIT part 1. Any other average of questions or parts
    (the tool's own mean, or a mix of tools) is not stored: a tool's score is the mean of its
    indicators, which a mean of its questions need not equal.
    """
    part = re.search(rf"{vocab.EIT_PART_WORD}([12])(?!\d)", _squash(label))
    if part and table.row_kinds == {"question"} and table.question_tools == {"e"}:
        return ("eit_part", part.group(1))
    return None


def _question_wording(label_cells: Sequence[str], code: str) -> str:
    """A question row's own words: its label cells without the code."""
    words = []
    for cell in label_cells:
        if not cell or normalize_question_code(cell) == code:
            continue
        found = find_question_code(cell)
        if found and found[0] == code and found[1] == 0:
            cell = cell[found[2] :].strip(" .:-")
        if cell:
            words.append(cell)
    return " ".join(words)


def _check_change(
    cells: Sequence[str],
    line_no: int,
    table: _YearTable,
    values: dict[int, float],
    collector: _Collector,
) -> None:
    if table.change_column is None or table.change_column >= len(cells) or len(values) != 2:
        return
    change = _change_cell(cells[table.change_column])
    if change is None:
        return
    earlier, later = sorted(values)
    expected = round(values[later] - values[earlier], 2)
    wrong_size = abs(abs(change) - abs(expected)) > TOLERANCE
    wrong_sign = abs(expected) > TOLERANCE and abs(change) > TOLERANCE and (change < 0) != (expected < 0)
    if wrong_size or wrong_sign:
        collector.warn(
            line_no,
            msg(
                "score.change_column",
                change=change,
                later_value=values[later],
                earlier_value=values[earlier],
                expected=expected,
                later=later,
                earlier=earlier,
            ),
        )


def _read_keyed_row(cells: Sequence[str], line_no: int, table: _KeyedTable, collector: _Collector) -> bool:
    if table.year_column >= len(cells):
        return False
    year_cell = cells[table.year_column]
    year = _year_cell(year_cell)
    if year is None and re.fullmatch(r"\d{2}|\d{4}", year_cell):
        year = _year_value(year_cell)
    if year is None:
        return _is_plain_header(cells)
    for i, (kind, key) in table.columns.items():
        if i >= len(cells) or not cells[i]:
            continue
        if kind == "level":
            name = normalize_level(cells[i])
            if name:
                collector.add(year, "level", "", name, line_no, from_table=True)
            continue
        value = _score_cell(cells[i])
        if value is not None:
            collector.add(year, kind, key, value, line_no, from_table=True)
    return True


# --- sentences ------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:\.\d{1,4})?(?![\d.]?\d)"
_LEVEL_NAME = (
    "(?:"
    + "|".join(
        re.escape(name) + (f"(?!{re.escape(vocab.NOT_A_LEVEL_SUFFIX)})" if name == vocab.LEVEL_PASS else "")
        for name in vocab.LEVELS
    )
    + ")"
)
_QUOTE = r"[\"“']?"
_SCORE_WORD = re.escape(vocab.SENTENCE_SCORE_WORD)
_LEVEL_AFTER = re.compile(
    "".join(rf"\s*(?:{re.escape(lead)})?" for lead in vocab.SENTENCE_LEVEL_LEADS) + rf"\s*{_QUOTE}\s*({_LEVEL_NAME})"
)
_TOOL_ALTERNATIVES = _alternation(alias for aliases in vocab.TOOL_ALIASES.values() for alias in aliases)
_MENTION_PREFIX = (
    rf"(?:{re.escape(vocab.SENTENCE_YEAR_PREFIX)}\s*(?:{_alternation(vocab.SENTENCE_BUDGET_WORDS)}\s*)?"
    rf"(?:{_ERA}\s*)?|{_ERA}\s*)"
)
_CONNECTOR = rf"(?:{_alternation(vocab.SENTENCE_CONNECTORS)}|=|:)"
_SCORE_PHRASE = (
    rf"{_SCORE_WORD}{_alternation(vocab.SENTENCE_OVERALL_QUALIFIERS)}?"
    rf"(?:\s*{_alternation(vocab.SENTENCE_SCORE_SUFFIXES)})?(?:\s*{_alternation(vocab.PERCENT_WORDS)})?"
)
_INDICATOR = re.escape(vocab.INDICATOR_WORD)
_NAME_STOPS = _alternation(vocab.SENTENCE_NAME_STOPS)
_YEAR_WORDS = _alternation((*vocab.YEAR_PREFIXES, *vocab.SENTENCE_BUDGET_WORDS))
_CHANGE_NUMBER = (
    rf"{_alternation(vocab.CHANGE_WORDS)}\s*(?:จาก\s*)?(?:{_YEAR_WORDS}\s*(?:{_ERA}\s*)?\d{{2,4}}\s*)?"
    rf"(?:{_alternation(vocab.CHANGE_FILLERS)}\s*)?{_NUMBER}"
    rf"|{_alternation(vocab.COMPARISON_WORDS)}\s*(?:{_alternation(vocab.CHANGE_FILLERS)}\s*)?{_NUMBER}"
)
# Alternatives are tried left to right at each position, so order matters.
_SENTENCE_EVENTS = re.compile(
    "|".join(
        (
            # A year and its score: "ปี 2567 ได้ 91.07 คะแนน", "พ.ศ.2566 มีคะแนนเฉลี่ย 97.72".
            rf"(?P<mention>{_MENTION_PREFIX}(?P<m_year>\d{{4}}|\d{{2}})(?!\d)\s*"
            rf"(?P<m_conn>(?:{_CONNECTOR}\s*|{_SCORE_PHRASE}\s*)+)"
            rf"(?P<m_score>{_NUMBER})(?P<m_unit>\s*{_SCORE_WORD})?)",
            # A change between years is not a score: "เพิ่มขึ้น 6.71 คะแนน".
            rf"(?P<change>{_CHANGE_NUMBER})",
            # A target or maximum and its figure, close after it: "ค่าเป้าหมายของประเทศ (๘๕ คะแนน)".
            rf"(?P<target>{_alternation(vocab.TARGET_WORDS)}"
            rf"(?:(?:(?!{_CONNECTOR})[^\d()]){{0,30}}\(?\s*{_NUMBER}\s*(?:{_SCORE_WORD})?\s*\)?)?)",
            # A score in parentheses after its subject: "ตัวชี้วัดที่ 6 … (92.51 คะแนน)".
            rf"(?P<paren>\(\s*(?P<p_score>{_NUMBER})\s*{_SCORE_WORD}\s*\))",
            rf"(?P<question>{_alternation(vocab.QUESTION_PREFIXES)}\s*(?:[oie]|0(?=\d))\s*\d{{1,2}}(?![\d.]?\d)"
            r"|(?<![a-z0-9])[oie]\d{1,2}(?![\d.]?\d))",
            rf"(?P<uncoded>{re.escape(vocab.QUESTION_WITHOUT_CODE)})",
            rf"(?P<ind_num>{_alternation(vocab.INDICATOR_NUMBER_PREFIXES)}\s*(?P<ind_n>\d{{1,2}})(?![\d.]?\d))",
            # The indicator's name runs up to the verb or number that follows it.
            rf"(?P<ind_name>{_INDICATOR}(?P<ind_text>(?:(?!{_INDICATOR})[^\d()=:,\"“”]){{0,60}}?)"
            rf"(?=\s*(?:{_NAME_STOPS}|\(|=|:|,|\d|$)))",
            # A tool, or one of EIT's two parts: "EIT ส่วนที่ 1".
            rf"(?P<tool>(?:(?<![a-z])(?:iit|eit|oit)(?![a-z])|{_TOOL_ALTERNATIVES})"
            rf"(?:\s*{re.escape(vocab.EIT_PART_WORD)}\s*(?P<tool_part>[12])(?!\d))?)",
            rf"(?P<overall>{_alternation(vocab.OVERALL_SENTENCE_SUBJECTS)})",
            # A level stated on its own: "ผลการประเมินอยู่ในระดับ “ผ่านดี”", "ระดับผลการประเมิน ผ่านดี".
            rf"(?P<level>{re.escape(vocab.LEVEL_WORD)}\s*(?:{re.escape(vocab.LEVEL_SENTENCE_LABEL)}\s*)?"
            rf"{_QUOTE}\s*(?P<level_name>{_LEVEL_NAME}))",
            rf"(?P<relative>{_alternation(vocab.RELATIVE_YEAR_WORDS)})",
            # A year on its own sets the year of the scores after it: "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ … ได้คะแนน".
            rf"(?P<year>(?:{_YEAR_WORDS}\s*(?:{_ERA}\s*)?|{_ERA}\s*)(?P<y_year>25\d\d)(?!\d))",
            # A score after its subject with no year beside it: "… ได้คะแนน ๘๖.๓๘ คะแนน", "เท่ากับ 86.38".
            rf"(?P<scored>(?P<s_conn>(?:{_CONNECTOR}\s*)?(?:{_SCORE_PHRASE}\s*)?)"
            rf"(?P<s_score>{_NUMBER})(?P<s_unit>\s*{_SCORE_WORD})?)",
        )
    ),
    re.IGNORECASE,
)
_SCORE_WORD_RE = re.compile(_SCORE_WORD)
# A score this far (characters) after its subject is about something else.
MAX_SUBJECT_GAP = 160
_ADVICE_IN_TEXT = re.compile(rf"{_alternation(vocab.ADVICE_HEADERS)}\s*[:：]?\s*(.+)$")


def _read_sentences(text: str, line_no: int, default_year: int | None, collector: _Collector) -> None:
    """File every score stated in a cell of running text under the subject named before it.

    ``default_year`` is used for a score whose sentence names no year: the caller's year
    or the document's only year.  Targets, maxima and changes are never scores.
    """
    subject: tuple[str, str] | None = None
    subject_end = 0
    context_year = default_year
    last_mention: tuple[int, str] | None = None  # (year, subject kind)
    for match in _SENTENCE_EVENTS.finditer(text):
        if match.group("mention") is not None:
            year = _year_value(match.group("m_year"))
            if year is None:
                continue
            context_year = year
            # "ปี 2567 มี 5 โครงการ" is not a score; a score says คะแนน somewhere, or follows its
            # named subject with "เท่ากับ" or a level ("ผลคะแนน ITA ปี 2568 เท่ากับ 86.38 ระดับ ผ่าน").
            said = match.group("m_unit") or vocab.SENTENCE_SCORE_WORD in match.group("m_conn")
            exact = any(word in match.group("m_conn") for word in vocab.EXACT_CONNECTORS)
            if not said and not (subject and (exact or _LEVEL_AFTER.match(text, match.end()))):
                continue
            if subject and subject[0] == "ignored":
                continue
            target = subject or ("overall", "")
            if any(word in match.group("m_conn") for word in vocab.SENTENCE_OVERALL_QUALIFIERS):
                target = ("overall", "")
            _file_sentence_score(target, year, float(match.group("m_score")), line_no, collector)
            last_mention = (year, target[0])
            if target[0] == "overall":
                level_match = _LEVEL_AFTER.match(text, match.end())
                if level_match:
                    collector.add(year, "level", "", level_match.group(1), line_no, from_table=False)
        elif match.group("change") is not None:
            continue
        elif match.group("target") is not None:
            continue
        elif match.group("paren") is not None:
            if context_year is None or subject is None or subject[0] == "ignored":
                continue
            _file_sentence_score(subject, context_year, float(match.group("p_score")), line_no, collector)
            last_mention = (context_year, subject[0])
        elif match.group("question") is not None:
            found = find_question_code(match.group("question"))
            subject = ("question", found[0]) if found else ("unknown", "question")
            subject_end = match.end()
        elif match.group("uncoded") is not None:
            subject, subject_end = ("unknown", "uncoded_question"), match.end()
        elif match.group("ind_num") is not None:
            number = int(match.group("ind_n"))
            subject = ("indicator", str(number)) if 1 <= number <= 10 else ("unknown", "indicator_number")
            subject_end = match.end()
        elif match.group("ind_name") is not None:
            number = match_indicator(match.group("ind_text") or "")
            subject = ("indicator", str(number)) if number else ("unknown", "indicator_name")
            subject_end = match.end()
        elif match.group("tool") is not None:
            tool = match_tool(match.group("tool")) or ""
            part = match.group("tool_part")
            subject = ("eit_part", part) if part and tool == "EIT" else ("tool", tool)
            subject_end = match.end()
        elif match.group("overall") is not None:
            subject, subject_end = ("overall", ""), match.end()
        elif match.group("level_name") is not None:
            if last_mention and last_mention[1] == "overall":
                collector.add(last_mention[0], "level", "", match.group("level_name"), line_no, from_table=False)
        elif match.group("relative") is not None:
            # "ปีที่แล้วได้ 88 คะแนน": which year is not written, so what follows is not filed.
            context_year, subject = None, ("ignored", "")
        elif match.group("year") is not None:
            context_year = _year_value(match.group("y_year")) or context_year
        elif match.group("scored") is not None:
            if any(word in match.group("s_conn") for word in vocab.SENTENCE_OVERALL_QUALIFIERS):
                # "ได้คะแนนภาพรวม ๗๓.๐๔ คะแนน" names its own subject.
                subject, subject_end = ("overall", ""), match.start("s_score")
            elif subject is None and _SCORE_WORD_RE.search(match.group("s_conn")) and _LEVEL_AFTER.match(text, match.end()):
                # "ได้คะแนนร้อยละ 88.32 อยู่ในระดับ ผ่านดี": only the overall score has a level.
                subject, subject_end = ("overall", ""), match.start("s_score")
            _read_scored(text, match, subject, subject_end, context_year, line_no, collector)
            if subject and subject[0] == "overall" and context_year is not None and _is_score_statement(text, match):
                last_mention = (context_year, "overall")
                level_match = _LEVEL_AFTER.match(text, match.end())
                if level_match:
                    collector.add(context_year, "level", "", level_match.group(1), line_no, from_table=False)


def _is_score_statement(text: str, match: re.Match[str]) -> bool:
    """A bare number is a score only when the sentence says so: คะแนน, an exact connector, or a level after it."""
    connector = match.group("s_conn") or ""
    if match.group("s_unit") or vocab.SENTENCE_SCORE_WORD in connector:
        return True
    if any(word in connector for word in vocab.EXACT_CONNECTORS):
        return True
    return bool(_LEVEL_AFTER.match(text, match.end()))


def _read_scored(
    text: str,
    match: re.Match[str],
    subject: tuple[str, str] | None,
    subject_end: int,
    year: int | None,
    line_no: int,
    collector: _Collector,
) -> None:
    """File "… ได้ 0.00 คะแนน" under the subject just named, with a question's wording and advice."""
    if subject is None or subject[0] == "ignored" or not _is_score_statement(text, match):
        return
    if match.start() - subject_end > MAX_SUBJECT_GAP:
        return
    value = float(match.group("s_score"))
    if year is None:
        if subject[0] != "unknown":
            collector.warn(line_no, msg("score.sentence_no_year", value=value, what=_label(*subject)))
        return
    _file_sentence_score(subject, year, value, line_no, collector)
    if subject[0] != "question":
        return
    key = (year, subject[1])
    wording = text[subject_end : match.start()].strip(" .:-–")
    if wording and len(wording) <= 200:
        collector.question_texts.setdefault(key, wording)
    advice = _ADVICE_IN_TEXT.search(text, match.end())
    if advice and re.search(r"\w", advice.group(1)) and advice.group(1).strip(" -") :
        collector.question_advice.setdefault(key, advice.group(1).strip())


def _file_sentence_score(
    subject: tuple[str, str], year: int, value: float, line_no: int, collector: _Collector
) -> None:
    kind, key = subject
    if not 0 <= value <= 100:
        collector.warn(line_no, msg("score.out_of_range", year=year, value=value))
        return
    if kind == "unknown":
        # key names what the sentence was about: label.unknown_question, label.unknown_uncoded_question, …
        collector.warn(line_no, msg("score.not_ours", year=year, value=value, what=msg(f"label.unknown_{key}")))
        return
    if kind == "ignored":
        return
    collector.add(year, kind, key, value, line_no, from_table=False)


# --- organisation name ----------------------------------------------------

_ORG = re.compile("(" + "|".join(re.escape(p) for p in vocab.ORG_PREFIXES) + r")\s*([^\s\d<>(),.:;\"“”*#/|\t]{2,40})")


def _org_name(lines: Iterable[str]) -> str | None:
    """Return the organisation named most often; names are misspelt now and then."""
    counts: Counter[str] = Counter()
    for line in lines:
        for match in _ORG.finditer(line):
            name = match.group(2)
            for stop in vocab.ORG_NAME_STOPS:
                cut = name.find(stop, 2)
                if cut > 0:
                    name = name[:cut]
            counts[match.group(1) + name] += 1
    if not counts:
        return None
    # The title's spelling is usually right, but one typo there loses to a
    # spelling the body repeats at least twice as often.
    title = next(iter(counts))
    common, times = counts.most_common(1)[0]
    return common if times >= 2 * counts[title] else title


# --- the text parser ------------------------------------------------------


def parse_score_text(
    text: str, *, year_be: int | None = None, source: str = "text", prefer: str | None = None
) -> ScoreDocument:
    """Read every ITA score in a document's text; raise ScoreImportError only if it is not text.

    `year_be` is the assessment year for tables and sentences that name none.
    `source` names the document in `YearScores.sources` ("file.txt line 12").
    """
    if not isinstance(text, str):
        raise ScoreImportError(msg("score.not_text"))
    if "\x00" in text:
        raise ScoreImportError(msg("score.binary"))
    year_be = _year_argument(year_be)
    try:
        return _parse(text, year_be, source, prefer=prefer)
    except ScoreImportError:
        raise
    except Exception as error:  # the contract: callers only ever see ScoreImportError
        raise ScoreImportError(msg("score.internal", kind=type(error).__name__)) from error


def _year_argument(year_be: int | None) -> int | None:
    """Check a caller's year: 2567, 67 and CE 2024 all mean 2567."""
    if year_be is None:
        return None
    if not isinstance(year_be, int) or isinstance(year_be, bool) or year_be < 0:
        raise ScoreImportError(msg("score.year_not_whole"))
    year = expand_be_year(year_be)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ScoreImportError(msg("score.year_implausible", year=year_be))
    return year


def _parse(
    text: str, year_be: int | None, source: str, places: dict[int, str] | None = None, prefer: str | None = None
) -> ScoreDocument:
    collector = _Collector(source, places=places, prefer=prefer)
    lines = text.splitlines()
    # Tables and sentences that name no year get the caller's year, else the document's only year.
    default_year = year_be or _only_year(lines)
    table: _YearTable | _KeyedTable | None = None
    previous_header = False
    recent_years: list[tuple[int, int]] = []  # (line, year) seen in running text
    last_unread = -10  # the last table row with score-like figures that nothing read
    for line_no, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if _is_pipe_separator(raw):
            continue
        cells = _split_cells(raw)
        aligned = len(cells) < 2 and len(cells := _aligned_cells(raw) or cells) >= 2
        if aligned and not any(w.what.code == "score.aligned_with_spaces" for w in collector.warnings):
            collector.warn(line_no, msg("score.aligned_with_spaces"))
        is_row = len(cells) >= 2
        if not is_row:
            table = None
            previous_header = False
        if is_row:
            keyed = _keyed_table_header(cells, line_no)
            header = None if keyed else _year_table_header(cells, line_no)
            if keyed:
                table, previous_header = keyed, True
                continue
            if header:
                if previous_header and isinstance(table, _YearTable):
                    header = _merge_headers(table, header)
                table, previous_header = header, True
                continue
            if isinstance(table, _YearTable) and 0 in table.year_columns.values():
                # Only now is it certain no second header row will supply the year.
                table = _resolve_year(table, year_be, recent_years, collector, default_year)
            if isinstance(table, _YearTable) and _read_year_row(cells, line_no, table, collector):
                previous_header = previous_header and _is_plain_header(cells)
                continue
            if isinstance(table, _KeyedTable) and _read_keyed_row(cells, line_no, table, collector):
                previous_header = False
                continue
            if table is not None and not _is_plain_header(cells):
                table = None
            previous_header = False
        # A space-aligned line may be a sentence with wide gaps: read its sentences whole.
        filed = len(collector.observations)
        for cell in [_clean(raw)] if aligned else cells:
            if not cell:
                continue
            # Like a table, a sentence naming no year takes a year written just above it.
            nearby = [year for seen_line, year in recent_years if 0 < line_no - seen_line <= 5]
            _read_sentences(cell, line_no, default_year or (nearby[-1] if nearby else None), collector)
            recent_years.extend((line_no, year) for year in _years_in(cell))
        if is_row and len(collector.observations) == filed and any(_DECIMAL_SCORE.fullmatch(to_arabic_digits(c).strip()) for c in cells[1:]):
            # No silent loss: a table of figures nobody read is said once, where it starts.
            if line_no - last_unread > 2:
                shown = " | ".join(cell for cell in cells if cell)[:60]
                collector.warn(line_no, msg("score.row_not_read", cells=shown))
            last_unread = line_no
    return collector.build(_org_name(lines))


_DECIMAL_SCORE = re.compile(r"(?:100|\d{1,2})\.\d{1,2}")


def _merge_headers(first: _YearTable, second: _YearTable) -> _YearTable:
    """Combine two header rows: years from whichever has them, the change column from either."""
    real_years = {i: y for i, y in second.year_columns.items() if y} or {
        i: y for i, y in first.year_columns.items() if y
    }
    if not real_years:
        real_years = second.year_columns
    change = second.change_column if second.change_column is not None else first.change_column
    if change in real_years:
        change = None
    advice = second.advice_column if second.advice_column is not None else first.advice_column
    return _YearTable(
        real_years, change, first.header_line, first.about_indicators or second.about_indicators, advice,
        skip_columns=(first.skip_columns | second.skip_columns) - set(real_years),
    )


def _resolve_year(
    table: _YearTable,
    year_be: int | None,
    recent_years: list[tuple[int, int]],
    collector: _Collector,
    document_year: int | None = None,
) -> _YearTable:
    """Give a yearless score column the caller's year, else a year named just above the table, else the document's."""
    line_no = table.header_line
    if year_be is not None:
        year = year_be
    else:
        nearby = [year for seen_line, year in recent_years if 0 <= line_no - seen_line <= 5]
        if nearby:
            year = nearby[-1]
        elif document_year is not None:
            year = document_year
        else:
            collector.warn(line_no, msg("score.table_no_year"))
            return _YearTable(
                {}, table.change_column, table.header_line, table.about_indicators, table.advice_column,
                skip_columns=table.skip_columns,
            )
    columns = {i: (y or year) for i, y in table.year_columns.items()}
    return _YearTable(
        columns, table.change_column, table.header_line, table.about_indicators, table.advice_column,
        skip_columns=table.skip_columns,
    )


def _only_year(lines: Sequence[str]) -> int | None:
    """The one assessment year a document names (title, sentences, headers), or None when it names several."""
    years = {year for line in lines for year in _years_in(_clean(line))}
    return years.pop() if len(years) == 1 else None


# --- files and the template -----------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # UTF-16 without a BOM shows up as every other byte NUL.
    if data[1::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-le")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp874")
    except UnicodeDecodeError as error:
        raise ScoreImportError(msg("score.encoding")) from error


def render_lines(document: SourceDocument) -> tuple[str, dict[int, str]]:
    """The document as TAB-separated lines at their own line numbers, and where each line is."""
    lines: dict[int, str] = {}
    places: dict[int, str] = {}
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines[block.line] = block.text.replace("\t", " ")
            places[block.line] = block.where
            continue
        for row in block.rows:
            cells = [" ".join(cell.replace("\t", " ").split("\n")) for cell in row.cells]
            # A one-cell row stays a row: a TAB keeps it inside its table.
            lines[row.line] = "\t".join(cells) if len(cells) > 1 else cells[0] + "\t"
            places[row.line] = row.where
    last = max(lines, default=0)
    return "\n".join(lines.get(number, "") for number in range(1, last + 1)), places


def read_scores_document(
    document: SourceDocument, *, year_be: int | None = None, prefer: str | None = None
) -> ScoreDocument:
    """Read every score in a document already in the intermediate form."""
    year_be = _year_argument(year_be)
    text, places = render_lines(document)
    if document.format == "text" or document.format == "markdown":
        places = {}  # "file.txt line 12" already says where
    try:
        return _parse(text, year_be, document.name, places=places, prefer=prefer)
    except ScoreImportError:
        raise
    except Exception as error:  # the contract: callers only ever see ScoreImportError
        raise ScoreImportError(msg("score.internal", kind=type(error).__name__)) from error


def read_scores(path: str | Path, *, year_be: int | None = None, prefer: str | None = None) -> ScoreDocument:
    """Read scores from any supported file: text/markdown/HTML exports, .docx, .pdf, .xlsx/.csv (template or not).

    ``prefer`` settles figures two tables give differently (see `ScoreConflictError`);
    without it such a document raises that error and nothing is read.
    """
    year_be = _year_argument(year_be)
    file = Path(path)
    suffix = file.suffix.lower()
    if not file.exists():
        raise ScoreImportError(msg("score.no_file", name=file.name))
    if suffix in (".xlsx", ".xlsm", ".csv", ".tsv"):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise ScoreImportError(msg("score.cannot_open", name=file.name, reason=error.strerror or str(error))) from error
        places: dict[int, str] = {}
        hidden: list[str] = []
        if suffix in (".xlsx", ".xlsm"):
            rows, places, hidden = _xlsx_rows(data, file.name)
        else:
            rows = _csv_rows(_decode(data))
        result = _parse_rows(rows, year_be=year_be, source=file.name, prefer=prefer, places=places)
        result.warnings[:0] = [ScoreWarning(None, msg("document.hidden_sheet", sheet=sheet)) for sheet in hidden]
        return result
    try:
        document = read_document(file)
    except DocumentReadError as error:
        raise ScoreImportError(error.message) from None
    if any("\x00" in (block.text if isinstance(block, Paragraph) else "") for block in document.blocks):
        raise ScoreImportError(msg("score.binary"))
    return read_scores_document(document, year_be=year_be, prefer=prefer)


def _xlsx_rows(data: bytes, name: str) -> tuple[list[list[str]], dict[int, str], list[str]]:
    """The rows of the template sheet, else of every visible sheet one after another, where each row is,
    and the hidden sheets left out.

    Results often put the per-question scores on a sheet of their own; reading only the
    first sheet would lose them without a word.  A hidden sheet holds lookup lists, weights
    (0.3, 0.4) or an old draft, whose figures must never become scores.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ScoreImportError(msg("score.bad_workbook", name=name)) from error
    try:
        hidden: list[str] = []
        if vocab.TEMPLATE_SHEET in workbook.sheetnames:
            sheets = [workbook[vocab.TEMPLATE_SHEET]]
        else:
            sheets = [s for s in workbook.worksheets if "".join(s.title.split()) != vocab.TEMPLATE_NOTES_SHEET]
            hidden = [s.title for s in sheets if is_hidden(s)]
            sheets = [s for s in sheets if not is_hidden(s)]
        rows: list[list[str]] = []
        places: dict[int, str] = {}
        for sheet in sheets:
            if rows:
                rows.append([])  # a blank line ends the last sheet's table
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append([_cell_text(value) for value in row])
                if len(sheets) > 1:
                    places[len(rows)] = f"sheet '{sheet.title}' row {number}"
        return rows, places, hidden
    except Exception as error:  # openpyxl raises many kinds on damaged sheets
        raise ScoreImportError(msg("score.damaged_sheet", name=name)) from error
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ScoreImportError(msg("score.bad_csv", error=str(error))) from error


def _template_columns(row: Sequence[str]) -> dict[str, int] | None:
    cells = [_squash(_clean(cell)) for cell in row]
    columns: dict[str, int] = {}
    for key, prefixes in vocab.TEMPLATE_COLUMN_PREFIXES.items():
        for i, cell in enumerate(cells):
            if i not in columns.values() and any(cell.startswith(p) for p in prefixes):
                columns[key] = i
                break
    return columns if {"year", "kind", "score"} <= columns.keys() else None


def parse_score_rows(
    rows: Sequence[Sequence[object]], *, year_be: int | None = None, source: str = "sheet", prefer: str | None = None
) -> ScoreDocument:
    """Read scores from spreadsheet rows: the template layout, else any table as text."""
    return _parse_rows(rows, year_be=year_be, source=source, prefer=prefer)


def _parse_rows(
    rows: Sequence[Sequence[object]],
    *,
    year_be: int | None,
    source: str,
    prefer: str | None,
    places: dict[int, str] | None = None,
) -> ScoreDocument:
    """`parse_score_rows`, with where each row is when the rows come from several sheets."""
    year_be = _year_argument(year_be)
    text_rows = [[_cell_text(cell) for cell in row] for row in rows]
    header_at = next(
        (i for i, row in enumerate(text_rows[:20]) if _template_columns(row)),
        None,
    )
    if header_at is None:
        # Not the template: treat the sheet as a tab-separated text table.
        # Empty cells at a row's end are the sheet's width, not cells: a title in the first
        # cell ("ผลการประเมิน OIT รายข้อ ปี 2568") is a line of text, so its year is seen.
        trimmed = [row[: max((i + 1 for i, cell in enumerate(row) if cell.strip()), default=0)] for row in text_rows]
        text = "\n".join("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row) for row in trimmed)
        if not places:
            return parse_score_text(text, year_be=year_be, source=source, prefer=prefer)
        try:
            return _parse(text, year_be, source, places=places, prefer=prefer)
        except ScoreImportError:
            raise
        except Exception as error:  # the contract: callers only ever see ScoreImportError
            raise ScoreImportError(msg("score.internal_in", source=source, kind=type(error).__name__)) from error
    columns = _template_columns(text_rows[header_at]) or {}
    collector = _Collector(source, unit="row", prefer=prefer)
    try:
        for index, row in enumerate(text_rows[header_at + 1 :], start=header_at + 2):
            _read_template_row(row, index, columns, year_be, collector)
        document = collector.build(None)
    except ScoreImportError:
        raise
    except Exception as error:  # keep the one-exception contract for sheets too
        raise ScoreImportError(msg("score.internal_in", source=source, kind=type(error).__name__)) from error
    return document


def _read_template_row(
    row: Sequence[str], row_no: int, columns: dict[str, int], year_be: int | None, collector: _Collector
) -> None:
    def cell(key: str) -> str:
        i = columns.get(key)
        return _clean(row[i]) if i is not None and i < len(row) else ""

    cells = [_clean(value) for value in row]
    if not any(cells):
        return
    if any(value.startswith(vocab.TEMPLATE_EXAMPLE_MARK) for value in cells[:2]):
        return
    year_text = cell("year")
    year: int | None
    if year_text:
        digits = re.fullmatch(rf"(?:{_ERA})?(\d{{4}}|\d{{2}})", year_text.replace(" ", ""))
        year = _year_value(digits.group(1)) if digits else None
        if year is None:
            collector.warn(row_no, msg("score.row_bad_year", year=year_text[:20]))
            return
    elif year_be is not None:
        year = year_be
    else:
        collector.warn(row_no, msg("score.row_no_year"))
        return
    kind_text, code, name, score_text = _squash(cell("kind")), cell("code"), cell("name"), cell("score")
    kind_key = _template_kind(kind_text, code, name)
    if kind_key is None:
        collector.warn(row_no, msg("score.row_unknown", what=(code or name or kind_text)[:30]))
        return
    kind, key = kind_key
    where = cell("source")
    if kind == "level":
        level_name = normalize_level(score_text) or normalize_level(name) or normalize_level(code)
        if level_name is None:
            collector.warn(row_no, msg("score.row_bad_level", text=score_text[:20]))
            return
        collector.add(year, "level", "", level_name, row_no, from_table=True, note=where)
        return
    value = _score_cell(score_text)
    if value is None:
        if score_text:
            collector.warn(row_no, msg("score.row_bad_score", text=score_text[:20]))
        return
    collector.add(year, kind, key, value, row_no, from_table=True, note=where)


def _template_kind(kind_text: str, code: str, name: str) -> tuple[str, str] | None:
    code_squashed = _squash(code)
    if kind_text.startswith(vocab.TEMPLATE_KIND_LEVEL):
        return ("level", "")
    if kind_text.startswith(vocab.TEMPLATE_OVERALL_KINDS):
        return ("overall", "")
    if kind_text.startswith(vocab.TEMPLATE_KIND_QUESTION) or (not kind_text and normalize_question_code(code)):
        question = normalize_question_code(code) or normalize_question_code(name)
        return ("question", question) if question else None
    if kind_text.startswith(vocab.TEMPLATE_KIND_TOOL) or (not kind_text and match_tool(code)):
        part = re.fullmatch(r"(?i)eit[-\s]?(\d)", code_squashed) or (
            re.search(rf"{vocab.EIT_PART_WORD}(\d)", code_squashed + _squash(name))
        )
        if part:
            return ("eit_part", part.group(1))
        tool = match_tool(code) or match_tool(name)
        return ("tool", tool) if tool in TOOLS else None
    if kind_text.startswith(vocab.TEMPLATE_KIND_INDICATOR) or not kind_text:
        number = match_indicator(code) or match_indicator(name)
        return ("indicator", str(number)) if number in INDICATORS else None
    return None


def _template_rows() -> list[list[object]]:
    example = vocab.TEMPLATE_EXAMPLE_MARK
    source = vocab.TEMPLATE_EXAMPLE_SOURCE
    rows: list[list[object]] = [list(vocab.TEMPLATE_HEADERS)]
    rows.append([f"{example} 2567", vocab.TEMPLATE_KIND_INDICATOR, 9, INDICATORS[9].name, 97.14, source])
    rows.append([f"{example} 2567", vocab.TEMPLATE_KIND_TOOL, "OIT", vocab.TOOL_NAMES["OIT"], 86.91, source])
    rows.append([f"{example} 2567", vocab.TEMPLATE_KIND_QUESTION, "o12", "", 100, source])
    rows.append([f"{example} 2567", vocab.TEMPLATE_KIND_OVERALL, "", "", 94.69, source])
    rows.append([f"{example} 2567", vocab.TEMPLATE_KIND_LEVEL, "", "", vocab.LEVEL_GOOD, source])
    return rows


def write_score_template(path: str | Path) -> Path:
    """Write the empty score template (XLSX, or UTF-8 CSV with BOM when the path ends .csv)."""
    file = Path(path)
    rows = _template_rows()
    if file.suffix.lower() == ".csv":
        with file.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return file
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = vocab.TEMPLATE_SHEET
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    example_font = Font(italic=True, color="808080")
    example_fill = PatternFill("solid", fgColor="F2F2F2")
    for cell in sheet[1]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=2, max_row=len(rows)):
        for cell in row:
            cell.font = example_font
            cell.fill = example_fill
    for column, width in zip("ABCDEF", (18, 14, 12, 44, 10, 24), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    # A drop-down keeps the kind column to words the reader knows.
    kinds = DataValidation(type="list", formula1='"' + ",".join(vocab.TEMPLATE_KINDS) + '"', allow_blank=True)
    sheet.add_data_validation(kinds)
    kinds.add("B2:B1000")
    notes = workbook.create_sheet(vocab.TEMPLATE_NOTES_SHEET)
    for line in vocab.TEMPLATE_NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    notes["A1"].font = bold
    workbook.save(file)
    return file
