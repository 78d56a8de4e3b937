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

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_000 = SEEDS / "000_c84f88c0b3f4683f.txt"
SEED_001 = SEEDS / "001_60047c3f0ac86c0d.txt"
SEED_003 = SEEDS / "003_fe1388dee97c2248.txt"

OCT_66, DEC_66, OCT_67 = date(2023, 10, 1), date(2023, 12, 1), date(2024, 10, 1)
SEP_67 = date(2024, 9, 1)
MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|&[a-z]+;|&#\d+;|\*\*|##")


def _seed(path: Path) -> PlanDocument:
    if not path.exists():
        pytest.skip(f"seed document {path} is not available (expected ../shared/seeds next to the repo)")
    return read_plan(path)


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


def test_seed_000_document() -> None:
    doc = _seed(SEED_000)
    assert doc.source_format == "text"
    assert doc.org_name == "องค์การบริหารส่วนตำบลเขาชัยสน"
    assert doc.fiscal_year_be == 2567
    assert doc.district == "เขาชัยสน"
    assert doc.province == "พัทลุง"
    assert doc.title == ("รายงานผลการดำเนินการ เพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปี พ.ศ. ๒๕๖๗")
    assert len(doc.measures) == 20
    per_section = {}
    for measure in doc.measures:
        per_section[measure.section_path[-1].split()[0]] = per_section.get(measure.section_path[-1].split()[0], 0) + 1
    assert per_section == {"๑.๑": 5, "๑.๒": 4, "๑.๓": 1, "๑.๔": 2, "๒.๑": 1, "๒.๒": 2, "๒.๓": 2, "๓.๑": 3}
    assert doc.units == [
        "งานงบประมาณ",
        "งานบริหารงานทั่วไป",
        "งานนิติการ",
        "งานการเจ้าหน้าที่",
        "งานพัสดุ",
        "งานนโยบายและแผน",
    ]
    _assert_clean(doc)


def test_seed_000_warns_about_the_name_spelt_two_ways() -> None:
    doc = _seed(SEED_000)
    messages = [w.message for w in doc.warnings]
    assert any("เขาชัยสน" in m and "เขาย้ายสน" in m and "spelt 2 ways" in m for m in messages)
    assert any(m.startswith("District 'เขาย้ายสน'") for m in messages)
    # Nothing else is guessed: every unit is known and every period read.
    assert not any("Unknown responsible unit" in m or "No period" in m for m in messages)


def test_seed_000_first_and_last_measures() -> None:
    doc = _seed(SEED_000)
    first, last = doc.measures[0], doc.measures[-1]
    assert first.key == "ส่วนที่1/1.1/1"
    assert first.section_path == [
        "ส่วนที่ ๑ มาตรการสำหรับผู้มีส่วนได้ส่วนเสียภายใน",
        "๑.๑ กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ",
    ]
    assert first.number == "1"
    assert first.title == "การเสริมสร้างความเข้าใจแก่เจ้าหน้าที่ในหน่วยงานและมีส่วนร่วมในกระบวนการงบประมาณ"
    assert first.steps == (
        "๑. จัดทำคำสั่งแต่งตั้งเจ้าหน้าที่เข้ามีส่วนร่วมในกระบวนการงบประมาณ\n๒. จัดประชุมพนักงานส่วนตำบลและลูกจ้างเพื่อสร้างความเข้าใจ"
    )
    assert first.responsible_text == "งานงบประมาณ (นักวิเคราะห์)"
    assert first.responsible_units == ["งานงบประมาณ"]
    assert (first.period_start, first.period_end, first.period_assumed) == (OCT_66, DEC_66, False)
    assert first.cadence == "monthly"
    assert first.result_text.startswith("๑. มีคำสั่งเจ้าหน้าที่เป็นคณะทำงาน")
    assert first.outcome_text.splitlines()[1].startswith("๒. ผลการประเมินปี ๒๕๖๗ ตัวชี้วัดการใช้งบประมาณ")
    assert first.source_line == 21

    assert last.key == "ส่วนที่3/3.1/3"
    assert last.section_path[0] == "ส่วนที่ ๓ มาตรการการเปิดเผยข้อมูลในเว็บไซต์ อบต."
    assert last.title == "การรายงานผลมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert last.responsible_units == ["งานนิติการ"]  # written งานนิติกร
    # "ตุลาคม - ธันวาคม ๖๗" runs past fiscal 2567: kept, with a warning on its line.
    assert (last.period_start, last.period_end) == (OCT_67, date(2024, 12, 1))
    assert any(w.line == 89 and "ตุลาคม - ธันวาคม ๖๗" in w.message for w in doc.warnings)


