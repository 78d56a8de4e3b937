"""The year's results report as plain data, and its DOCX, XLSX and CSV writers.

An organisation publishes รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใส
ภายในหน่วยงาน at the end of each fiscal year.  `AnnualReport` holds everything
the report says (gathered from the database by ``models.annual``); the writers
here turn it into the document people publish (DOCX: A4 landscape, TH Sarabun
New, the measure table with its header repeated on every page, the score
comparison, obstacles, the reporter block), a workbook (the same table, every
report version, progress per unit and month) or a CSV of the table.

`write_report` writes any of them atomically (a temporary file renamed into
place), and `docx_text` turns a DOCX back into the TAB-separated text the
plan importer reads, so an exported report imports back into the same
measures.  Nothing here knows about Flask, LINE or the database.
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ita.periods import Period, period_label
from ita.status import STATUS_LABELS, Status
from ita.thai import format_month, format_thai_date, to_thai_digits

FORMATS = ("docx", "xlsx", "csv")

# --- the document's words ------------------------------------------------------

TITLE = "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
TITLE_YEAR = "ประจำปีงบประมาณ พ.ศ. {year}"
PLACE_DISTRICT = "อำเภอ{district}"
PLACE_PROVINCE = "จังหวัด{province}"
INTRO = (
    "{org} ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year} "
    "และได้ติดตามผลการดำเนินการตามมาตรการดังกล่าวจากผู้รับผิดชอบแต่ละหน่วยงานอย่างต่อเนื่อง "
    "จึงขอรายงานผลการดำเนินการ {covered} ดังรายละเอียดต่อไปนี้"
)
INTRO_ORG_UNNAMED = "หน่วยงาน"
COVERED_WHOLE = "ระหว่างวันที่ {start} – {end}"
COVERED_AS_OF = "ตั้งแต่วันที่ {start} ถึงวันที่ {end} (ข้อมูล ณ วันที่ {as_of})"
INTRO_COUNTS = "มาตรการทั้งหมด {total} มาตรการ มีรายงานผลแล้ว {reported} มาตรการ ยังไม่มีรายงานผล {missing} มาตรการ"
MEASURES_HEADING = "ผลการดำเนินการตามมาตรการ"
HEADERS = (
    "มาตรการ/แนวทาง",
    "ขั้นตอน/วิธีการดำเนินการ",
    "หน่วยงานผู้รับผิดชอบ",
    "ระยะเวลาดำเนินการ",
    "สรุปผลการดำเนินการ",
    "ผลลัพธ์/ความสำเร็จ",
)
SECTION_HEADER = "ส่วน"
# How the section column nests headings; the plan importer splits on ">".
SECTION_SEPARATOR = " > "
NO_REPORT = "ยังไม่มีรายงานผล"
NO_OUTCOME = "-"
WHOLE_YEAR = "ตลอดปีงบประมาณ พ.ศ. {year}"
RESULT_ATTRIBUTED = "{body} ({details})"
BULLET = "• "
EVIDENCE_NOTE = "หลักฐาน {count} ไฟล์"
OUTCOME_ATTRIBUTED = "{text} ({officer})"
SCORES_HEADING = "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"
SCORES_COMPARED = "เปรียบเทียบผลคะแนนปี พ.ศ. {previous} กับปี พ.ศ. {current}"
SCORES_ONE_YEAR = "ผลคะแนนปี พ.ศ. {current}"
SCORE_HEADERS = ("ลำดับที่", "ตัวชี้วัด", "ปี {previous}", "ปี {current}", "เปลี่ยนแปลง (คะแนน)")
SCORE_OVERALL = "คะแนนภาพรวม"
SCORE_LEVEL = "ระดับผลการประเมิน"
OBSTACLES_HEADING = "ปัญหา อุปสรรค และข้อเสนอแนะ"
OBSTACLE_LINE = "มาตรการ {ref} {title}: {text} ({officer}, {month})"
NO_OBSTACLES = "ไม่มีรายงานปัญหาหรืออุปสรรคในการดำเนินการ"
REPORTER_LABELS = ("ผู้รายงาน", "ตำแหน่ง", "วันที่")
DOTS = "." * 60
PAGE_LABEL = "หน้า "

SHEET_MEASURES = "ผลการดำเนินการ"
SHEET_VERSIONS = "รายงานทุกฉบับ"
SHEET_PROGRESS = "ความคืบหน้ารายหน่วยงาน"
ORG_LABEL = "ชื่อหน่วยงาน"
PLACE_LABEL = "ที่ตั้ง"
YEAR_LABEL = "ปีงบประมาณ"
COVERED_LABEL = "ช่วงเวลาที่รายงาน"
VERSION_HEADERS = (
    "มาตรการ", "ชื่อมาตรการ", "เจ้าหน้าที่", "หน่วยงาน", "รอบรายงาน", "ฉบับที่", "สถานะ", "ร้อยละ",
    "สรุปผลการดำเนินการ", "ผลลัพธ์/ความสำเร็จ", "ปัญหา/อุปสรรค", "หลักฐาน (ไฟล์)", "บันทึกโดย", "ช่องทาง",
    "เวลาที่บันทึก (เวลาประเทศไทย)",
)
VIA_LABELS = {"chat": "แชท", "shortcut": "พิมพ์คำสั่ง", "import": "นำเข้า"}
PROGRESS_HEADERS = ("หน่วยงาน", "เดือน", "ส่งรายงานแล้ว (มาตรการ)", "ครบกำหนด (มาตรการ)", "ร้อยละ")
PROGRESS_ALL_UNITS = "ทั้งหน่วยงาน"
PROGRESS_NOTE = ("นับเป็นมาตรการต่อรอบรายงาน: มาตรการของหน่วยงานนับครั้งเดียวต่อเดือน ไม่ว่าเจ้าหน้าที่กี่คนรายงาน "
                 "มาตรการที่หลายหน่วยงานรับผิดชอบนับในแต่ละหน่วยงาน แต่นับครั้งเดียวในแถวทั้งหน่วยงาน")
NO_UNIT = "(ไม่ระบุหน่วยงาน)"

# --- the document's look ------------------------------------------------------

FONT = "TH Sarabun New"
BODY_PT = 16
TABLE_PT = 14
TITLE_PT = 20
# A4 landscape with 2 cm margins leaves 25.7 cm for the table.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 29.7, 21.0
MARGIN_CM = 2.0
MEASURE_WIDTHS_CM = (4.5, 4.8, 3.1, 3.2, 5.2, 4.9)
# Where the header cells break into lines in the document (the words stay the same).
DOCX_HEADERS = (
    "มาตรการ/แนวทาง",
    "ขั้นตอน/\nวิธีการดำเนินการ",
    "หน่วยงาน\nผู้รับผิดชอบ",
    "ระยะเวลา\nดำเนินการ",
    "สรุปผลการดำเนินการ",
    "ผลลัพธ์/\nความสำเร็จ",
)
# A row estimated at no more than this many lines is kept on one page; a longer
# one may break, since Word hides whatever of an unbreakable row passes the page.
# An unbreakable row that misses the page leaves its own height empty above it:
# 8 lines (14 pt Thai takes about 24 pt a line) were 40% of the 17 cm text area,
# and reports of short chat answers, where most rows are that short, had pages
# half empty. 4 lines keep it to about a fifth of a page.
KEEP_ROW_LINES = 4
# Space above a heading that follows a table. An empty 16 pt paragraph there
# took a whole line (about 1 cm with Thai line heights) at the foot of the page,
# which is often what made the next section's heading, header row and first
# line miss the page and leave its last quarter empty.
BLOCK_GAP_PT = 8
# Roughly how many characters of 14 pt Thai fit in one centimetre of a cell.
CHARS_PER_CM = 2.8
SCORE_WIDTHS_CM = (2.0, 8.0, 3.0, 3.0, 3.6)
# The score table may break across pages, but never leaves fewer than this many
# rows with its heading nor carries fewer over. Chaining all of its dozen-odd rows
# made it one block of about 80% of a page (Thai lines are about 24 pt tall at
# 14 pt), which left the page before it up to that empty.
SCORE_KEEP_ROWS = 3
HEADER_FILL = "D9E2F3"
XLSX_MEASURE_WIDTHS = (24, 40, 48, 22, 20, 55, 42)
XLSX_VERSION_WIDTHS = (9, 36, 22, 18, 14, 8, 20, 8, 50, 40, 40, 10, 22, 12, 20)


# --- plain data ---------------------------------------------------------------


@dataclass(frozen=True)
class OfficerResult:
    """One officer's latest report on a measure within the period covered."""

    officer: str
    period: date
    version: int
    status: str
    percent: int | None = None
    summary: str = ""
    outcome: str = ""
    obstacles: str = ""
    evidence: int = 0
    unit: str | None = None


