"""How the year's report DOCX lets pages fill: what its document.xml asks Word and LibreOffice to keep together.

Rendering is not needed (CI may have no LibreOffice): each test reads the
property of the generated document that decided where pages broke.
`scripts/render_report.sh` shows the rendered result and how full each page is.
"""
from __future__ import annotations

from datetime import date

from docx import Document
from docx.oxml.ns import qn

from ita.annual_report import AnnualReport, MeasureResult, ScoreComparison, ScoreLine, write_docx

SECTION_ONE = ["ส่วนที่ ๑ มาตรการสำหรับผู้มีส่วนได้ส่วนเสียภายใน", "๑.๑ กระบวนการปฏิบัติงานที่โปร่งใส"]
SECTION_TWO = ["ส่วนที่ ๑ มาตรการสำหรับผู้มีส่วนได้ส่วนเสียภายใน", "๑.๒ กระบวนการควบคุมการใช้อำนาจ"]
SECTION_THREE = ["ส่วนที่ ๒ มาตรการสำหรับผู้มีส่วนได้ส่วนเสียภายนอก"]


def measure(number: int, section: list[str], steps: str = "๑. จัดทำประกาศ") -> MeasureResult:
    return MeasureResult(ref=str(number), key=str(number), number=str(number), title="เปิดเผยข้อมูลบนเว็บไซต์",
                         section_path=section, steps=steps, responsible="กองคลัง",
                         period_start=date(2023, 10, 1), period_end=date(2024, 9, 1))


def report_of(measures: list[MeasureResult], **kw) -> AnnualReport:
    return AnnualReport(org_name="องค์การบริหารส่วนตำบลทดสอบ", fiscal_year=2567, covered_start=date(2023, 10, 1),
                        covered_end=date(2024, 9, 30), measures=measures, **kw)


def body_of(report: AnnualReport, tmp_path):
    path = tmp_path / "report.docx"
    write_docx(report, path)
    return Document(str(path)).element.body


def text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()


def keeps_with_next(row) -> bool:
    """Whether Word keeps this row on the page of the next one (keep-with-next on its paragraphs)."""
    marks = [p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") for p in row.iter(qn("w:p"))]
    return all(m is not None and m.get(qn("w:val"), "true") not in ("0", "false") for m in marks)


def space_before_pt(paragraph) -> float:
    spacing = paragraph.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    value = spacing.get(qn("w:before")) if spacing is not None else None
    return int(value) / 20 if value else 0.0


def test_no_empty_paragraph_after_a_table_the_next_heading_has_space_before_it(tmp_path):
    # An empty 16 pt paragraph after each table was a full line (about 1 cm of Thai
    # line height) that the next section's heading, header row and first line then
    # missed at the foot of the page: in the seed report three pages ended a fifth
    # to a quarter empty. The gap is now spacing above the heading that follows.
    measures = [measure(1, SECTION_ONE), measure(2, SECTION_ONE), measure(3, SECTION_TWO), measure(4, SECTION_THREE)]
    body = body_of(report_of(measures), tmp_path)
    tables = body.findall(qn("w:tbl"))
    assert len(tables) == 3
    for table in tables:
        following = table.getnext()
        assert following.tag == qn("w:p"), "two tables side by side would merge into one"
        assert text(following), "an empty paragraph after a table only pushes the next block down the page"
        assert space_before_pt(following) > 0


def test_tables_stay_apart_when_the_plan_goes_back_to_an_outer_section(tmp_path):
    # Measures under "ส่วนที่ ๒", then under "ส่วนที่ ๒ > ๒.๑", then directly under "ส่วนที่ ๒" again:
    # no heading comes between the last two tables, so a paragraph must.
    outer, inner = SECTION_THREE, [*SECTION_THREE, "๒.๑ ช่องทางการประชาสัมพันธ์"]
    body = body_of(report_of([measure(1, outer), measure(2, inner), measure(3, outer)]), tmp_path)
    tables = body.findall(qn("w:tbl"))
    assert len(tables) == 3
    assert all(table.getnext().tag == qn("w:p") for table in tables)


def scores() -> ScoreComparison:
    lines = [ScoreLine(n, f"ตัวชี้วัดที่ {n}", 90.0 + n / 2, 91.0 + n / 2) for n in range(1, 11)]
    return ScoreComparison(current_year=2567, previous_year=2566, lines=lines,
                           overall=ScoreLine(0, "คะแนนภาพรวม", 94.0, 95.0), current_level="ผ่านดี",
                           previous_level="ผ่าน")


def test_the_score_table_may_break_between_its_middle_rows(tmp_path):
    # Chaining every row of the score table to the next made its 13 rows, header and
    # headings one block of about 80% of a page, which left the page before it up to
    # that empty (the seed report: page 17 at 50%). Its first rows stay with the
    # heading and its last rows together, and it may break anywhere between.
    body = body_of(report_of([measure(1, SECTION_ONE)], scores=scores()), tmp_path)
    score_table = body.findall(qn("w:tbl"))[-1]
    header, *rows = score_table.findall(qn("w:tr"))
    assert len(rows) == 12
    assert keeps_with_next(header) and keeps_with_next(rows[0])
    assert keeps_with_next(rows[-2]) and not keeps_with_next(rows[-1])
    assert not all(keeps_with_next(row) for row in rows[:-1]), "the whole table moves as one block"
    assert not any(keeps_with_next(row) for row in rows[4:-4])


def cant_split(row) -> bool:
    return row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


def test_only_short_rows_are_unbreakable(tmp_path):
    # An unbreakable row that misses the page leaves its height empty at the foot of
    # the page. Rows of up to 8 estimated lines (40% of a page) were kept whole, and
    # reports of short chat answers, where most rows are 5 to 8 lines, had pages
    # half empty. A row of six short steps may now break; a two-line row may not.
    six_steps = "\n".join(f"{n}. ขั้นตอนที่ {n}" for n in range(1, 7))
    body = body_of(report_of([measure(1, SECTION_ONE, steps=six_steps), measure(2, SECTION_ONE)]), tmp_path)
    header, long_row, short_row = body.find(qn("w:tbl")).findall(qn("w:tr"))
    assert cant_split(header)
    assert not cant_split(long_row)
    assert cant_split(short_row)
