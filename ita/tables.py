"""Find the measure tables of a document: by structure first, then by what the columns hold.

Every table of a `SourceDocument` is read twice.  Its header rows (if any)
name columns through the vocabulary in `ita.vocab.plan`; its data rows are
profiled column by column (long phrases, unit names, date ranges, numbering,
scores, question codes).  The header wins where it speaks, the profile fills
in columns it leaves unnamed and decides alone for a table with no header.
A grouping column (ประเด็น / ตัวชี้วัด / มิติ written once and blank below)
is recognised by its header or by being sparse left of the measure column.

The result is a `TableReading` per measure table, or a `PlanTableChoiceError`
carrying every candidate table and its columns when no reading is clearly
right, so the caller can show them and pass ``columns=`` back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from ita.documents.blocks import SourceDocument, Table
from ita.messages import Message, joined, msg
from ita.periods import parse_period
from ita.plan_model import CandidateColumn, PlanImportError, PlanTableChoiceError, TableCandidate
from ita.scores import normalize_question_code
from ita.textclean import LIST_MARKER, clean_text, leading_number, squash
from ita.thai import find_month, to_arabic_digits
from ita.units import EVERYONE, PERSON_PREFIX, known_unit, split_responsible
from ita.vocab import plan as vocab
from ita.vocab.time import QUARTER_WORD

_MEASURE_BODY_FIELDS = frozenset(
    {
        vocab.FIELD_STEPS,
        vocab.FIELD_RESPONSIBLE,
        vocab.FIELD_PERIOD,
        vocab.FIELD_PERIOD_START,
        vocab.FIELD_PERIOD_END,
        vocab.FIELD_RESULT,
        vocab.FIELD_OUTCOME,
    }
)
# A header cell is usually no longer than this (spaces removed); most cells of a header row are.
SHORT_HEADER = 30
# A fuzzy header match must be at least this similar (0–100).
HEADER_FUZZY_CUTOFF = 88.0


def header_field(cell: str) -> str | None:
    """Return the field a header cell names (see `ita.vocab.plan.HEADER_RULES`), or None."""
    text = squash(clean_text(cell)).strip(":：*").lower()
    if not text or len(text) > vocab.MAX_HEADER_LENGTH:
        return None
    if text in vocab.NUMBER_HEADERS_EXACT:
        return vocab.FIELD_NUMBER
    for field_name, starts, contains in vocab.HEADER_RULES:
        if any(text.startswith(word) for word in starts) or any(word in text for word in contains):
            return field_name
    best_score, best_field = 0.0, None
    for field_name, _, contains in vocab.HEADER_RULES:
        for word in contains:
            if len(word) < 6 or len(text) < len(word) - 1:
                continue
            score = fuzz.partial_ratio(word, text)
            if score > best_score:
                best_score, best_field = score, field_name
    return best_field if best_score >= HEADER_FUZZY_CUTOFF else None


@dataclass
class HeaderMatch:
    """What a table row means as a header: its columns and whether it opens a measure table."""

    columns: dict[int, str]
    is_measure_table: bool
    width: int = 0


def match_header(cells: list[str], *, lenient: bool = False) -> HeaderMatch | None:
    """Return the header meaning of a row, or None when the row holds data.

    ``lenient`` allows longer header cells ("มาตรการหรือกิจกรรมที่ดำเนินการเพื่อ…"),
    for the first row of a table, where a header is expected.
    """
    texts = [clean_text(cell) for cell in cells]
    filled = [i for i, text in enumerate(texts) if text]
    if len(filled) < 2:
        return None
    limit = vocab.MAX_HEADER_LENGTH * (2 if lenient else 1)
    if any(len(squash(texts[i])) > limit for i in filled):
        return None
    # Headers are labels: most cells short.  Data rows have phrases that happen to hold header words.
    if sum(len(squash(texts[i])) <= SHORT_HEADER for i in filled) * 2 < len(filled):
        return None
    if LIST_MARKER.match(texts[filled[0]]) or leading_number(texts[filled[0]])[0]:
        return None
    columns: dict[int, str] = {}
    other = 0
    for i in filled:
        field_name = header_field(texts[i][: vocab.MAX_HEADER_LENGTH] if lenient else texts[i])
        if field_name:
            columns[i] = field_name
        elif _is_other_table_header(texts[i]):
            other += 1
    if len(columns) + other < max(2, (len(filled) + 1) // 2):
        return None
    fields = list(columns.values())
    is_measure = (
        (vocab.FIELD_TITLE in fields or sum(f in _MEASURE_BODY_FIELDS for f in fields) >= 2)
        and any(f in _MEASURE_BODY_FIELDS for f in fields)
        and len(columns) >= max(2, (len(filled) + 1) // 2)
    )
    return HeaderMatch(columns, is_measure, width=filled[-1] + 1)


def _is_other_table_header(text: str) -> bool:
    squashed = squash(to_arabic_digits(text))
    if any(word in squashed for word in vocab.OTHER_TABLE_HEADER_WORDS):
        return True
    for prefix in vocab.YEAR_HEADER_PREFIXES:
        if squashed.startswith(prefix) and re.fullmatch(r"(?:พ\.?ศ\.?)?[0-9]{2,4}", squashed[len(prefix) :]):
            return True
    return False


def dedupe_columns(columns: dict[int, str]) -> dict[int, str]:
    """Keep one title column; a second one holds activities, i.e. steps."""
    seen_title = False
    has_steps = vocab.FIELD_STEPS in columns.values()
    result: dict[int, str] = {}
    for index in sorted(columns):
        field_name = columns[index]
        if field_name == vocab.FIELD_TITLE:
            if seen_title:
                field_name = vocab.FIELD_STEPS if not has_steps else vocab.FIELD_IGNORED
                has_steps = True
            seen_title = True
        result[index] = field_name
    return result


# --- choosing columns by hand -----------------------------------------------------

# Names an administrator may use in ``columns=`` / ``--columns``, with the field each sets.
COLUMN_ROLES: dict[str, str] = {
    "number": vocab.FIELD_NUMBER,
    "no": vocab.FIELD_NUMBER,
    "group": vocab.FIELD_SECTION,
    "section": vocab.FIELD_SECTION,
    "measure": vocab.FIELD_TITLE,
    "title": vocab.FIELD_TITLE,
    "steps": vocab.FIELD_STEPS,
    "unit": vocab.FIELD_RESPONSIBLE,
    "responsible": vocab.FIELD_RESPONSIBLE,
    "period": vocab.FIELD_PERIOD,
    "start": vocab.FIELD_PERIOD_START,
    "end": vocab.FIELD_PERIOD_END,
    "cadence": vocab.FIELD_CADENCE,
    "result": vocab.FIELD_RESULT,
    "results": vocab.FIELD_RESULT,
    "outcome": vocab.FIELD_OUTCOME,
    "indicator": vocab.FIELD_INDICATOR,
    "question": vocab.FIELD_QUESTION,
}
# The CLI name shown for each field, the first name above that sets it.
ROLE_OF_FIELD: dict[str, str] = {}
for _name, _field in COLUMN_ROLES.items():
    ROLE_OF_FIELD.setdefault(_field, _name)


def column_label(field_name: str) -> Message:
    """What a column holds, for a message: the CLI's name in English ("unit"), the picker's label in Thai."""
    return msg(f"column.{field_name}")


def parse_column_choice(text: str | dict[str, int]) -> dict[str, int]:
    """Read "measure=2,unit=3,period=5" (1-based columns) into {"measure": 2, …}; raise PlanImportError."""
    if isinstance(text, dict):
        pairs = list(text.items())
    else:
        pairs = []
        for part in re.split(r"[,;\s]+", text.strip()):
            if not part:
                continue
            name, sep, number = part.partition("=")
            if not sep:
                raise PlanImportError(msg("columns.not_a_pair", part=part))
            pairs.append((name, number))
    choice: dict[str, int] = {}
    for name, number in pairs:
        role = str(name).strip().lower()
        if role not in COLUMN_ROLES:
            fields = sorted(set(COLUMN_ROLES.values()), key=ROLE_OF_FIELD.__getitem__)
            known = joined((column_label(f) for f in fields), ", ", ", ")
            raise PlanImportError(msg("columns.unknown_name", name=name, known=known))
        try:
            column = int(str(number).strip())
        except ValueError:
            raise PlanImportError(msg("columns.not_a_number", role=role, number=number)) from None
        if column < 1:
            raise PlanImportError(msg("columns.from_one", role=role, column=column))
        choice[role] = column
    if not any(COLUMN_ROLES[role] == vocab.FIELD_TITLE for role in choice):
        raise PlanImportError(msg("columns.need_measure"))
    fields = [COLUMN_ROLES[role] for role in choice]
    if len(set(choice.values())) != len(choice) or len(set(fields)) != len(fields):
        raise PlanImportError(msg("columns.twice"))
    return choice


def columns_from_choice(choice: dict[str, int]) -> dict[int, str]:
    """A parsed choice as {0-based column: field}."""
    return {column - 1: COLUMN_ROLES[role] for role, column in choice.items()}


# --- column profiles -----------------------------------------------------------------

_NUMBER_ONLY = re.compile(r"^\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?$")
_SCORE = re.compile(r"^[-+]?[0-9]{1,3}(?:[.,][0-9]{1,4})?\s?%?$")
_GROUP_WORDS = ("ประเด็น", "ตัวชี้วัด", "มิติ", "ด้าน", "หมวด", "ส่วนที่", "องค์ประกอบ")
# Text at least this long (spaces removed) is a phrase, not a label.
LONG_TEXT = 20
# Shares of a column's filled cells that make its kind clear.
CLEAR_SHARE = 0.5
# A column filled on fewer rows than this share, left of the measure column, groups rows.
SPARSE_SHARE = 0.6


@dataclass
class ColumnProfile:
    """What a column's data cells look like, as shares of its filled cells."""

    index: int
    header: str = ""
    filled: float = 0.0
    long_text: float = 0.0
    unit: float = 0.0
    period: float = 0.0
    number: float = 0.0
    score: float = 0.0
    code: float = 0.0
    mean_length: float = 0.0
    sample: str = ""