@dataclass
class MeasureResult:
    """A measure of the plan and what its officers last reported on it."""

    ref: str
    key: str
    number: str
    title: str
    section_path: list[str] = field(default_factory=list)
    steps: str = ""
    responsible: str = ""
    period_start: date | None = None
    period_end: date | None = None
    period_assumed: bool = False
    imported_result: str = ""
    imported_outcome: str = ""
    results: list[OfficerResult] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        """Whether anyone reported on it, in chat or in an imported report."""
        return bool(self.results or self.imported_result.strip())


@dataclass(frozen=True)
class VersionRecord:
    """One saved version of one report, for the workbook's every-version sheet."""

    measure_ref: str
    measure_title: str
    officer: str
    unit: str | None
    period: date
    version: int
    status: str
    percent: int | None
    summary: str
    outcome: str
    obstacles: str
    evidence: int
    reported_by: str
    via: str
    created_at: datetime  # timezone-aware


@dataclass(frozen=True)
class UnitMonth:
    month: date
    reported: int
    due: int


@dataclass
class UnitProgress:
    unit: str
    months: list[UnitMonth]


@dataclass(frozen=True)
class ScoreLine:
    number: int
    name: str
    previous: float | None
    current: float | None

    @property
    def change(self) -> float | None:
        """The point difference (never a percentage), or None when a year is missing."""
        if self.previous is None or self.current is None:
            return None
        return round(self.current - self.previous, 2)


