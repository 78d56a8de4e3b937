"""Turn the rows of a document's measure tables into measures: numbers, sections, units, periods, links.

`PlanBuilder` is fed in document order: paragraphs (headings such as
``ส่วนที่ ๑ …`` / ``๑.๑ …`` become each measure's section path; the first ones
give the title, organisation and year), then, per measure table chosen by
`ita.tables`, ``start_table(columns)`` and its data rows.  A row whose
leading cell is empty continues the measure above (a page break), a grouping
column written once is carried down, a cell numbering several measures is
split, and everything guessed becomes a `PlanWarning`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from ita.messages import Message, joined, msg
from ita.periods import parse_period
from ita.plan_model import PlanDocument, PlanImportError, PlanMeasure, PlanWarning
from ita.scores import find_question_code, match_indicator, normalize_question_code
from ita.status import normalize_measure_number
from ita.textclean import THAI_DEPENDENT, THAI_RUN, clean_text, leading_number, squash
from ita.thai import expand_be_year, fiscal_year, normalize_text, to_arabic_digits
from ita.units import EVERYONE, PERSON_PREFIX, known_unit, split_responsible
from ita.vocab import plan as vocab

# --- numbers, headings, codes ---------------------------------------------------

_NUMERIC_CELL = re.compile(r"^[-+]?\s?[0-9]+(?:[.,][0-9]+)*\s?%?$")
_DOTTED_HEADING = re.compile(r"^([0-9๐-๙]{1,2}(?:\.[0-9๐-๙]{1,2})+)\.?\s+(\S.*)$")
_SECTION_WORDS = "|".join(re.escape(w) for w in vocab.SECTION_WORDS)
_INDICATOR_SECTION_WORDS = "|".join(re.escape(w) for w in vocab.INDICATOR_SECTION_WORDS)
_WORD_HEADING = re.compile(rf"^({_SECTION_WORDS}|{_INDICATOR_SECTION_WORDS})\s*([0-9๐-๙]{{1,2}})(?![0-9๐-๙])")
_INDICATOR_IN_TEXT = re.compile(
    r"(?:" + "|".join(re.escape(w) for w in vocab.INDICATOR_NUMBER_WORDS) + r")\s*([0-9]{1,2})(?![0-9.])"
)
# Headings are short; a longer line is prose that happens to start with a number.
MAX_HEADING_LENGTH = 160
# A line of prose this long ends the current table.
LONG_PARAGRAPH = 60


@dataclass
class Heading:
    """A numbered heading above the measures."""

    level: int
    text: str
    key: str
    indicator: int | None = None
    # Written in a grouping column of the table rather than as a heading line.
    from_column: bool = False


def parse_heading(text: str) -> Heading | None:
    """Return the heading a line is (ส่วนที่ ๑ …, ๑.๑ …, ตัวชี้วัดที่ ๙ …), or None."""
    if not text or len(text) > MAX_HEADING_LENGTH:
        return None
    word = _WORD_HEADING.match(text)
    if word:
        number = int(to_arabic_digits(word.group(2)))
        indicator = number if word.group(1) in vocab.INDICATOR_SECTION_WORDS and 1 <= number <= 10 else None
        return Heading(1, text, f"{word.group(1)}{number}", indicator)
    dotted = _DOTTED_HEADING.match(text)
    if dotted:
        number = normalize_measure_number(dotted.group(1)) or to_arabic_digits(dotted.group(1))
        return Heading(number.count(".") + 1, text, number)
    return None


def _indicators_in(text: str) -> list[int]:
    arabic = to_arabic_digits(text)
    return [int(n) for n in _INDICATOR_IN_TEXT.findall(arabic) if 1 <= int(n) <= 10]


_RANGE_DASH = re.compile(r"^\s*(?:-|–|—|ถึง)\s*")
# A range longer than this ("o1 - o99") is a typo, not a list of questions.
MAX_CODE_RANGE = 40


def _codes_in(text: str) -> list[str]:
    """Question codes a text names, a range "o1 - o28" as every code in it."""
    codes: list[str] = []
    rest = text
    while rest:
        found = find_question_code(rest)
        if not found:
            break
        code, _, end = found
        rest = rest[max(end, 1) :]
        dash = _RANGE_DASH.match(rest)
        following = find_question_code(rest[dash.end() :]) if dash else None
        if dash and following and following[1] == 0:
            last = following[0]
            first_n, last_n = int(code[1:]), int(last[1:])
            if last[0] == code[0] and 0 < last_n - first_n <= MAX_CODE_RANGE:
                codes += [f"{code[0]}{n}" for n in range(first_n, last_n + 1)]
                rest = rest[dash.end() + following[2] :]
                continue
        codes.append(code)
    return codes


_LIST_SPLIT = re.compile(r"[,，;、/\n]|\s+และ\s*|\s+")


def _indicator_cell(text: str) -> list[int]:
    """Indicator numbers a ตัวชี้วัด cell names: "9", "9, 10", "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"."""
    found = _indicators_in(text)
    if found:
        return found
    whole = match_indicator(text)
    if whole and not re.search(r"[0-9๐-๙].*[,/ ].*[0-9๐-๙]", text):
        return [whole]
    numbers = []
    for part in re.split(r"[,，;、/\n]|\s+และ\s*", text):
        number = match_indicator(part)
        if number:
            numbers.append(number)
    return numbers


def _question_cell(text: str) -> list[str]:
    codes = []
    for part in _LIST_SPLIT.split(text):
        code = normalize_question_code(part) if part else None
        if code:
            codes.append(code)
    return codes or _codes_in(text)


_QUESTION_KEY = re.compile(
    r"^(?:" + "|".join(re.escape(w) for w in vocab.QUESTION_KEY_PREFIXES) + r")\s*"
)
# A grouping cell longer than this (characters, spaces removed) is a description, not an indicator's name.
MAX_INDICATOR_NAME = 40


def _question_key(title: str) -> tuple[list[str], str]:
    """Split "มาตรการข้อ i3 จัดทำคู่มือ…" into (["i3"], "จัดทำคู่มือ…"); a key without a code stays in the title."""
    prefix = _QUESTION_KEY.match(title)
    if not prefix:
        return [], title
    codes: list[str] = []
    rest = title[prefix.end() :]
    while True:
        found = find_question_code(rest)
        if not found or found[1] != 0:
            break
        codes.append(found[0])
        rest = re.sub(r"^\s*(?:,|/|และ)?\s*", "", rest[found[2] :])
    if not codes or not rest.strip():
        return [], title
    return codes, rest.strip()


def _indicator_name(text: str) -> int | None:
    """The indicator a grouping cell names by itself ("การเปิดเผยข้อมูล"), or None."""
    cleaned = clean_text(text)
    if not cleaned or len(squash(cleaned)) > MAX_INDICATOR_NAME:
        return None
    return match_indicator(cleaned)


def _cadence_in(text: str) -> str | None:
    squashed = squash(to_arabic_digits(text)).lower()
    for cadence, words in vocab.CADENCE_WORDS:
        if any(word in squashed for word in words):
            return cadence
    return None


def _unique(items: Iterable) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


# --- building measures ------------------------------------------------------------


@dataclass
class _Draft:
    """A measure being assembled from one row and its continuation rows."""

    line: int
    section: list[Heading]
    number: str
    title: str
    cells: dict[str, list[str]] = field(default_factory=dict)

    def add(self, field_name: str, text: str) -> None:
        if text:
            self.cells.setdefault(field_name, []).append(text)

    def text(self, field_name: str, sep: str = "\n") -> str:
        return sep.join(self.cells.get(field_name, []))


# Columns that hold words in a measure row; numbers there mean another table.
_WORDY_FIELDS = frozenset(
    {None, vocab.FIELD_TITLE, vocab.FIELD_STEPS, vocab.FIELD_RESPONSIBLE, vocab.FIELD_RESULT, vocab.FIELD_OUTCOME}
)
_MULTILINE_FIELDS = frozenset({vocab.FIELD_STEPS, vocab.FIELD_RESULT, vocab.FIELD_OUTCOME})


class PlanBuilder:
    """Turns a document's lines (prose and table rows) into a `PlanDocument`."""

    def __init__(
        self,
        *,
        fiscal_year_be: int | None = None,
        org_name: str | None = None,
        source_format: str = "text",
        one_row_per_measure: bool = False,
    ) -> None:
        self.fiscal_year_be = fiscal_year_be
        # Spreadsheets have no page breaks: a row only continues the one above
        # when it has no title and no number.
        self.one_row_per_measure = one_row_per_measure
        self.org_name = org_name
        self.source_format = source_format
        self.warnings: list[PlanWarning] = []
        self.columns: dict[int, str] | None = None
        self.header_width = 0
        self.seen_measure_header = False
        self.fill_down: set[int] = set()
        # The last text of each grouping column, carried down to rows that leave it blank.
        self.carried: dict[int, str] = {}
        self.sections: list[Heading] = []
        self.drafts: list[_Draft] = []
        self.last: _Draft | None = None
        # Prose before the first table, in blank-line separated groups.
        self.prologue: list[list[str]] = [[]]
        self.all_text: list[str] = []

    def warn(self, line: int | None, message: Message) -> None:
        self.warnings.append(PlanWarning(line, message))

    # -- feeding ----------------------------------------------------------------

    def blank(self) -> None:
        if not self.seen_measure_header and self.prologue[-1]:
            self.prologue.append([])

    def prose(self, line: int, raw: str) -> None:
        text = clean_text(raw)
        if not text:
            self.blank()
            return
        self.all_text.append(text)
        heading = parse_heading(text)
        if heading:
            self.open_section(heading)
            return
        if not self.seen_measure_header:
            self.prologue[-1].append(text)
        if len(text) > LONG_PARAGRAPH:
            self.columns = None
            self.last = None

    def open_section(self, heading: Heading) -> None:
        while self.sections and self.sections[-1].level >= heading.level:
            self.sections.pop()
        self.sections.append(heading)
        self.last = None

    def start_table(self, columns: dict[int, str], width: int, fill_down: set[int] | None = None) -> None:
        """Read the following rows with these columns (0-based index -> field)."""
        self.columns = dict(columns)
        self.header_width = max(width, max(columns, default=-1) + 1)
        self.fill_down = set(fill_down or ())
        self.carried = {}
        self.seen_measure_header = True

    def end_table(self) -> None:
        """Stop reading rows as measures until the next measure table."""
        self.columns = None

    def label_row(self, cells: list[str]) -> bool:
        """Take a "ชื่อหน่วยงาน | อบต.…" or "ปีงบประมาณ | 2568" row above the table; True when used."""
        if self.seen_measure_header:
            return False
        org = _label_value(cells, vocab.ORG_LABELS)
        if org and self.org_name is None:
            self.org_name = org
            return True
        year = _label_value(cells, vocab.YEAR_LABELS)
        if year and self.fiscal_year_be is None:
            digits = "".join(ch for ch in to_arabic_digits(year) if ch.isdigit())
            if digits and len(digits) in (2, 4):
                self.fiscal_year_be = expand_be_year(int(digits))
                return True
        return False

    def other_row(self, line: int, cells: list[str]) -> None:
        """Take a row of a table that holds no measures: a lone cell may be a heading or prose."""
        texts = [clean_text(cell) for cell in cells]
        filled = [text for text in texts if text]
        if len(filled) == 1:
            self.prose(line, filled[0])
        elif filled:
            self.all_text.append(" ".join(filled))

    def row(self, line: int, cells: list[str]) -> None:
        """Take one data row of a measure table: a measure, a continuation, a heading or a row to skip."""
        texts = [cell.strip() for cell in cells]
        filled = [i for i, text in enumerate(texts) if clean_text(text)]
        if not filled:
            return
        self.all_text.append(" ".join(clean_text(texts[i]) for i in filled))
        if self.columns is None:
            return
        if _is_example(texts):
            return
        footer = _footer_kind([clean_text(texts[i]) for i in filled])
        if footer == "sign_off":
            # The reporter signs below the last measure: nothing after it in this table is a measure.
            self.columns = None
            self.last = None
            return
        if footer == "total":
            # A totals row neither is a measure nor continues the one above it.
            self.last = None
            return
        if len(filled) == 1:
            lone = clean_text(texts[filled[0]])
            heading = parse_heading(lone)
            if heading and self.columns.get(filled[0]) not in (vocab.FIELD_TITLE, vocab.FIELD_NUMBER):
                self.open_section(heading)
                return
            if self.columns.get(filled[0]) == vocab.FIELD_NUMBER and not _is_number_cell(lone):
                # A full-width row merged across the table ("มิติที่ ๑ …") lands in the number
                # column: it heads the measures below, it is not a measure.
                self.open_section(heading or Heading(1, lone, squash(lone)[:40]))
                return
        if self._looks_like_scores(texts):
            self.columns = None
            self.last = None
            return
        for index in self.fill_down:
            if index < len(texts):
                if clean_text(texts[index]):
                    self.carried[index] = texts[index]
                elif index in self.carried:
                    texts[index] = self.carried[index]
        self._measure_row(line, texts)

    def _looks_like_scores(self, texts: list[str]) -> bool:
        """A row of another table (scores) that slipped under a measure header."""
        columns = self.columns or {}
        numeric = 0
        for i, text in enumerate(texts):
            if columns.get(i) not in _WORDY_FIELDS:
                continue
            if _NUMERIC_CELL.match(to_arabic_digits(clean_text(text))):
                numeric += 1
        return numeric >= 2

    def _measure_row(self, line: int, texts: list[str]) -> None:
        columns = self.columns or {}
        values: dict[str, list[str]] = {}
        for index, field_name in sorted(columns.items()):
            raw = texts[index] if index < len(texts) else ""
            cleaned = clean_text(raw, multiline=field_name in _MULTILINE_FIELDS)
            if cleaned:
                values.setdefault(field_name, []).append(cleaned)
            if field_name == vocab.FIELD_TITLE and cleaned:
                values.setdefault("_title_items", []).append(clean_text(raw, multiline=True))
        # Cells under header columns Tidtam does not use are dropped silently;
        # cells past the header's last column may be misplaced data.
        extra = [clean_text(t) for t in texts[self.header_width :] if clean_text(t)]
        if extra:
            self.warn(line, msg("plan.extra_cells", cells=" | ".join(extra)[:120]))

        title_raw = " ".join(values.pop(vocab.FIELD_TITLE, []))
        number_cell = " ".join(values.pop(vocab.FIELD_NUMBER, []))
        title_column = min((i for i, f in columns.items() if f == vocab.FIELD_TITLE), default=0)
        # The row's own leading cell: the number column, else the first column that is not a
        # grouping column carried down from above.
        lead = min(
            (i for i, f in columns.items() if f == vocab.FIELD_NUMBER),
            default=min((i for i in range(len(texts)) if i not in self.fill_down), default=0),
        )
        first_empty = not clean_text(texts[lead]) if lead < len(texts) else True

        if first_empty and self.last is not None and self._continues(title_raw, number_cell, title_column):
            self._continue(self.last, title_raw, values)
            return

        items = _numbered_items(values.get("_title_items", []))
        values.pop("_title_items", None)
        if len(items) >= 2:
            if number_cell:
                # "๒ | ๑. … ๒. …": the row's number, then each item's ("2.1", "2.2").
                row_number = normalize_measure_number(number_cell) or clean_text(number_cell)
                items = [(f"{row_number}.{number}", text) for number, text in items]
            self._split_measures(line, items, values)
            return
        number, title = "", title_raw
        if number_cell:
            number = normalize_measure_number(number_cell) or clean_text(number_cell)
            leading, rest = leading_number(title_raw)
            if leading and leading == number:
                title = rest
        else:
            number, title = leading_number(title_raw)
        if not title:
            # A measure without a title cannot be followed up: a second header row (ต.ค. พ.ย. …)
            # or a row of notes.  Say so rather than store an empty measure.
            shown = " | ".join(clean_text(t) for t in texts if clean_text(t))[:80]
            self.warn(line, msg("plan.no_title", cells=shown))
            return
        section = self._section_for(values.pop(vocab.FIELD_SECTION, []))
        draft = _Draft(line=line, section=section, number=number, title=title)
        for field_name, texts_ in values.items():
            for text in texts_:
                draft.add(field_name, text)
        self.drafts.append(draft)
        self.last = draft

    def _split_measures(self, line: int, items: list[tuple[str, str]], values: dict[str, list[str]]) -> None:
        """One cell numbering several measures ("1. … 2. …"): one measure each, sharing the row's other cells."""
        section = self._section_for(values.pop(vocab.FIELD_SECTION, []))
        self.warn(line, msg("plan.split_cell", count=len(items)))
        for number, title in items:
            draft = _Draft(line=line, section=section, number=number, title=title)
            for field_name, texts_ in values.items():
                for text in texts_:
                    draft.add(field_name, text)
            self.drafts.append(draft)
        self.last = self.drafts[-1]

    def _continues(self, title: str, number_cell: str, title_column: int) -> bool:
        if self.one_row_per_measure:
            return not title and not number_cell
        if title_column == 0 or not title:
            return True
        # A title cell filled under an empty number cell is a title broken by a
        # page, unless the document does not number its measures at all.
        leading, _ = leading_number(title)
        return bool(self.last and self.last.number and not leading)

    def _continue(self, draft: _Draft, title: str, values: dict[str, list[str]]) -> None:
        if title:
            draft.title = f"{draft.title} {title}".strip() if draft.title else title
        for field_name, texts in values.items():
            if field_name == vocab.FIELD_SECTION:
                continue
            for text in texts:
                draft.add(field_name, text)

    def _section_for(self, section_cells: list[str]) -> list[Heading]:
        """The section path for a new measure: a section column wins over headings."""
        if not section_cells:
            return list(self.sections)
        path: list[Heading] = []
        for part in re.split(r"\s*(?:>|»|\n)\s*", "\n".join(section_cells)):
            part = part.strip()
            if not part:
                continue
            heading = parse_heading(part) or Heading(len(path) + 1, part, squash(part), from_column=True)
            path.append(heading)
        return path

    # -- finishing --------------------------------------------------------------

    def finish(self) -> PlanDocument:
        """Resolve names, years, periods and keys; raise PlanImportError when nothing usable."""
        if not self.seen_measure_header:
            raise PlanImportError(msg("plan.no_table_below_header"))
        if not self.drafts:
            raise PlanImportError(msg("plan.no_rows"))

        title = self._document_title()
        org_name, variants = self._org_name()
        district, province = self._place(variants, org_name)
        year = self._fiscal_year(title)

        measures = [self._measure(draft, year) for draft in self.drafts]
        self._assign_keys(measures)
        units = _unique(
            unit
            for measure in measures
            for unit in measure.responsible_units
            if unit != EVERYONE and not unit.startswith(PERSON_PREFIX)
        )
        return PlanDocument(
            org_name=org_name,
            fiscal_year_be=year,
            title=title,
            district=district,
            province=province,
            measures=measures,
            units=units,
            warnings=self.warnings,
            source_format=self.source_format,
        )

    def _document_title(self) -> str | None:
        for group in self.prologue:
            if group:
                text = " ".join(group)
                return text if len(text) <= 300 else None
        return None

    def _prologue_text(self) -> str:
        return "\n".join(" ".join(group) for group in self.prologue if group)

    def _org_name(self) -> tuple[str | None, list[str]]:
        if self.org_name:
            return normalize_text(self.org_name), []
        found = _org_mentions(self._prologue_text()) or []
        mentions = _org_mentions("\n".join(self.all_text))
        if not mentions:
            return None, []
        kind = (found or mentions)[0][0]
        names = _reduce_run_on_names([name for k, name in mentions if k == kind])
        counts = Counter(names)
        first_seen = {name: i for i, name in reversed(list(enumerate(names)))}
        if found:
            anchor = _reduce_run_on_names([found[0][1]], known=names)[0]
        else:
            anchor = names[0]
        family = [n for n in counts if n == anchor or fuzz.ratio(n, anchor) >= 60]
        best = max(family, key=lambda n: (counts[n], -first_seen[n]))
        if len(family) > 1:
            spelt = joined(
                (msg("plan.spelling", name=n, times=counts[n]) for n in sorted(family, key=lambda n: -counts[n])),
                ", ",
                ", ",
            )
            self.warn(None, msg("plan.org_spellings", count=len(family), spellings=spelt, name=kind + best))
        return f"{kind}{best}", family

    def _place(self, variants: list[str], org_name: str | None) -> tuple[str | None, str | None]:
        text = self._prologue_text()
        district = _first_name_after(vocab.DISTRICT_WORDS, text)
        province = _first_name_after(vocab.PROVINCE_WORDS, text)
        if district and variants and org_name:
            chosen = next((v for v in variants if org_name.endswith(v)), None)
            if chosen and district != chosen and district in variants:
                self.warn(None, msg("plan.district_variant", district=district, chosen=chosen))
                district = chosen
        return district, province

    def _fiscal_year(self, title: str | None) -> int | None:
        if self.fiscal_year_be is not None:
            given = self.fiscal_year_be
            year = expand_be_year(given) if isinstance(given, int) and given >= 0 else None
            if year is None or not 2400 <= year < 3000:
                raise PlanImportError(msg("plan.bad_year", given=given))
            return year
        for text in (title or "", self._prologue_text()):
            year = _year_in(text)
            if year:
                return year
        ends = []
        for draft in self.drafts:
            period = parse_period(self._period_text(draft) or None, None)
            if period is not None and not period.assumed:
                ends.append(fiscal_year(period.end))
        if ends:
            year = Counter(ends).most_common(1)[0][0]
            self.warn(None, msg("plan.year_guessed", year=year))
            return year
        self.warn(None, msg("plan.no_year"))
        return None

    def _measure(self, draft: _Draft, year: int | None) -> PlanMeasure:
        line = draft.line
        keyed_codes, title = _question_key(draft.title)
        responsible_text = draft.text(vocab.FIELD_RESPONSIBLE)
        units = split_responsible(responsible_text)
        if not responsible_text:
            self.warn(line, msg("plan.no_unit", title=title[:40]))
        for unit in units:
            if unit != EVERYONE and not unit.startswith(PERSON_PREFIX) and known_unit(unit) is None:
                self.warn(line, msg("plan.unknown_unit", unit=unit))

        period_text = self._period_text(draft)
        ticked = self._ticked_months(draft)
        if not period_text and ticked and year is not None:
            start, end, assumed = self._tick_period(line, ticked, year)
        else:
            start, end, assumed = self._period(line, period_text, year)
        cadence = self._cadence(line, draft, period_text)

        indicators: list[int] = []
        codes: list[str] = list(keyed_codes)
        for heading in draft.section:
            if heading.indicator:
                indicators.append(heading.indicator)
            elif heading.from_column:
                # A grouping column of indicator names ("การเปิดเผยข้อมูล") links its measures.
                named = _indicator_name(heading.text)
                if named:
                    indicators.append(named)
        for text in draft.cells.get(vocab.FIELD_INDICATOR, []):
            indicators += _indicator_cell(text)
            codes += _codes_in(text)
        for text in draft.cells.get(vocab.FIELD_QUESTION, []):
            codes += _question_cell(text)
            indicators += _indicators_in(text)
        for text in (title, draft.text(vocab.FIELD_STEPS)):
            indicators += _indicators_in(text)
            codes += _codes_in(text)

        return PlanMeasure(
            key="",
            section_path=[heading.text for heading in draft.section],
            number=draft.number,
            title=title,
            steps=draft.text(vocab.FIELD_STEPS),
            responsible_text=responsible_text,
            responsible_units=units,
            period_text=period_text,
            period_start=start,
            period_end=end,
            period_assumed=assumed,
            cadence=cadence,
            result_text=draft.text(vocab.FIELD_RESULT),
            outcome_text=draft.text(vocab.FIELD_OUTCOME),
            indicator_numbers=sorted(set(indicators)),
            question_codes=_unique(codes),
            source_line=line,
        )

    @staticmethod
    def _ticked_months(draft: _Draft) -> list[int]:
        """The months ticked in a tick chart's month columns, in fiscal order (October first)."""
        months = []
        for field_name, texts in draft.cells.items():
            if not field_name.startswith(vocab.FIELD_MONTH_PREFIX):
                continue
            if any(squash(text) and squash(text) not in vocab.UNTICKED_MARKS for text in texts):
                months += [int(month) for month in field_name[len(vocab.FIELD_MONTH_PREFIX) :].split(",")]
        return sorted(set(months), key=lambda month: (month - 10) % 12)

    def _tick_period(self, line: int, months: list[int], year: int) -> tuple[date, date, bool]:
        """First to last ticked month of fiscal year ``year`` (October–December fall in the year before)."""

        def first_day(month: int) -> date:
            return date(year - 543 - (1 if month >= 10 else 0), month, 1)

        span = (months[-1] - 10) % 12 - (months[0] - 10) % 12 + 1
        if span != len(months):
            self.warn(line, msg("plan.ticks_gap", ticked=len(months), span=span))
        return first_day(months[0]), first_day(months[-1]), False

    @staticmethod
    def _period_text(draft: _Draft) -> str:
        text = draft.text(vocab.FIELD_PERIOD, " ")
        start = draft.text(vocab.FIELD_PERIOD_START, " ")
        end = draft.text(vocab.FIELD_PERIOD_END, " ")
        if start or end:
            span = " - ".join(part for part in (start, end) if part)
            text = f"{text} {span}".strip() if text else span
        return text

    def _period(self, line: int, text: str, year: int | None) -> tuple[date | None, date | None, bool]:
        period = parse_period(text or None, year)
        if period is None:
            if text:
                self.warn(line, msg("plan.period_unreadable_no_year", text=text))
            else:
                self.warn(line, msg("plan.no_period_no_year"))
            return None, None, False
        if period.assumed:
            if text:
                self.warn(line, msg("plan.period_unreadable", text=text, year=year))
            else:
                self.warn(line, msg("plan.no_period", year=year))
        elif period.note:
            self.warn(line, msg("plan.period_note", text=text, start=period.start, end=period.end, note=period.note))
        return period.start, period.end, period.assumed

    def _cadence(self, line: int, draft: _Draft, period_text: str) -> str:
        stated = draft.text(vocab.FIELD_CADENCE, " ")
        if stated:
            cadence = _cadence_in(stated)
            if cadence:
                return cadence
            self.warn(line, msg("plan.unknown_cadence", stated=stated))
            return vocab.CADENCE_MONTHLY
        for text in (period_text, draft.title, draft.text(vocab.FIELD_STEPS, " ")):
            cadence = _cadence_in(text)
            if cadence:
                return cadence
        return vocab.CADENCE_MONTHLY

    def _assign_keys(self, measures: list[PlanMeasure]) -> None:
        used: Counter[str] = Counter()
        first_line: dict[str, int] = {}
        for draft, measure in zip(self.drafts, measures):
            base = "/".join([*(heading.key for heading in draft.section), measure.number or "row"])
            used[base] += 1
            if used[base] == 1:
                measure.key = base
                first_line[base] = measure.source_line
                continue
            measure.key = f"{base}#{used[base]}"
            if measure.number:
                self.warn(
                    measure.source_line,
                    msg("plan.number_again", number=measure.number, first=first_line[base], key=measure.key),
                )