def _is_unit_cell(text: str) -> bool:
    if len(squash(text)) > 90:
        return False
    units = split_responsible(text)
    return bool(units) and any(
        unit == EVERYONE or unit.startswith(PERSON_PREFIX) or known_unit(unit) is not None for unit in units
    )


def _is_period_cell(text: str) -> bool:
    if len(squash(text)) > 70:
        return False
    if find_month(text) is None and not any(word in text for word in ("ไตรมาส", "ตลอดปี", "ทั้งปี", "รอบ 6", "รอบ ๖")):
        return False
    period = parse_period(text, 2567)
    return period is not None and not period.assumed


def profile_columns(rows: list[list[str]], width: int, headers: list[str] | None = None) -> list[ColumnProfile]:
    """Profile each column of a table's data rows."""
    profiles = []
    total = max(len(rows), 1)
    for index in range(width):
        texts = [clean_text(row[index]) if index < len(row) else "" for row in rows]
        filled = [text for text in texts if text]
        profile = ColumnProfile(index=index, header=(headers[index] if headers and index < len(headers) else ""))
        if filled:
            count = len(filled)
            profile.filled = count / total
            profile.long_text = sum(len(squash(t)) >= LONG_TEXT for t in filled) / count
            profile.unit = sum(_is_unit_cell(t) for t in filled) / count
            profile.period = sum(_is_period_cell(t) for t in filled) / count
            arabic = [to_arabic_digits(squash(t)) for t in filled]
            profile.number = sum(bool(_NUMBER_ONLY.match(t)) for t in arabic) / count
            profile.score = sum(bool(_SCORE.match(t)) for t in arabic) / count
            profile.code = sum(normalize_question_code(t) is not None for t in filled) / count
            profile.mean_length = sum(len(squash(t)) for t in filled) / count
            profile.sample = max(filled[:5], key=len)[:60]
        profiles.append(profile)
    return profiles