@dataclass
class ScoreComparison:
    current_year: int
    previous_year: int | None
    lines: list[ScoreLine]
    overall: ScoreLine
    current_level: str | None = None
    previous_level: str | None = None


@dataclass(frozen=True)
class Obstacle:
    measure_ref: str
    measure_title: str
    text: str
    officer: str
    period: date


@dataclass(frozen=True)
class Reporter:
    """Who signs the report; blank fields are printed as dotted lines."""

    name: str = ""
    position: str = ""
    day: date | None = None


@dataclass
class AnnualReport:
    """Everything one organisation's results report for one fiscal year says."""

    org_name: str
    fiscal_year: int
    covered_start: date
    covered_end: date
    as_of: date | None = None
    district: str | None = None
    province: str | None = None
    measures: list[MeasureResult] = field(default_factory=list)
    versions: list[VersionRecord] = field(default_factory=list)
    progress: list[UnitProgress] = field(default_factory=list)
    # The whole organisation per month, in measure-periods (a measure shared by units counts once).
    progress_total: list[UnitMonth] = field(default_factory=list)
    scores: ScoreComparison | None = None
    obstacles: list[Obstacle] = field(default_factory=list)
    reporter: Reporter = field(default_factory=Reporter)
    timezone: str = "Asia/Bangkok"

    @property
    def reported_count(self) -> int:
        return sum(1 for m in self.measures if m.reported)


# --- words shared by every format ----------------------------------------------------


def status_text(status: str, percent: int | None) -> str:
    """The status in Thai with its percentage ("อยู่ระหว่างดำเนินการ 60%"), or the label alone."""
    try:
        label = STATUS_LABELS[Status(status)]
    except ValueError:
        label = status
    if percent is not None and status != Status.NOT_STARTED.value:
        label += f" {percent}%"
    return label


def title_cell(measure: MeasureResult) -> str:
    """The measure's number and title as the document writes them: "1. การ…"."""
    return f"{measure.number}. {measure.title}" if measure.number else measure.title


def period_cell(measure: MeasureResult, fiscal_year_be: int) -> str:
    """The period as months ("ต.ค. 2568 – ก.ย. 2569"), or the whole fiscal year when the plan gave none."""
    if measure.period_assumed or not (measure.period_start and measure.period_end):
        return WHOLE_YEAR.format(year=fiscal_year_be)
    start, end = sorted((measure.period_start, measure.period_end))
    return period_label(Period(start.replace(day=1), end.replace(day=1)))