# --- organisation, place and year -------------------------------------------------

_ORG_KIND = "|".join(re.escape(kind) for kind, _ in vocab.ORG_KINDS)
_ORG_MENTION = re.compile(rf"({_ORG_KIND})\s?({THAI_RUN})")
_ORG_FULL = dict(vocab.ORG_KINDS)
_NOT_A_NAME = re.compile(r"^(?:ใน|และ|ที่|ของ|เพื่อ|ให้|ได้|จึง|มี|ซึ่ง|โดย|ประจำ|ตาม|เป็น|นี้|ดัง|ทุก|แห่ง|อำเภอ|จังหวัด)")
# An organisation's own name is rarely longer than this many characters.
MAX_ORG_NAME = 30


def _org_mentions(text: str) -> list[tuple[str, str]]:
    """(full kind, name) for every organisation named in text, in order."""
    mentions = []
    for match in _ORG_MENTION.finditer(text):
        name = match.group(2)
        for stop in (*vocab.DISTRICT_WORDS, *vocab.PROVINCE_WORDS):
            cut = name.find(stop)
            if cut > 0:
                name = name[:cut]
        if len(name) < 2 or _NOT_A_NAME.match(name):
            continue
        mentions.append((_ORG_FULL[match.group(1)], name))
    return mentions