# --- readings ---------------------------------------------------------------------------


@dataclass
class TableReading:
    """How one table is read: its header rows, each column's field, and how sure the reading is."""

    table: Table
    header_rows: int
    columns: dict[int, str]
    fill_down: set[int] = field(default_factory=set)
    from_header: bool = True
    score: float = 0.0
    notes: list[Message] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        """The fields this reading finds."""
        return set(self.columns.values())

    def is_plan(self) -> bool:
        """True when the table has a measure column and something to follow up."""
        return vocab.FIELD_TITLE in self.fields and bool(self.fields & _MEASURE_BODY_FIELDS)

    @property
    def width(self) -> int:
        """Columns the header covers (cells past it are misplaced data); the table's width without a header."""
        widths = [
            max((i for i, cell in enumerate(row.cells) if clean_text(cell)), default=-1) + 1
            for row in self.table.rows[: self.header_rows]
        ]
        return max(widths, default=0) or self.table.width

    def describe(self) -> str:
        """The columns as "measure=1, unit=3, period=4" (1-based), for warnings and messages."""
        return ", ".join(
            f"{ROLE_OF_FIELD.get(f, f)}={i + 1}" for i, f in sorted(self.columns.items()) if f != vocab.FIELD_IGNORED
        )


def _cells(table: Table, index: int) -> list[str]:
    return table.rows[index].cells if index < len(table.rows) else []