def result_lines(measure: MeasureResult) -> list[str]:
    """What was done: one line per officer, each attributed; the no-report marker when nothing."""
    if not measure.results:
        imported = [line for line in measure.imported_result.splitlines() if line.strip()]
        return imported or [NO_REPORT]
    lines = []
    for result in measure.results:
        details = [status_text(result.status, result.percent), result.officer,
                   format_month(result.period, abbr=True)]
        if result.evidence:
            details.append(EVIDENCE_NOTE.format(count=result.evidence))
        body = " ".join(result.summary.split()) or details.pop(0)
        lines.append(RESULT_ATTRIBUTED.format(body=body, details=", ".join(details)))
    return [BULLET + line for line in lines] if len(lines) > 1 else lines


def outcome_lines(measure: MeasureResult) -> list[str]:
    """The outcome column: each officer's outcome, attributed when several officers reported."""
    if not measure.results:
        imported = [line for line in measure.imported_outcome.splitlines() if line.strip()]
        return imported or [NO_OUTCOME]
    several = len({r.officer for r in measure.results}) > 1
    lines = []
    for result in measure.results:
        text = " ".join(result.outcome.split())
        if text:
            lines.append(OUTCOME_ATTRIBUTED.format(text=text, officer=result.officer) if several else text)
    if len(lines) > 1:
        lines = [BULLET + line for line in lines]
    return lines or [NO_OUTCOME]


def covered_text(report: AnnualReport) -> str:
    start = format_thai_date(report.covered_start)
    end = format_thai_date(report.covered_end)
    if report.as_of is not None:
        return COVERED_AS_OF.format(start=start, end=end, as_of=format_thai_date(report.as_of))
    return COVERED_WHOLE.format(start=start, end=end)


def place_text(report: AnnualReport) -> str:
    parts = []
    if report.district:
        parts.append(PLACE_DISTRICT.format(district=report.district))
    if report.province:
        parts.append(PLACE_PROVINCE.format(province=report.province))
    return " ".join(parts)


def measure_row(measure: MeasureResult, fiscal_year_be: int) -> list[str]:
    """A measure's six cells (multi-line cells joined by new lines)."""
    return [title_cell(measure), measure.steps.strip(), measure.responsible.strip(),
            period_cell(measure, fiscal_year_be), "\n".join(result_lines(measure)),
            "\n".join(outcome_lines(measure))]


def format_score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_change(value: float | None) -> str:
    """A signed point difference ("+6.71", "-2.86", "0.00"), never a percentage."""
    if value is None:
        return "-"
    if abs(value) < 0.005:
        return "0.00"
    return f"{value:+.2f}"


def obstacle_line(obstacle: Obstacle) -> str:
    return OBSTACLE_LINE.format(ref=obstacle.measure_ref, title=obstacle.measure_title,
                                text=" ".join(obstacle.text.split()), officer=obstacle.officer,
                                month=format_month(obstacle.period, abbr=True))


def _digits(thai_digits: bool) -> Callable[[str], str]:
    return to_thai_digits if thai_digits else (lambda text: text)


def _sections(measures: Iterable[MeasureResult]) -> list[tuple[list[str], list[MeasureResult]]]:
    """Consecutive measures sharing a section path, in plan order."""
    groups: list[tuple[list[str], list[MeasureResult]]] = []
    for measure in measures:
        if groups and groups[-1][0] == measure.section_path:
            groups[-1][1].append(measure)
        else:
            groups.append((list(measure.section_path), [measure]))
    return groups


# --- DOCX --------------------------------------------------------------------------