def _reduce_run_on_names(names: list[str], known: list[str] | None = None) -> list[str]:
    """Cut names that ran into the next words ("บางคามาใช้ใน…" → "บางคา")."""
    pool = sorted(set(known or names) | set(names), key=len)
    reduced = []
    for name in names:
        shortest = name
        for other in pool:
            if other == name or len(other) >= len(name) or not name.startswith(other):
                continue
            rest = name[len(other) :]
            if len(rest) >= 2 and rest[0] not in THAI_DEPENDENT:
                shortest = other
                break
        if len(shortest) > MAX_ORG_NAME and len(pool) > 1:
            continue
        reduced.append(shortest)
    return reduced or names


def _first_name_after(words: tuple[str, ...], text: str) -> str | None:
    pattern = re.compile("(?:" + "|".join(re.escape(w) for w in words) + rf")\s?({THAI_RUN})")
    for match in pattern.finditer(text):
        name = match.group(1)
        for stop in (*vocab.DISTRICT_WORDS, *vocab.PROVINCE_WORDS):
            cut = name.find(stop)
            if cut > 0:
                name = name[:cut]
        if len(name) >= 2 and not _NOT_A_NAME.match(name):
            return name
    return None


_YEAR_WORDS = "|".join(re.escape(w) for w in vocab.FISCAL_YEAR_WORDS)
_FISCAL_YEAR_IN_TEXT = re.compile(rf"(?:{_YEAR_WORDS})\s?(?:พ\.\s?ศ\.?)?\s?([0-9]{{4}}|[0-9]{{2}})(?![0-9])")
_BE_YEAR = re.compile(r"พ\.\s?ศ\.?\s?([0-9]{4})(?![0-9])")