def header_rows_of(table: Table) -> tuple[int, dict[int, str], list[str]]:
    """(how many rows at the top are headers, their merged fields, the header text per column)."""
    columns: dict[int, str] = {}
    texts: list[str] = [""] * table.width
    count = 0
    for index in range(min(3, len(table.rows))):
        cells = _cells(table, index)
        months = month_columns(cells)
        if len(months) < MIN_MONTH_COLUMNS:
            months = {}
        # Month headers are not header words: judge the row by its other cells.
        header = match_header([("" if i in months else c) for i, c in enumerate(cells)], lenient=index == 0)
        if header is None and count and months:
            # "ต.ค. | พ.ย. | …" under "พ.ศ. 2568 | พ.ศ. 2569": the months of a tick chart.
            header = HeaderMatch({}, False)
        if header is None:
            # A second header row of sub-labels (เริ่ม | สิ้นสุด) has few cells of its own.
            break
        count += 1
        if months:
            for column, tick_months in months.items():
                # "ระยะเวลาดำเนินการ" over the month or quarter columns only labels them.
                if columns.get(column) in (None, vocab.FIELD_PERIOD):
                    columns[column] = vocab.FIELD_MONTH_PREFIX + ",".join(map(str, tick_months))
        for column, name in header.columns.items():
            if name in (vocab.FIELD_PERIOD_START, vocab.FIELD_PERIOD_END) or column not in columns:
                columns[column] = name
        for column, cell in enumerate(cells):
            text = clean_text(cell)
            if text and column < len(texts):
                texts[column] = f"{texts[column]} {text}".strip()
    return count, columns, texts


# A tick chart has a column for each month; fewer month headers are something else.
MIN_MONTH_COLUMNS = 3


def month_columns(cells: list[str]) -> dict[int, tuple[int, ...]]:
    """{column: its months} for the cells of a header row that are just a month's name ("ต.ค.", "มกราคม 69")
    or a quarter ("ไตรมาส 1": October to December)."""
    found: dict[int, tuple[int, ...]] = {}
    for column, cell in enumerate(cells):
        text = clean_text(cell)
        if text and len(squash(text)) <= 14:
            month = find_month(text)
            if month is not None:
                found[column] = (month,)
            elif squash(text).startswith(QUARTER_WORD):
                quarter = parse_period(text, _ANY_FISCAL_YEAR)
                if quarter is not None and not quarter.assumed:
                    found[column] = _months_between(quarter.start, quarter.end)
    return found


# Quarters name the same months in every fiscal year.
_ANY_FISCAL_YEAR = 2568


def _months_between(start: date, end: date) -> tuple[int, ...]:
    months, current = [], start
    while current <= end and len(months) < 12:
        months.append(current.month)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return tuple(months)


def _is_repeated_header(cells: list[str], columns: dict[int, str] | None = None) -> bool:
    header = match_header(cells, lenient=True)
    if header is None or not header.is_measure_table:
        return False
    if columns is None:
        return True
    return sum(columns.get(i) == name for i, name in header.columns.items()) >= 2


def _measure_column(columns: dict[int, str], texts: list[str]) -> int | None:
    titles = sorted(i for i, f in columns.items() if f == vocab.FIELD_TITLE)
    if not titles:
        return None
    # "ประเด็น | มาตรการ": the column that says มาตรการ holds the measures.
    named = [i for i in titles if "มาตรการ" in squash(texts[i] if i < len(texts) else "")]
    return named[0] if named else titles[0]


def _group_header(text: str) -> bool:
    squashed = squash(text)
    return any(squashed.startswith(word) for word in _GROUP_WORDS) and "มาตรการ" not in squashed