def write_docx(report: AnnualReport, path: str | Path, *, thai_digits: bool = False) -> None:
    """Write the report as the Word document organisations publish."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    t = _digits(thai_digits)
    document = Document()
    _set_default_font(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.header_distance = section.footer_distance = Cm(1.0)
    _page_number_footer(section, thai_digits)

    def paragraph(text: str = "", *, bold: bool = False, size: int = BODY_PT, align=None, space_before: float = 0,
                  space_after: float = 0, indent_cm: float = 0, first_line_cm: float = 0):
        para = document.add_paragraph()
        if text:
            _run(para, t(text), bold=bold, size=size)
        if align is not None:
            para.alignment = align
        para.paragraph_format.space_after = Pt(space_after)
        if space_before:
            para.paragraph_format.space_before = Pt(space_before)
        if indent_cm:
            para.paragraph_format.left_indent = Cm(indent_cm)
        if first_line_cm:
            para.paragraph_format.first_line_indent = Cm(first_line_cm)
        return para

    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(TITLE, bold=True, size=TITLE_PT, align=center)
    paragraph(TITLE_YEAR.format(year=report.fiscal_year), bold=True, size=TITLE_PT, align=center)
    paragraph(report.org_name, bold=True, size=TITLE_PT - 2, align=center)
    place = place_text(report)
    if place:
        paragraph(place, bold=True, size=TITLE_PT - 2, align=center)
    paragraph()
    intro = INTRO.format(org=report.org_name or INTRO_ORG_UNNAMED, year=report.fiscal_year,
                         covered=covered_text(report))
    paragraph(intro, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_cm=2.5)
    missing = len(report.measures) - report.reported_count
    paragraph(INTRO_COUNTS.format(total=len(report.measures), reported=report.reported_count, missing=missing),
              first_line_cm=2.5, space_after=6)

    paragraph(MEASURES_HEADING, bold=True, space_after=4).paragraph_format.keep_with_next = True
    shown: list[str] = []
    tables = 0
    for section_path, measures in _sections(report.measures):
        common = 0
        while common < min(len(shown), len(section_path)) and shown[common] == section_path[common]:
            common += 1
        headings = section_path[common:]
        if tables and not headings:
            # Back in an outer section with no heading to repeat: Word would join two adjacent tables.
            paragraph()
        for index, heading in enumerate(headings):
            gap = BLOCK_GAP_PT if tables and index == 0 else 0
            paragraph(heading, bold=True, space_before=gap, space_after=2).paragraph_format.keep_with_next = True
        shown = section_path
        _measure_table(document, report, measures, t)
        tables += 1

    if report.scores is not None:
        _score_section(report.scores, paragraph, document, t)

    paragraph(OBSTACLES_HEADING, bold=True, space_before=BLOCK_GAP_PT,
              space_after=2).paragraph_format.keep_with_next = True
    if report.obstacles:
        for obstacle in report.obstacles:
            last = paragraph(BULLET + obstacle_line(obstacle), indent_cm=1.2, first_line_cm=-0.4)
    else:
        last = paragraph(NO_OBSTACLES, indent_cm=0.8)
    # The signature block never stands alone on the last page.
    last.paragraph_format.keep_with_next = True
    paragraph().paragraph_format.keep_with_next = True

    reporter = report.reporter
    values = (reporter.name, reporter.position,
              format_thai_date(reporter.day, abbr=False) if reporter.day else "")
    for index, (label, value) in enumerate(zip(REPORTER_LABELS, values)):
        para = paragraph(f"{label} {value or DOTS}", indent_cm=15.0, space_after=4)
        para.paragraph_format.keep_with_next = index < len(REPORTER_LABELS) - 1
    document.core_properties.title = f"{TITLE} {TITLE_YEAR.format(year=report.fiscal_year)}"
    document.core_properties.author = "Tidtam"
    document.core_properties.language = "th-TH"
    document.save(str(path))


def _measure_table(document, report: AnnualReport, measures: list[MeasureResult], t: Callable[[str], str]) -> None:
    table = _table(document, DOCX_HEADERS, MEASURE_WIDTHS_CM, t)
    for measure in measures:
        row = table.add_row()
        cells = measure_row(measure, report.fiscal_year)
        cells[3] = _glue_period(cells[3])
        for index, (cell, text) in enumerate(zip(row.cells, cells)):
            muted = index == 4 and not measure.reported
            _fill_cell(cell, t(text), italic=muted)
        _set_cell_widths(row, MEASURE_WIDTHS_CM)
        if _estimated_lines(cells, MEASURE_WIDTHS_CM) <= KEEP_ROW_LINES:
            _keep_row_together(row)


_YEAR_AFTER_SPACE = re.compile(r" (?=[0-9๐-๙]{4})")


def _glue_period(text: str) -> str:
    """Keep "ต.ค. 2568 –" and "ก.ย. 2569" whole, so the cell breaks only after the dash."""
    return _YEAR_AFTER_SPACE.sub("\u00a0", text).replace(" –", "\u00a0–")


def _estimated_lines(cells: list[str], widths: tuple[float, ...]) -> int:
    """A rough count of the lines the tallest cell takes (Thai marks above and below take no width)."""
    tallest = 0
    for text, width in zip(cells, widths):
        per_line = max(1, int((width - 0.4) * CHARS_PER_CM))
        lines = 0
        for line in text.split("\n") or [""]:
            advancing = sum(1 for ch in line if not unicodedata.combining(ch)
                            and unicodedata.category(ch) not in ("Mn", "Me", "Cf"))
            lines += max(1, -(-advancing // per_line))
        tallest = max(tallest, lines)
    return tallest


def _keep_row_together(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _score_section(scores: ScoreComparison, paragraph, document, t: Callable[[str], str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph(SCORES_HEADING, bold=True, space_before=BLOCK_GAP_PT, space_after=0).paragraph_format.keep_with_next = True
    if scores.previous_year is not None:
        subtitle = SCORES_COMPARED.format(previous=scores.previous_year, current=scores.current_year)
    else:
        subtitle = SCORES_ONE_YEAR.format(current=scores.current_year)
    paragraph(subtitle, space_after=4).paragraph_format.keep_with_next = True
    previous = scores.previous_year if scores.previous_year is not None else "-"
    headers = [h.format(previous=previous, current=scores.current_year) for h in SCORE_HEADERS]
    table = _table(document, headers, SCORE_WIDTHS_CM, t)
    rows = [([str(line.number) if line.number else "", line.name, format_score(line.previous),
              format_score(line.current), format_change(line.change)], line is scores.overall)
            for line in [*scores.lines, scores.overall]]
    if scores.current_level or scores.previous_level:
        rows.append((["", SCORE_LEVEL, scores.previous_level or "-", scores.current_level or "-", ""], True))
    for number, (values, bold) in enumerate(rows, start=1):
        row = table.add_row()
        # Keep-with-next on a row's paragraphs keeps the row with the next one.
        keep = number < SCORE_KEEP_ROWS or len(rows) - SCORE_KEEP_ROWS < number < len(rows)
        for index, (cell, value) in enumerate(zip(row.cells, values)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _fill_cell(cell, t(value), bold=bold, align=align)
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = keep
        _set_cell_widths(row, SCORE_WIDTHS_CM)
        _keep_row_together(row)


def _table(document, headers: Iterable[str], widths: tuple[float, ...], t: Callable[[str], str]):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    headers = list(headers)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_grid(table, widths)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    # Word and LibreOffice repeat a row marked tblHeader at the top of every page.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    no_split = OxmlElement("w:cantSplit")
    no_split.set(qn("w:val"), "true")
    tr_pr.append(no_split)
    for cell, text in zip(header.cells, headers):
        _fill_cell(cell, t(text), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, HEADER_FILL)
        for para in cell.paragraphs:
            para.paragraph_format.keep_with_next = True
    _set_cell_widths(header, widths)
    return table


def _set_grid(table, widths: tuple[float, ...]) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Cm

    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        from docx.oxml import OxmlElement

        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")


def _set_cell_widths(row, widths: tuple[float, ...]) -> None:
    from docx.shared import Cm

    for cell, width in zip(row.cells, widths):
        cell.width = Cm(width)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _fill_cell(cell, text: str, *, bold: bool = False, italic: bool = False, align=None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Pt

    lines = [line for line in text.split("\n") if line.strip()] or [""]
    for index, line in enumerate(lines):
        para = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        para.paragraph_format.space_after = Pt(0)
        if align is not None:
            para.alignment = align
        if line:
            _run(para, line, bold=bold, italic=italic, size=TABLE_PT)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: int = BODY_PT):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    _font_properties(run._r.get_or_add_rPr(), size, bold=bold, italic=italic)
    return run


def _font_properties(r_pr, size: int, *, bold: bool = False, italic: bool = False) -> None:
    """Name the font for every script and size the complex-script (Thai) text too.

    Word draws Thai with the complex-script font and size (w:cs, w:szCs,
    w:bCs); python-docx only sets the Latin ones, so Thai would fall back to
    the theme font at 11 pt.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for tag, wanted in (("w:bCs", bold), ("w:iCs", italic)):
        if wanted and r_pr.find(qn(tag)) is None:
            _insert_in_order(r_pr, OxmlElement(tag))
    if r_pr.find(qn("w:szCs")) is None:
        _insert_in_order(r_pr, OxmlElement("w:szCs"))
    r_pr.find(qn("w:szCs")).set(qn("w:val"), str(size * 2))
    if r_pr.find(qn("w:sz")) is None:
        _insert_in_order(r_pr, OxmlElement("w:sz"))
    r_pr.find(qn("w:sz")).set(qn("w:val"), str(size * 2))


