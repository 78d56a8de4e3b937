"""The measure spreadsheet template: writing it, filling it, reading it back."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ita.plan import PlanImportError, read_plan
from ita.plan_sheet import read_plan_sheet, write_plan_template
from ita.vocab import plan as vocab

HEADERS = [header for _, header, _, _ in vocab.TEMPLATE_COLUMNS]


def _fill(path: Path, rows: list[list[object]], *, org: str | None = None, year: object = None) -> None:
    book = load_workbook(path)
    sheet = book[vocab.TEMPLATE_SHEET]
    if org is not None:
        sheet["B2"] = org
    if year is not None:
        sheet["B3"] = year
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_template_layout(tmp_path: Path) -> None:
    path = write_plan_template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [vocab.TEMPLATE_SHEET, vocab.TEMPLATE_NOTES_SHEET]
    sheet = book[vocab.TEMPLATE_SHEET]
    assert sheet["A2"].value == "ชื่อหน่วยงาน"
    assert sheet["A3"].value == "ปีงบประมาณ (พ.ศ.)"
    assert [cell.value for cell in sheet[5]] == HEADERS
    assert HEADERS[:3] == ["ลำดับ/เลขที่มาตรการ", "หมวด/ส่วน", "มาตรการ/แนวทาง"]
    assert sheet["A6"].value == "ตัวอย่าง"
    assert sheet.freeze_panes == "A6"
    assert sheet.column_dimensions["C"].width >= 40
    notes = book[vocab.TEMPLATE_NOTES_SHEET]
    explained = {row[0] for row in notes.iter_rows(values_only=True) if row[0]}
    assert set(HEADERS) <= explained


def test_blank_template_has_no_measures(tmp_path: Path) -> None:
    path = write_plan_template(tmp_path / "template.xlsx")
    # Only the example row: it is skipped, so there is nothing to import.
    with pytest.raises(PlanImportError, match="no measure rows"):
        read_plan_sheet(path)


def test_round_trip_xlsx(tmp_path: Path) -> None:
    path = write_plan_template(tmp_path / "plan.xlsx")
    _fill(
        path,
        [
            [
                "1",
                "ส่วนที่ 1 มาตรการภายใน",
                "จัดทำคู่มือการปฏิบัติงาน",
                "1. ร่างคู่มือ\n2. เผยแพร่",
                "กองคลัง (งานพัสดุ), สำนักปลัด",
                "ต.ค. 67 - มี.ค. 68",
                "รายไตรมาส",
                "9, 10",
                "o12, ข้อ ๐18",
            ],
            [2, "ส่วนที่ 1 มาตรการภายใน", "ประกาศเจตจำนงสุจริต", None, "ทุกส่วนราชการ", None, None, None, None],
            [None, None, None, "3. ติดตามผล", None, None, None, None, None],
            [
                "1",
                "ส่วนที่ 2 มาตรการภายนอก",
                "เปิดช่องทางร้องเรียนออนไลน์",
                None,
                "นางสาวสมใจ ใจดี",
                datetime(2024, 11, 1),
                "ราย 6 เดือน",
                "ตัวชี้วัดที่ 6",
                "e2",
            ],
        ],
        org="องค์การบริหารส่วนตำบลทดสอบ",
        year=2568,
    )
    doc = read_plan(path)
    assert doc.source_format == "xlsx"
    assert doc.org_name == "องค์การบริหารส่วนตำบลทดสอบ"
    assert doc.fiscal_year_be == 2568
    assert [m.key for m in doc.measures] == ["ส่วนที่1/1", "ส่วนที่1/2", "ส่วนที่2/1"]
    first, second, third = doc.measures
    assert first.title == "จัดทำคู่มือการปฏิบัติงาน"
    assert first.section_path == ["ส่วนที่ 1 มาตรการภายใน"]
    assert first.steps == "1. ร่างคู่มือ\n2. เผยแพร่"
    assert first.responsible_units == ["กองคลัง", "สำนักปลัด"]
    assert (first.period_start, first.period_end, first.period_assumed) == (date(2024, 10, 1), date(2025, 3, 1), False)
    assert first.cadence == "quarterly"
    assert first.indicator_numbers == [9, 10]
    assert first.question_codes == ["o12", "o18"]
    assert first.source_line == 7
    # A row with no number and no title adds to the measure above it.
    assert second.number == "2"
    assert second.steps == "3. ติดตามผล"
    assert second.responsible_units == ["*"]
    assert (second.period_start, second.period_end, second.period_assumed) == (
        date(2024, 10, 1),
        date(2025, 9, 1),
        True,
    )
    assert second.cadence == "monthly"
    # A date typed into the period cell is that month.
    assert (third.period_start, third.period_end) == (date(2024, 11, 1), date(2024, 11, 1))
    assert third.cadence == "six_monthly"
    assert third.responsible_units == ["person:สมใจ ใจดี"]
    assert third.indicator_numbers == [6]
    assert third.question_codes == ["e2"]
    assert doc.units == ["กองคลัง", "สำนักปลัด"]
    assert not any("ตัวอย่าง" in m.title for m in doc.measures)


def test_round_trip_csv(tmp_path: Path) -> None:
    path = write_plan_template(tmp_path / "plan.csv", org_name="เทศบาลตำบลทดลอง", fiscal_year_be=2568)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["๑.", "", "ลดขั้นตอนการขออนุญาต", "", "กองช่าง", "ม.ค. - มี.ค. 68", "", "8", ""])
    doc = read_plan(path)
    assert doc.source_format == "csv"
    assert doc.org_name == "เทศบาลตำบลทดลอง"
    assert doc.fiscal_year_be == 2568
    (measure,) = doc.measures
    assert (measure.key, measure.number, measure.title) == ("1", "1", "ลดขั้นตอนการขออนุญาต")
    assert (measure.period_start, measure.period_end) == (date(2025, 1, 1), date(2025, 3, 1))
    assert measure.indicator_numbers == [8]


def test_reordered_and_missing_columns_in_a_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["แผนปฏิบัติการ อบต.ทางเกวียน ปีงบประมาณ 2568"])
    sheet.append(["ระยะเวลา ดำเนินการ", "ผู้รับผิดชอบ", "โครงการ/กิจกรรม"])
    sheet.append(["ต.ค. 67 - ก.ย. 68", "งานนิติกร", "อบรมประมวลจริยธรรม"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    doc = read_plan(path)
    assert doc.org_name == "องค์การบริหารส่วนตำบลทางเกวียน"
    assert doc.fiscal_year_be == 2568
    (measure,) = doc.measures
    assert measure.title == "อบรมประมวลจริยธรรม"
    assert measure.responsible_units == ["งานนิติการ"]
    assert measure.key == "row"


def test_given_values_override_the_sheet(tmp_path: Path) -> None:
    path = write_plan_template(tmp_path / "plan.xlsx")
    _fill(path, [["1", "", "มาตรการ", "", "กองคลัง", "", "", "", ""]], org="อบต.ก", year="๒๕๖๘")
    assert read_plan(path).fiscal_year_be == 2568
    doc = read_plan(path, org_name="อบต.ข", fiscal_year_be=2569)
    assert (doc.org_name, doc.fiscal_year_be) == ("อบต.ข", 2569)


def test_sheet_without_measure_header(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["ตัวชี้วัด", "คะแนน"])
    book.active.append(["การเปิดเผยข้อมูล", 97.14])
    path = tmp_path / "scores.xlsx"
    book.save(path)
    with pytest.raises(PlanImportError, match="No measure table") as caught:
        read_plan(path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_broken_xlsx(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(PlanImportError, match="could not be opened") as caught:
        read_plan(path)
    assert "\n" not in str(caught.value)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(PlanImportError) as caught:
        read_plan(path)
    assert "\n" not in str(caught.value)
