"""Staff lists as offices keep them in Excel."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from ita.staff import read_staff


def test_a_phone_typed_as_a_number_gets_back_its_leading_zero(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ชื่อ-สกุล", "ตำแหน่ง", "โทรศัพท์"])
    sheet.append(["นางสาววิภา ศรีสุข", "นักจัดการงานทั่วไป", 861112222])
    sheet.append(["นายวิชัย แสงทอง", "นักวิชาการพัสดุ", 74123456])
    sheet.append(["นางมาลี ทองดี", "ผู้อำนวยการกองคลัง", "1111"])
    book.save(tmp_path / "staff.xlsx")
    staff, _ = read_staff(tmp_path / "staff.xlsx")
    assert [row.phone for row in staff] == ["0861112222", "074123456", "1111"]
