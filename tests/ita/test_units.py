"""Responsible-unit cells: canonical names, roles, lists, everyone, misspellings, people."""

from __future__ import annotations

import pytest

from ita.units import EVERYONE, canonical_unit, is_everyone, known_unit, split_responsible


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("สำนักปลัด", ["สำนักปลัด"]),
        ("กองคลัง", ["กองคลัง"]),
        ("กองช่าง", ["กองช่าง"]),
        ("กองการศึกษา ศาสนาและวัฒนธรรม", ["กองการศึกษา"]),
        ("งานพัสดุ", ["งานพัสดุ"]),
        # A role in parentheses is not part of the unit.
        ("งานงบประมาณ (นักวิเคราะห์)", ["งานงบประมาณ"]),
        ("งานบริหารงานทั่วไป (จพง.ธุรการ)", ["งานบริหารงานทั่วไป"]),
        ("งานการเจ้าหน้าที่ (นักทรัพยากรฯ)", ["งานการเจ้าหน้าที่"]),
        # Wrap spaces inside a unit name.
        ("งานการ เจ้าหน้าที่ (นักทรัพยากรฯ)", ["งานการเจ้าหน้าที่"]),
        ("งานบริหารงาน ทั่วไป (จพง.ธุรการ)", ["งานบริหารงานทั่วไป"]),
        # Several units.
        ("- งานงบประมาณ (นักวิเคราะห์) - งานพัสดุ (นักวิชาการพัสดุ)", ["งานงบประมาณ", "งานพัสดุ"]),
        ("กองคลัง\nกองช่าง", ["กองคลัง", "กองช่าง"]),
        ("สำนักปลัด, กองคลัง", ["สำนักปลัด", "กองคลัง"]),
        ("สำนักปลัด และกองช่าง", ["สำนักปลัด", "กองช่าง"]),
        ("กองคลัง/กองช่าง", ["กองคลัง", "กองช่าง"]),
        ("กองคลัง กองคลัง", ["กองคลัง"]),
        # Aliases and misspellings.
        ("งานนิติกร (นิติกร)", ["งานนิติการ"]),
        ("สำนักงานปลัด", ["สำนักปลัด"]),
        ("งานกรเจ้าหน้าที่ (นักทรัพย์สินฯ)", ["งานการเจ้าหน้าที่"]),
        ("งานแผน/นโยบาย (นักวิเคราะห์)", ["งานนโยบายและแผน"]),
        ("ผู้อำนวยการกองคลัง", ["กองคลัง"]),
        ("<p>สำนักปลัด</p>", ["สำนักปลัด"]),
        # Everyone.
        ("ทุกส่วนราชการ", [EVERYONE]),
        ("ทุกส่วน ราชการ", [EVERYONE]),
        ("เจ้าหน้าที่ทุกภารกิจงาน", [EVERYONE]),
        ("ทุกกอง", [EVERYONE]),
        ("ทุกกอง/สำนัก", [EVERYONE]),
        ("สำนักปลัด และทุกส่วนราชการ", [EVERYONE]),
        # People and positions.
        ("นางสาวสมใจ ใจดี (นักวิเคราะห์นโยบายและแผน)", ["person:สมใจ ใจดี"]),
        ("นายสมชาย รักดี ตำแหน่ง ปลัด อบต.", ["person:สมชาย รักดี"]),
        ("นาย สมชาย รักดี", ["person:สมชาย รักดี"]),
        ("ปลัด อบต.", ["person:ปลัด อบต."]),
        ("นายก อบต.", ["person:นายก อบต."]),
        ("กองคลัง, นางสาวสมใจ ใจดี", ["กองคลัง", "person:สมใจ ใจดี"]),
        # Unknown units are kept as written, cleaned.
        ("ฝ่ายประสานงานพิเศษ (นักจัดการงานทั่วไป)", ["ฝ่ายประสานงานพิเศษ"]),
        ("", []),
        ("  -  ", []),
    ],
)
def test_split_responsible(cell: str, expected: list[str]) -> None:
    assert split_responsible(cell) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("งานนิติกร", "งานนิติการ"),
        ("สำนักงานปลัด", "สำนักปลัด"),
        ("กองคลัง ", "กองคลัง"),
        ("งานกรเจ้าหน้าที่", "งานการเจ้าหน้าที่"),
        ("งานการเจ้าหน้าที่ (นักทรัพยากรฯ)", "งานการเจ้าหน้าที่"),
        ("ทุกส่วน ราชการ", EVERYONE),
        ("ฝ่ายประสานงานพิเศษ", "ฝ่ายประสานงานพิเศษ"),
    ],
)
def test_canonical_unit(name: str, expected: str) -> None:
    assert canonical_unit(name) == expected


def test_known_unit_rejects_distant_names() -> None:
    # Short, different unit names must not be merged by the fuzzy match.
    assert known_unit("กองคลัง") == "กองคลัง"
    assert known_unit("กองช่าง") == "กองช่าง"
    assert known_unit("งานการเงิน") == "งานการเงินและบัญชี"
    assert known_unit("ฝ่ายประสานงานพิเศษ") is None
    assert known_unit("") is None


def test_tax_map_unit_is_not_the_planning_unit() -> None:
    assert split_responsible("งานแผนที่ภาษีและทะเบียนทรัพย์สิน") == ["งานแผนที่ภาษีและทะเบียนทรัพย์สิน"]


def test_is_everyone() -> None:
    assert is_everyone("ทุกหน่วยงาน")
    assert is_everyone("บุคลากรทุกคน")
    assert not is_everyone("สำนักปลัด")