def _year_in(text: str) -> int | None:
    arabic = to_arabic_digits(text)
    for pattern in (_FISCAL_YEAR_IN_TEXT, _BE_YEAR):
        for match in pattern.finditer(arabic):
            year = expand_be_year(int(match.group(1)))
            if 2400 <= year < 2700:
                return year
    return None


# --- template rows and cell lists -------------------------------------------------------


def _label_value(cells: list[str], labels: tuple[str, ...]) -> str | None:
    """The value next to a label cell ("ชื่อหน่วยงาน | อบต.…"), or None."""
    filled = [cell.strip() for cell in cells if cell and cell.strip()]
    if len(filled) < 2 or len(filled) > 3:
        return None
    label = squash(clean_text(filled[0])).rstrip(":：")
    if any(label.startswith(squash(word)) for word in labels) and len(label) <= 30:
        return clean_text(filled[1])
    return None


def _is_number_cell(text: str) -> bool:
    """A measure number ("๓", "2.1", "ข้อ 4"), not a heading written in the number column."""
    return len(squash(text)) <= 8 and bool(re.search(r"[0-9๐-๙]", text))


_PERSON_IN_PARENTHESES = re.compile(
    r"^\(\s*(?:" + "|".join(re.escape(title) for title in vocab.PERSON_TITLES) + r")\s*\S[^()]*\)$"
)
_TOTAL_LABEL = re.compile(
    rf"^{vocab.TOTAL_WORD}\s*(?:{'|'.join(vocab.TOTAL_QUALIFIERS)})?\s*[0-9]*\s*(?:{'|'.join(vocab.TOTAL_COUNTED)})?$"
)
_AMOUNT_CELL = re.compile(r"^[-–—]?$|^[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:บาท)?$")