def read_columns(table: Table) -> TableReading:
    """Read a table's columns from its header and its data (see the module docstring)."""
    header_count, header_columns, texts = header_rows_of(table)
    data = [row.cells for row in table.rows[header_count:] if not _is_repeated_header(row.cells)]
    profiles = profile_columns(data, table.width, texts)
    columns = dict(header_columns)
    notes: list[Message] = []
    fill_down: set[int] = set()

    if vocab.FIELD_TITLE not in columns.values():
        steps = sorted(i for i, f in columns.items() if f == vocab.FIELD_STEPS)
        approach = [i for i in steps if squash(texts[i] if i < len(texts) else "").startswith(vocab.APPROACH_WORD)]
        if len(steps) >= 2 and approach:
            # "แนวทางการดำเนินการ | ขั้นตอน": the approach column holds the measures, the other their steps.
            columns[approach[0]] = vocab.FIELD_TITLE
            notes.append(msg("table.approach_is_measure", column=approach[0] + 1, header=texts[approach[0]]))
    measure = _measure_column(columns, texts)
    if measure is not None:
        for index, name in list(columns.items()):
            if index < measure and (name in (vocab.FIELD_TITLE, vocab.FIELD_SECTION, vocab.FIELD_INDICATOR)):
                if name == vocab.FIELD_TITLE or _group_header(texts[index]) or profiles[index].filled < SPARSE_SHARE:
                    columns[index] = vocab.FIELD_INDICATOR if "ตัวชี้วัด" in squash(texts[index]) else vocab.FIELD_SECTION
                    fill_down.add(index)
            elif index > measure and name == vocab.FIELD_TITLE:
                columns[index] = vocab.FIELD_STEPS if vocab.FIELD_STEPS not in columns.values() else vocab.FIELD_IGNORED
    # Columns the header leaves unnamed are read from what they hold.
    used = set(columns.values())
    for profile in profiles:
        index = profile.index
        if index in columns or profile.filled == 0:
            continue
        guess = None
        if profile.number >= 0.7 and profile.mean_length <= 6 and vocab.FIELD_NUMBER not in used:
            guess = vocab.FIELD_NUMBER
        elif profile.period >= CLEAR_SHARE and vocab.FIELD_PERIOD not in used:
            guess = vocab.FIELD_PERIOD
        elif profile.unit >= CLEAR_SHARE and vocab.FIELD_RESPONSIBLE not in used:
            guess = vocab.FIELD_RESPONSIBLE
        elif profile.code >= CLEAR_SHARE and vocab.FIELD_QUESTION not in used:
            guess = vocab.FIELD_QUESTION
        elif profile.score >= CLEAR_SHARE:
            guess = vocab.FIELD_IGNORED
        if guess:
            columns[index] = guess
            used.add(guess)
            if header_count:
                notes.append(msg("table.unnamed_column", column=index + 1, role=column_label(guess)))
    if vocab.FIELD_TITLE not in used:
        _guess_text_columns(profiles, columns, fill_down, notes)
    reading = TableReading(table, header_count, columns, fill_down, from_header=header_count > 0, notes=notes)
    reading.score = _score(reading, profiles)
    return reading


def _guess_text_columns(
    profiles: list[ColumnProfile], columns: dict[int, str], fill_down: set[int], notes: list[Message]
) -> None:
    """Name the measure (and steps) columns of a table whose header does not."""
    wordy = [
        p
        for p in profiles
        if p.index not in columns and p.filled > 0 and (p.long_text >= 0.3 or p.mean_length >= 12) and p.score < 0.5
    ]
    if not wordy:
        return
    first = wordy[0]
    if len(wordy) > 1 and first.filled < SPARSE_SHARE and wordy[1].filled >= first.filled + 0.2:
        columns[first.index] = vocab.FIELD_SECTION
        fill_down.add(first.index)
        wordy = wordy[1:]
        notes.append(msg("table.group_column", column=first.index + 1))
    columns[wordy[0].index] = vocab.FIELD_TITLE
    notes.append(msg("table.measure_column", column=wordy[0].index + 1))
    if len(wordy) > 1 and vocab.FIELD_STEPS not in columns.values():
        columns[wordy[1].index] = vocab.FIELD_STEPS
        notes.append(msg("table.steps_column", column=wordy[1].index + 1))


def _score(reading: TableReading, profiles: list[ColumnProfile]) -> float:
    """How sure the reading is: header words count most, data that fits its column adds."""
    score = 0.0
    for index, name in reading.columns.items():
        profile = profiles[index] if index < len(profiles) else ColumnProfile(index)
        if reading.from_header and index in _header_fields(reading):
            score += 2.0
        if name == vocab.FIELD_RESPONSIBLE:
            score += 2.0 * profile.unit
        elif name in (vocab.FIELD_PERIOD, vocab.FIELD_PERIOD_START, vocab.FIELD_PERIOD_END):
            score += 2.0 * profile.period
        elif name == vocab.FIELD_TITLE:
            score += 1.0 * profile.long_text
        elif name in (vocab.FIELD_STEPS, vocab.FIELD_RESULT, vocab.FIELD_OUTCOME):
            score += 0.5 * profile.long_text
    return round(score, 2)