# The schema order of w:rPr children (Word is strict about it).
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def _insert_in_order(r_pr, element) -> None:
    wanted = _RPR_ORDER.index(element.tag.split("}")[1])
    for index, child in enumerate(list(r_pr)):
        name = child.tag.split("}")[1]
        if name in _RPR_ORDER and _RPR_ORDER.index(name) > wanted:
            r_pr.insert(index, element)
            return
    r_pr.append(element)


def _set_default_font(document) -> None:
    """TH Sarabun New 16 pt for the whole document, Thai as the complex-script language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            _font_properties(r_pr, BODY_PT)
    for name in ("Normal", "Table Grid", "Header", "Footer"):
        style = document.styles[name]
        r_pr = style.element.get_or_add_rPr()
        _font_properties(r_pr, BODY_PT)
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            _insert_in_order(r_pr, lang)
        lang.set(qn("w:val"), "th-TH")
        lang.set(qn("w:bidi"), "th-TH")
    normal = document.styles["Normal"].paragraph_format
    normal.space_after = Pt(0)
    normal.line_spacing = 1.0


def _page_number_footer(section, thai_digits: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(para, PAGE_LABEL, size=TABLE_PT)
    field_run = _run(para, "", size=TABLE_PT)
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), "PAGE")
    simple.append(field_run._r)
    para._p.append(simple)
    if thai_digits:
        # The section's page number format, which Word and LibreOffice both honour
        # (a field switch such as \* ThaiArabic comes out as Thai letters in LibreOffice).
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:fmt"), "thaiNumbers")
        section._sectPr.append(numbering)


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def docx_text(path: str | Path) -> str:
    """The document as the text exports the plan importer reads.

    Paragraphs become lines followed by a blank line; each table row becomes
    one line of cells joined by TABs (a cell's paragraphs joined by spaces,
    merged cells once); a blank line follows each table.
    """
    from docx import Document
    from docx.table import Table

    document = Document(str(path))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen: list[object] = []
                cells = []
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.append(cell._tc)
                    cells.append(" ".join(_plain(p.text) for p in cell.paragraphs if p.text.strip()))
                lines.append("\t".join(cells))
            lines.append("")
        else:
            text = _plain(block.text)
            if text:
                lines += [text, ""]
    return "\n".join(lines).strip() + "\n"


# --- XLSX -----------------------------------------------------------------------------


def _label_rows(report: AnnualReport, t: Callable[[str], str]) -> list[list[str]]:
    """The title and labelled cells above the table (the plan template's layout)."""
    rows = [[t(f"{TITLE} {TITLE_YEAR.format(year=report.fiscal_year)}")], [ORG_LABEL, report.org_name]]
    if place_text(report):
        rows.append([PLACE_LABEL, place_text(report)])
    return [*rows, [YEAR_LABEL, t(str(report.fiscal_year))], [COVERED_LABEL, t(covered_text(report))], []]


def table_rows(report: AnnualReport, thai_digits: bool = False) -> list[list[str]]:
    """The spreadsheet and CSV table: a section column, then the document's six columns."""
    t = _digits(thai_digits)
    rows = [[SECTION_HEADER, *HEADERS]]
    for measure in report.measures:
        cells = [SECTION_SEPARATOR.join(measure.section_path), *measure_row(measure, report.fiscal_year)]
        rows.append([t(value) for value in cells])
    return rows


def write_xlsx(report: AnnualReport, path: str | Path, *, thai_digits: bool = False) -> None:
    """Write the workbook: the measure table, every report version, progress per unit and month."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    t = _digits(thai_digits)
    thin = Side(style="thin", color="999999")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_align = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def style_header(sheet, row: int, width: int) -> None:
        for column in range(1, width + 1):
            cell = sheet.cell(row, column)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = header_align
            cell.border = border

    def widths(sheet, values: Iterable[int]) -> None:
        for column, width in enumerate(values, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_MEASURES
    labels = _label_rows(report, t)
    for row in labels:
        sheet.append(row)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    for row in range(2, len(labels)):
        sheet.cell(row, 1).font = Font(bold=True)
    header_row = len(labels) + 1
    table = table_rows(report, thai_digits)
    for row in table:
        sheet.append(row)
    style_header(sheet, header_row, len(table[0]))
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row):
        for cell in row:
            cell.alignment = wrap
            cell.border = border
    for index, measure in enumerate(report.measures, start=header_row + 1):
        if not measure.reported:
            sheet.cell(index, 6).font = Font(italic=True, color="C00000")
    widths(sheet, XLSX_MEASURE_WIDTHS)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table[0]))}{sheet.max_row}"

    versions = book.create_sheet(SHEET_VERSIONS)
    versions.append(list(VERSION_HEADERS))
    style_header(versions, 1, len(VERSION_HEADERS))
    zone = ZoneInfo(report.timezone)
    for record in report.versions:
        local = record.created_at.astimezone(zone)
        # Buddhist-era text like the rest of the report: Excel cannot show a BE year in a date cell portably.
        saved_at = t(f"{format_thai_date(local.date())} {local:%H:%M}")
        versions.append([
            t(record.measure_ref), t(record.measure_title), record.officer, record.unit or "",
            t(format_month(record.period, abbr=True)), record.version,
            status_text(record.status, None),
            record.percent, t(record.summary), t(record.outcome), t(record.obstacles), record.evidence,
            record.reported_by, VIA_LABELS.get(record.via, record.via), saved_at,
        ])
    for row in versions.iter_rows(min_row=2, max_row=versions.max_row):
        for cell in row:
            cell.alignment = wrap
    widths(versions, XLSX_VERSION_WIDTHS)
    versions.freeze_panes = "C2"
    if report.versions:
        versions.auto_filter.ref = f"A1:{get_column_letter(len(VERSION_HEADERS))}{versions.max_row}"

    progress = book.create_sheet(SHEET_PROGRESS)
    progress.append(list(PROGRESS_HEADERS))
    style_header(progress, 1, len(PROGRESS_HEADERS))
    # One row per unit and month with plain numbers, so Excel can sum, filter and pivot them.
    rows = [(unit.unit, unit.months) for unit in report.progress]
    if report.progress_total:
        rows.append((PROGRESS_ALL_UNITS, report.progress_total))
    for name, months in rows:
        for month in months:
            progress.append([name, t(format_month(month.month, abbr=True)), month.reported, month.due,
                             month.reported / month.due if month.due else None])
            progress.cell(progress.max_row, 5).number_format = "0%"
            if name == PROGRESS_ALL_UNITS:
                for cell in progress[progress.max_row]:
                    cell.font = Font(bold=True)
    progress.append([])
    progress.append([PROGRESS_NOTE])
    widths(progress, [30, 12, 14, 14, 10])
    progress.freeze_panes = "A2"
    if report.progress:
        progress.auto_filter.ref = f"A1:E{progress.max_row - 2}"
    book.save(str(path))


# --- CSV --------------------------------------------------------------------------------


def write_csv(report: AnnualReport, path: str | Path, *, thai_digits: bool = False) -> None:
    """Write the measure table as CSV in UTF-8 with a BOM, so Excel in a Thai locale reads it right."""
    t = _digits(thai_digits)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(_label_rows(report, t))
        writer.writerows(table_rows(report, thai_digits))


# --- writing safely ------------------------------------------------------------------------

WRITERS: dict[str, Callable[..., None]] = {"docx": write_docx, "xlsx": write_xlsx, "csv": write_csv}


def write_report(report: AnnualReport, path: str | Path, fmt: str, *, thai_digits: bool = False) -> Path:
    """Write the report in a format, atomically: a failure never leaves half a file behind."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    try:
        WRITERS[fmt](report, temporary, thai_digits=thai_digits)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