def _footer_kind(texts: list[str]) -> str | None:
    """Whether a table row's filled cells are a sign-off ("sign_off") or a totals row ("total").

    A row qualifies only when every distinct cell is footer text (a merged cell repeats its
    text), so a measure whose cells merely mention a position is never taken for one.
    """
    distinct = list(dict.fromkeys(to_arabic_digits(text) for text in texts if text))
    if not distinct:
        return None
    if all(text.startswith(vocab.SIGN_OFF_PREFIXES) or _PERSON_IN_PARENTHESES.match(text) for text in distinct):
        return "sign_off"
    labels = [text for text in distinct if _TOTAL_LABEL.match(text)]
    if labels and all(text in labels or _AMOUNT_CELL.match(text) for text in distinct):
        return "total"
    return None


def _is_example(cells: list[str]) -> bool:
    """The template's sample row: its first or second filled cell starts with ตัวอย่าง."""
    filled = [cell.strip().lstrip("([*") for cell in cells if cell and cell.strip()]
    return any(cell.startswith(vocab.TEMPLATE_EXAMPLE_MARK) for cell in filled[:2])


_INLINE_ITEM = re.compile(r"(?:^|\s)([0-9๐-๙]{1,2})[.)]\s+(?=\S)")
# Each of several measures written in one cell is at least this long (characters, spaces removed).
MIN_ITEM_LENGTH = 10