def test_seed_000_continuation_rows_are_merged() -> None:
    measures = _by_key(_seed(SEED_000))
    second = measures["ส่วนที่1/1.1/2"]
    assert second.steps.splitlines() == [
        "๑. จัดโครงการอบรมทักษะการสื่อสารและสร้างความตระหนัก การปฏิบัติงานและการให้บริการที่เป็นเลิศ",
        "๒. ทำระบบการประเมินความพึงพอใจการให้บริการของเจ้าหน้าที่ต่อประชาชนผู้มารับบริการ",
    ]
    assert "ปี ๒๕๖๗ ได้ ๙๑.๐๗ คะแนน" in second.outcome_text
    fourth = measures["ส่วนที่1/1.1/4"]
    assert len(fourth.outcome_text.splitlines()) == 3
    assert fourth.outcome_text.splitlines()[2].startswith("๓. ผลการประเมินปี ๒๕๖๗ ตัวชี้วัดการปรับปรุงการทำงาน")
    confidence = measures["ส่วนที่1/1.4/1"]
    assert confidence.outcome_text.splitlines()[1].startswith("๒. ผลการประเมินปี ๒๕๖๗ ตัวชี้วัดการแก้ไขปัญหาการทุจริต")


def test_seed_000_tricky_rows() -> None:
    measures = _by_key(_seed(SEED_000))
    # "๒ การดำเนินการ…": a number without a dot, in a <p> cell.
    selection = measures["ส่วนที่1/1.2/2"]
    assert selection.number == "2"
    assert selection.title == (
        "การดำเนินการมาตรการคัดเลือกผู้เข้ารับการฝึกอบรม การศึกษาดูงาน "
        "หรือการให้ทุนการศึกษาอย่างเป็นทางการและเป็นธรรม และครอบคลุมทุกภารกิจงาน"
    )
    assert selection.section_path[-1] == "๑.๒ กระบวนการควบคุม ตรวจสอบการใช้อำนาจและการบริหารงานบุคคล"
    policy = measures["ส่วนที่1/1.2/1"]
    assert policy.outcome_text.splitlines()[-2:] == ["- ปี ๒๕๖๗ ได้ ๘๙.๐๗ คะแนน", "- ปี ๒๕๖๖ ได้ ๘๐.๖๘ คะแนน"]
    assert measures["ส่วนที่1/1.2/3"].period_start == date(2024, 1, 1)
    assert measures["ส่วนที่1/1.2/3"].period_end == date(2024, 3, 1)
    # Misspelt, wrapped and listed units.
    assert measures["ส่วนที่1/1.3/1"].responsible_units == ["งานการเจ้าหน้าที่"]
    assert measures["ส่วนที่1/1.4/2"].responsible_units == ["งานการเจ้าหน้าที่"]
    assert measures["ส่วนที่1/1.4/2"].title == "การเสริมสร้างมาตรฐานทางจริยธรรม"
    assert measures["ส่วนที่2/2.2/2"].responsible_units == ["งานบริหารงานทั่วไป"]
    assert measures["ส่วนที่2/2.3/1"].responsible_units == ["งานงบประมาณ", "งานพัสดุ"]
    assert measures["ส่วนที่2/2.3/2"].responsible_units == ["งานนโยบายและแผน"]
    assert measures["ส่วนที่1/1.1/5"].responsible_units == ["*"]
    # Every six months, said in the title.
    assert measures["ส่วนที่3/3.1/1"].cadence == "six_monthly"
    assert measures["ส่วนที่3/3.1/2"].cadence == "monthly"
    assert measures["ส่วนที่3/3.1/2"].period_start == DEC_66


def test_seed_000_keys_are_stable() -> None:
    doc = _seed(SEED_000)
    again = read_plan(SEED_000)
    assert [m.key for m in doc.measures] == [m.key for m in again.measures]
    assert len({m.key for m in doc.measures}) == len(doc.measures)


# --- seed 001: reordered columns, markdown title, a score table after the measures --


def test_seed_001_document() -> None:
    doc = _seed(SEED_001)
    assert doc.fiscal_year_be == 2567  # the title's year, not 2566 from the first paragraph
    assert doc.title == (
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสขององค์การบริหารส่วนตำบลม่วงหมู่ ประจำปีงบประมาณ พ.ศ.๒๕๖๗"
    )
    # Spelt ม่วงหมู ×7, ม่วงหมุ่ ×4 and ม่วงหมู่ ×3 (the title's); the most frequent wins,
    # and the warning lists all three so the admin can pass org_name.
    assert doc.org_name == "องค์การบริหารส่วนตำบลม่วงหมู"
    warning = next(w.message for w in doc.warnings if "spelt" in w.message)
    assert all(name in warning for name in ("'ม่วงหมู'", "'ม่วงหมุ่'", "'ม่วงหมู่'"))
    assert (doc.district, doc.province) == (None, None)
    assert [m.key for m in doc.measures] == ["1", "2", "3", "4", "5", "6"]
    assert all(m.section_path == [] for m in doc.measures)
    assert doc.units == ["สำนักปลัด"]
    _assert_clean(doc)