def _header_fields(reading: TableReading) -> set[int]:
    return set(header_rows_of(reading.table)[1]) if reading.header_rows else set()


# --- the document ---------------------------------------------------------------------

# A table whose score is below this is not read without asking.
MIN_HEADERLESS_SCORE = 2.5


def candidates(document: SourceDocument) -> list[TableCandidate]:
    """Every table with words in it, with its columns and the reading guessed for each, for a chooser."""
    found = []
    for table in document.tables():
        if table.width < 2 or len(table.rows) < 2:
            continue
        reading = read_columns(table)
        header_count, _, texts = header_rows_of(table)
        data = [row.cells for row in table.rows[header_count:]]
        profiles = profile_columns(data, table.width, texts)
        scores = any((p.index > 0 and p.score >= CLEAR_SHARE) or "คะแนน" in squash(p.header) for p in profiles)
        if not any(p.long_text > 0 for p in profiles) or scores:
            # Phrases are needed for measures; a column of scores makes it a score table.
            continue
        columns = [
            CandidateColumn(
                number=p.index + 1,
                header=p.header,
                sample=p.sample,
                guess=ROLE_OF_FIELD.get(reading.columns.get(p.index, ""), None),
            )
            for p in profiles
        ]
        found.append(
            TableCandidate(
                number=table.number,
                where=table.rows[0].where,
                rows=len(data),
                columns=columns,
                suggestion=reading.describe(),
            )
        )
    return found


def find_measure_tables(document: SourceDocument) -> list[TableReading]:
    """The readings of every measure table, in order; raise PlanTableChoiceError when unsure."""
    readings: list[TableReading] = []
    previous: TableReading | None = None
    for table in document.tables():
        reading = read_columns(table)
        if not reading.from_header and previous is not None and table.width == previous.table.width:
            # A page of a table whose header was not repeated.
            reading = TableReading(table, 0, dict(previous.columns), set(previous.fill_down), True, previous.score)
            reading.notes = []
        if reading.is_plan() and (reading.from_header or reading.score >= MIN_HEADERLESS_SCORE):
            if not reading.from_header and not reading.fields & {vocab.FIELD_RESPONSIBLE, vocab.FIELD_PERIOD}:
                previous = None
                continue
            readings.append(reading)
            previous = reading
        else:
            previous = None
    if not readings:
        found = candidates(document)
        if found:
            raise PlanTableChoiceError(msg("plan.choose_table"), found)
        raise PlanImportError(msg("plan.no_table"))
    with_units = [r for r in readings if r.fields & {vocab.FIELD_RESPONSIBLE, vocab.FIELD_PERIOD}]
    if with_units and len(with_units) < len(readings):
        # A results table without units beside the plan's table restates the same measures.
        readings = with_units
    return readings


def readings_from_choice(
    document: SourceDocument, columns: dict[int, str], tables: list[int] | None
) -> list[TableReading]:
    """Readings for the tables an administrator chose (all wide enough ones when none are named)."""
    needed = max(columns) + 1
    chosen = []
    for table in document.tables():
        if tables and table.number not in tables:
            continue
        if table.width < needed:
            continue
        header_count = 0
        while header_count < min(3, len(table.rows)) and match_header(_cells(table, header_count), lenient=True):
            header_count += 1
        fill_down = {i for i, f in columns.items() if f in (vocab.FIELD_SECTION, vocab.FIELD_INDICATOR)}
        chosen.append(TableReading(table, header_count, dict(columns), fill_down, True, 0.0))
    if not chosen:
        raise PlanImportError(msg("plan.columns_do_not_fit", needed=needed))
    return chosen


def is_header_row(cells: list[str], columns: dict[int, str]) -> bool:
    """True for the table's header repeated (at the top of a page): it names at least two columns alike."""
    return _is_repeated_header(cells, columns)


def is_numbered(text: str) -> bool:
    """True when text starts with an item number ("๑.", "2)")."""
    return bool(LIST_MARKER.match(text)) or bool(leading_number(text)[0])
