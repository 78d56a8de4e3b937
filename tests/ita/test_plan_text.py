"""Text plans and reports: the three seed documents, synthetic layouts and bad files."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.plan import PlanDocument, PlanImportError, PlanMeasure, read_plan
from ita.plan_text import clean_text, fix_wrap_spaces, header_field, match_header, parse_plan_text

OCT_66, DEC_66, OCT_67 = date(2023, 10, 1), date(2023, 12, 1), date(2024, 10, 1)
SEP_67 = date(2024, 9, 1)
MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|&[a-z]+;|&#\d+;|\*\*|##")


def _by_key(doc: PlanDocument) -> dict[str, PlanMeasure]:
    return {measure.key: measure for measure in doc.measures}


def _text_fields(measure: PlanMeasure) -> list[str]:
    return [
        *measure.section_path,
        measure.title,
        measure.steps,
        measure.responsible_text,
        measure.period_text,
        measure.result_text,
        measure.outcome_text,
    ]


def _assert_clean(doc: PlanDocument) -> None:
    for measure in doc.measures:
        for text in _text_fields(measure):
            assert not MARKUP.search(text), (measure.key, text)
            assert text == text.strip()
            assert "  " not in text


# --- seed 000: a results report with sections, continuations and HTML ------------


def _doc(*lines: str, **kwargs) -> PlanDocument:
    return parse_plan_text("\n".join(lines), **kwargs)


def test_reordered_reworded_and_missing_columns() -> None:
    doc = _doc(
        "แผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส เทศบาลตำบลบ้านใหม่ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
        "",
        "ที่\tผู้รับผิดชอบ\tโครงการ/กิจกรรม\tห้วงเวลา",
        "๑\tกองช่าง\tตรวจสอบการใช้รถยนต์ส่วนกลาง\tม.ค. - มี.ค. ๖๘",
        "๒\tสำนักปลัด\tประชาสัมพันธ์ช่องทางร้องเรียน\t",
    )
    assert doc.org_name == "เทศบาลตำบลบ้านใหม่"
    assert doc.fiscal_year_be == 2568
    first, second = doc.measures
    assert (first.number, first.title, first.responsible_units) == ("1", "ตรวจสอบการใช้รถยนต์ส่วนกลาง", ["กองช่าง"])
    assert (first.period_start, first.period_end) == (date(2025, 1, 1), date(2025, 3, 1))
    assert first.steps == first.result_text == first.outcome_text == ""
    # An empty period is the whole fiscal year, and the admin is told on which line.
    assert (second.period_start, second.period_end, second.period_assumed) == (
        date(2024, 10, 1),
        date(2025, 9, 1),
        True,
    )
    assert any(w.line == 5 and "No period" in w.message for w in doc.warnings)


def test_header_with_wrap_spaces_and_extra_columns() -> None:
    doc = _doc(
        "มาตรการ\tวิธีการ ดำเนินการ\tงบประมาณ\tหน่วยงาน ผู้รับ ผิดชอบ\tระยะเวลา ดำเนินการ\tหมายเหตุ",
        "1. จัดอบรมจริยธรรม\t1. ขออนุมัติ 2. จัดอบรม\t20,000\tงานการเจ้าหน้าที่\tต.ค. 67 - ธ.ค. 67\t-",
        fiscal_year_be=2568,
    )
    (measure,) = doc.measures
    assert measure.title == "จัดอบรมจริยธรรม"
    assert measure.steps == "1. ขออนุมัติ\n2. จัดอบรม"
    assert measure.responsible_units == ["งานการเจ้าหน้าที่"]
    assert measure.period_start == date(2024, 10, 1)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("มาตรการ/แนวทาง", "title"),
        ("ขั้นตอน/วิธีการดำเนินการ", "steps"),
        ("วิธีดำเนินการ", "steps"),
        ("ขั้นตอน/วิธีการปฏิบัติ", "steps"),
        ("หน่วยงาน ผู้รับผิดชอบ", "responsible"),
        ("ระยะเวลา ดำเนินการ", "period"),
        ("สรุปผลการดำเนินการ", "result"),
        ("ผลลัพธ์/ความสำเร็จ", "outcome"),
        ("ผลลัพธ์หรือความสำเร็จ ของการดำเนินการ", "outcome"),
        ("ตัวชี้วัดที่เกี่ยวข้อง", "indicator"),
        ("ข้อคำถาม", "question"),
        ("ลำดับที่", "number"),
        ("ที่", "number"),
        ("ผู้รับผิดขอบ", "responsible"),  # a typo
        ("**ระยะเวลาดำเนินการ**", "period"),
        ("ปี ๒๕๖๖", None),
    ],
)
def test_header_field(header: str, field: str | None) -> None:
    assert header_field(header) == field


def test_score_table_header_is_not_a_measure_table() -> None:
    header = match_header(["ลำดับที่", "รายละเอียดตัวชี้วัด", "ปี ๒๕๖๖", "ปี ๒๕๖๗", "เปลี่ยนแปลง"])
    assert header is not None and not header.is_measure_table
    assert match_header(["๑. การเสริมสร้าง", "ขั้นตอนการทำงาน", "สำนักปลัด"]) is None


def test_plan_keyed_to_indicators_and_questions() -> None:
    doc = _doc(
        "มาตรการส่งเสริมคุณธรรม อบต.หนองบัว ปีงบประมาณ 2568",
        "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล",
        "มาตรการ\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ\tข้อคำถาม",
        "1. เผยแพร่แผนการจัดซื้อจัดจ้าง\tงานพัสดุ\tต.ค.67 - ก.ย.68\tข้อ ๐18, O19",
        "ตัวชี้วัดที่ 10 การป้องกันการทุจริต",
        "1. ประกาศเจตจำนงสุจริต (o21) รายไตรมาส\tนายก อบต.\tตุลาคม 2567\t",
    )
    assert doc.org_name == "องค์การบริหารส่วนตำบลหนองบัว"
    first, second = doc.measures
    assert first.key == "ตัวชี้วัดที่9/1"
    assert first.indicator_numbers == [9]
    assert first.question_codes == ["o18", "o19"]
    assert second.key == "ตัวชี้วัดที่10/1"
    assert second.indicator_numbers == [10]
    assert second.question_codes == ["o21"]
    assert second.cadence == "quarterly"
    assert second.responsible_units == ["person:นายก อบต."]
    assert (second.period_start, second.period_end) == (date(2024, 10, 1), date(2024, 10, 1))


def test_indicator_column() -> None:
    doc = _doc(
        "มาตรการ\tผู้รับผิดชอบ\tตัวชี้วัด\tความถี่การรายงาน",
        "ก. จัดทำคู่มือ\tกองคลัง\t9, 10\tราย 6 เดือน",
        "ข. ลดขั้นตอน\tกองคลัง\tการปรับปรุงการทำงาน\tทุกวันจันทร์",
        fiscal_year_be=2568,
    )
    first, second = doc.measures
    assert first.number == "" and first.title == "ก. จัดทำคู่มือ"
    assert first.indicator_numbers == [9, 10]
    assert first.cadence == "six_monthly"
    assert second.indicator_numbers == [8]
    assert second.cadence == "monthly"
    assert any("ทุกวันจันทร์" in w.message for w in doc.warnings)
    # Unnumbered measures in one section are told apart by order.
    assert [m.key for m in doc.measures] == ["row", "row#2"]


def test_numbers_restart_in_sections_and_continuation_across_pages() -> None:
    doc = _doc(
        "ส่วนที่ 1 ภายใน",
        "1.1 การใช้อำนาจ",
        "มาตรการ/แนวทาง\tขั้นตอน\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ",
        "1. มาตรการแรก\t1. ขั้นแรก\tสำนักปลัด\tต.ค. 67 - ก.ย. 68",
        "",
        "- 2 -",
        "มาตรการ/แนวทาง\tขั้นตอน\tผู้รับผิดชอบ\tระยะเวลา ดำเนินการ",
        "\t2. ขั้นที่สอง\tกองคลัง\t",
        "1.2 การใช้ทรัพย์สิน",
        "1. มาตรการที่สาม\t1. ขั้นเดียว\tกองช่าง\t",
        "ส่วนที่ 2 ภายนอก",
        "มาตรการ/แนวทาง\tขั้นตอน\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ",
        "1. มาตรการที่สี่\t\tกองคลัง\tต.ค. 67",
        fiscal_year_be=2568,
    )
    assert [m.key for m in doc.measures] == ["ส่วนที่1/1.1/1", "ส่วนที่1/1.2/1", "ส่วนที่2/1"]
    first = doc.measures[0]
    assert first.steps == "1. ขั้นแรก\n2. ขั้นที่สอง"
    assert first.responsible_units == ["สำนักปลัด", "กองคลัง"]
    assert doc.measures[2].section_path == ["ส่วนที่ 2 ภายนอก"]


def test_markdown_pipe_table_and_html_entities() -> None:
    doc = _doc(
        "## แผนมาตรการ เทศบาลเมืองทดลอง ประจำปีงบประมาณ 2568",
        "| มาตรการ | ผู้รับผิดชอบ | ระยะเวลาดำเนินการ |",
        "|---|---|---|",
        "| **1. ป้องกัน &amp; ปราบปราม** | <p>กองคลัง</p> | ต.ค. 67 - ก.ย. 68 |",
    )
    (measure,) = doc.measures
    assert doc.org_name == "เทศบาลเมืองทดลอง"
    assert doc.title == "แผนมาตรการ เทศบาลเมืองทดลอง ประจำปีงบประมาณ 2568"
    assert measure.title == "ป้องกัน & ปราบปราม"
    assert measure.responsible_units == ["กองคลัง"]


def test_unknown_unit_and_missing_title_are_warned() -> None:
    doc = _doc(
        "มาตรการ\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ\tขั้นตอน",
        "1. จัดทำแผน\tฝ่ายประสานงานพิเศษ\tต.ค. 67 - ธ.ค. 67\t",
        "2\tกองคลัง\tต.ค. 67\tจัดซื้อ",
        fiscal_year_be=2568,
    )
    messages = {(w.line, w.message) for w in doc.warnings}
    assert any(line == 2 and "ฝ่ายประสานงานพิเศษ" in m for line, m in messages)
    # "2" alone in the title column: a number without a title is warned about and never stored,
    # since an empty measure cannot be followed up.
    assert [m.title for m in doc.measures] == ["จัดทำแผน"]
    assert doc.units == ["ฝ่ายประสานงานพิเศษ"]
    assert any(line == 3 and "no measure title; not imported" in m for line, m in messages)


def test_fiscal_year_guessed_from_periods() -> None:
    doc = _doc(
        "มาตรการ\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ",
        "1. หนึ่ง\tกองคลัง\tตุลาคม 2567 - กันยายน 2568",
        "2. สอง\tกองคลัง\tมกราคม 2568",
    )
    assert doc.fiscal_year_be == 2568
    assert any("guessed 2568" in w.message for w in doc.warnings)


def test_cells_past_the_header_are_reported() -> None:
    doc = _doc(
        "มาตรการ\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ",
        "1. จัดทำแผน\tกองคลัง\tต.ค. 67\tหลงคอลัมน์",
        fiscal_year_be=2568,
    )
    assert any(w.line == 2 and "หลงคอลัมน์" in w.message for w in doc.warnings)


def test_clean_text() -> None:
    assert clean_text('<ol style="list-style-type: none"> <li>1. หนึ่ง</li> <li>2. สอง') == "1. หนึ่ง 2. สอง"
    assert clean_text("<p>๑. หนึ่ง</p> <p>๒. สอง</p>", multiline=True) == "๑. หนึ่ง\n๒. สอง"
    assert clean_text("๑. หนึ่ง ได้ ๘๙.๐๗ คะแนน ๒. สอง", multiline=True) == "๑. หนึ่ง ได้ ๘๙.๐๗ คะแนน\n๒. สอง"
    assert clean_text("- ก - ข", multiline=True) == "- ก\n- ข"
    assert clean_text("Q&amp;A &lt;b&gt;x&lt;/b&gt;") == "Q&A x"
    assert clean_text("**ตัวหนา** ## หัวข้อ") == "ตัวหนา ## หัวข้อ"
    assert clean_text("## หัวข้อ") == "หัวข้อ"
    assert clean_text(None) == ""


def test_fix_wrap_spaces() -> None:
    assert fix_wrap_spaces("ทุกส่วน ราชการ") == "ทุกส่วนราชการ"
    assert fix_wrap_spaces("มาตรการยกระดับผล การประเมิน") == "มาตรการยกระดับผลการประเมิน"
    assert fix_wrap_spaces("ผู้รับผิด ชอบ") == "ผู้รับผิดชอบ"
    # Real spaces between phrases stay.
    assert fix_wrap_spaces("บางคา มีการรับรู้") == "บางคา มีการรับรู้"
    assert fix_wrap_spaces("เช่น เว็บไซต์ เฟสบุ๊ค") == "เช่น เว็บไซต์ เฟสบุ๊ค"
    assert fix_wrap_spaces("ปีงบประมาณ พ.ศ. ๒๕๖๗") == "ปีงบประมาณ พ.ศ. ๒๕๖๗"
    assert fix_wrap_spaces("ต่าง ๆ") == "ต่าง ๆ"


# --- files that cannot be used ------------------------------------------------------


def _one_line_error(path: Path) -> str:
    with pytest.raises(PlanImportError) as caught:
        read_plan(path)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


def test_binary_garbage_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(bytes(range(256)) * 8)
    assert "not readable text" in _one_line_error(path)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"")
    assert "empty" in _one_line_error(path)
    path.write_text("  \n\n ", encoding="utf-8")
    assert "empty" in _one_line_error(path)


def test_text_without_a_measure_table_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "scores.txt"
    path.write_text(
        "ผลคะแนน ITA\nลำดับที่\tรายละเอียดตัวชี้วัด\tปี ๒๕๖๖\tปี ๒๕๖๗\n๑\tการปฏิบัติหน้าที่\t๑๐๐.๐๐\t๙๙.๐๐\n",
        encoding="utf-8",
    )
    assert "No measure table" in _one_line_error(path)


def test_header_without_rows_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text("มาตรการ\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ\n", encoding="utf-8")
    assert "no measure rows" in _one_line_error(path)


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    assert "not found" in _one_line_error(tmp_path / "nope.txt")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    assert ".pdf" in _one_line_error(pdf)


@pytest.mark.parametrize("encoding", ["cp874", "utf-16", "utf-8-sig"])
def test_thai_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "plan.txt"
    text = "มาตรการ\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ\n๑. จัดทำคู่มือ\tกองคลัง\tต.ค. ๖๗ - ก.ย. ๖๘\n"
    path.write_bytes(text.encode(encoding))
    doc = read_plan(path)
    assert doc.measures[0].title == "จัดทำคู่มือ"
    assert doc.fiscal_year_be == 2568


_PIECES = st.sampled_from(
    [
        "\t",
        "\n",
        "|",
        " - ",
        "<p>",
        "</li>",
        "&amp;",
        "๑. ",
        "1.2 ",
        "ส่วนที่ ๑ ",
        "มาตรการ",
        "ผู้รับผิดชอบ",
        "ระยะเวลาดำเนินการ",
        "ต.ค. ๖๖ - ก.ย. ๖๗",
        "ทุกส่วน ราชการ",
        "อบต.",
        "องค์การบริหารส่วนตำบล",
        "ข้อ o12",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=60).map("".join)))
def test_parse_plan_text_only_raises_plan_import_error(text: str) -> None:
    try:
        doc = parse_plan_text(text)
    except PlanImportError as error:
        assert "\n" not in str(error)
        return
    assert doc.measures
    for measure in doc.measures:
        assert measure.key