def test_seed_001_measures() -> None:
    doc = _seed(SEED_001)
    first, second, *_, last = doc.measures
    assert first.title == "มาตรการยกระดับผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ.๒๕๖๗"
    assert len(first.steps.splitlines()) == 5
    assert first.steps.startswith("๑.ศึกษาคู่มือการประเมิน ITA")
    assert first.responsible_units == ["สำนักปลัด"]
    assert second.title == "มาตรการการปฏิบัติงานหรือการให้บริการ"
    assert second.responsible_text == "ทุกส่วนราชการ"
    assert second.responsible_units == ["*"]
    # <ul> with dash items: one item a line.
    assert second.steps.splitlines()[0] == (
        "- จัดให้มีการปรับปรุงคุณภาพการให้บริการ ให้สอดคล้องกับสถานการณ์การเปลี่ยนแปลงในปัจจุบันและอนาคต"
    )
    assert len(second.steps.splitlines()) == 4
    assert second.outcome_text.splitlines()[0] == "คะแนนด้าน EIT"
    assert doc.measures[3].title == "มาตรการการปรับปรุงการทำงาน"
    assert last.title == "มาตรการการการป้องกันการทุจริต"
    assert last.responsible_units == ["สำนักปลัด"]
    for measure in doc.measures:
        assert (measure.period_start, measure.period_end) == (OCT_66, SEP_67)
        assert measure.period_text == "ต.ค.๖๖- ก.ย.๖๗"


def test_seed_001_score_table_is_not_measures() -> None:
    doc = _seed(SEED_001)
    titles = [m.title for m in doc.measures]
    assert "การปฏิบัติหน้าที่" not in titles
    assert all(m.source_line <= 20 for m in doc.measures)


# --- seed 003: <ol>/<li>, &amp;, a number used twice ----------------------------------


def test_seed_003_document() -> None:
    doc = _seed(SEED_003)
    assert doc.org_name == "องค์การบริหารส่วนตำบลบางคา"
    assert doc.fiscal_year_be == 2567
    assert doc.title == (
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใส ขององค์การบริหารส่วนตำบลบางคา ประจำปีงบประมาณ พ.ศ. 2567"
    )
    assert [m.key for m in doc.measures] == ["1", "2", "3", "3#2", "4"]
    assert [w.line for w in doc.warnings] == [17]
    assert "used again" in doc.warnings[0].message
    assert doc.units == ["สำนักปลัด", "กองคลัง"]
    _assert_clean(doc)


def test_seed_003_measures() -> None:
    measures = _by_key(_seed(SEED_003))
    first = measures["1"]
    assert first.title == "จัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน/มาตรฐานการให้บริการ"
    assert first.responsible_units == ["*"]
    assert (first.period_start, first.period_end) == (OCT_66, date(2024, 3, 1))
    website = measures["2"]
    assert website.title == "เปิดเผยข้อมูลพื้นฐานต่อสาธารณะผ่านเว็บไซต์หลักของหน่วยงาน"
    assert website.responsible_text == "สำนักปลัด"
    assert (website.period_start, website.period_end) == (OCT_66, SEP_67)
    assert len(website.steps.splitlines()) == 5
    assert "(Q&A)" in website.result_text
    assert measures["3"].period_end == date(2024, 2, 1)
    again = measures["3#2"]
    assert again.title == measures["3"].title
    assert again.steps.splitlines()[0] == "จัดประชุมชี้แจงแผนการใช้จ่ายงบประมาณประจำปี แผนดำเนินงานให้บุคลากรภายในหน่วยงานทราบ"
    assert len(again.result_text.splitlines()) == 5
    assert measures["4"].title == "กำหนดแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของทางราชการที่ถูกต้อง"
    assert measures["4"].responsible_units == ["กองคลัง"]


# --- synthetic documents: the family, not the three files -------------------------------


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
    assert doc.units == ["ฝ่ายประสานงานพิเศษ", "กองคลัง"]
    # "2" alone in the title column: a number without a title.
    assert doc.measures[1].number == "2" and doc.measures[1].title == ""
    assert any(line == 3 and "no measure title" in m for line, m in messages)


def test_fiscal_year_guessed_from_periods() -> None:
    doc = _doc(
        "มาตรการ\tผู้รับผิดชอบ\tระยะเวลาดำเนินการ",
        "1. หนึ่ง\tกองคลัง\tตุลาคม 2567 - กันยายน 2568",
        "2. สอง\tกองคลัง\tมกราคม 2568",
    )
    assert doc.fiscal_year_be == 2568
    assert any("guessed 2568" in w.message for w in doc.warnings)


def test_given_org_name_and_year_win() -> None:
    _seed(SEED_001)  # skips when the seeds are missing
    doc = read_plan(SEED_001, org_name="องค์การบริหารส่วนตำบลม่วงหมู่", fiscal_year_be=2568)
    assert doc.org_name == "องค์การบริหารส่วนตำบลม่วงหมู่"
    assert doc.fiscal_year_be == 2568
    assert not any("spelt" in w.message for w in doc.warnings)
    with pytest.raises(PlanImportError, match="not a fiscal year"):
        read_plan(SEED_001, fiscal_year_be=-5)


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