def _inline_items(line: str) -> list[str]:
    """Split "๑. จัดทำ… ๒. เผยแพร่…" written on one line at its numbers 1, 2, … (in order only)."""
    cuts = []
    for match in _INLINE_ITEM.finditer(line):
        if int(to_arabic_digits(match.group(1))) == len(cuts) + 1:
            cuts.append(match.start(1))
    if len(cuts) < 2 or cuts[0] != len(line) - len(line.lstrip()):
        return [line]
    parts = [line[start:end].strip() for start, end in zip(cuts, [*cuts[1:], len(line)])]
    if any(len(squash(leading_number(part)[1])) < MIN_ITEM_LENGTH for part in parts):
        return [line]
    return parts


def _numbered_items(cells: list[str]) -> list[tuple[str, str]]:
    """(number, text) for a cell that lists measures 1, 2, … each on its own line or one after another; [] otherwise."""
    lines = [part for cell in cells for line in cell.split("\n") if line.strip() for part in _inline_items(line)]
    items: list[tuple[str, str]] = []
    for line in lines:
        number, rest = leading_number(line)
        if number and "." not in number and int(number) == len(items) + 1 and rest:
            items.append((number, rest))
        elif items:
            number_, text = items[-1]
            items[-1] = (number_, f"{text} {line}".strip())
        else:
            return []
    return items if len(items) >= 2 else []
