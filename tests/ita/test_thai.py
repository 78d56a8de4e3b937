"""Tests for ita.thai: normalisation, digits, years, months, fiscal years and dates."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.thai import (
    be_to_ce,
    ce_to_be,
    expand_be_year,
    find_month,
    fiscal_months,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_bounds,
    format_month,
    format_thai_date,
    month_name,
    normalize_text,
    parse_thai_date,
    to_arabic_digits,
    to_thai_digits,
)

# Dates whose BE year has four digits and is at least 2400, the range the parsers read back.
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2400, 12, 31))
thai_text = st.text(
    alphabet=st.sampled_from(list("กขคงจดตนมรลวสอะาำิีึืุู่้๊๋็์ํเแโใไ ๐๑๒๓๔๕๖๗๘๙0123456789\u200b\u00a0\n")),
    max_size=40,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  ดำเนินการ   แล้ว  ", "ดำเนินการ แล้ว"),
        ("ดำเนิน\u200bการ\u200c\u200d\ufeff\u2060แล้ว", "ดำเนินการแล้ว"),
        ("กอง\u00a0คลัง\n\tงานพัสดุ", "กอง คลัง งานพัสดุ"),
        ("ดํา", "ดำ"),  # nikhahit + sara aa, as PDF exports write sara am
        ("เเล้ว", "แล้ว"),  # two sara e typed for sara ae
        ("e\u0301", "\u00e9"),  # NFC
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@given(st.one_of(thai_text, st.text(max_size=40)))
@settings(max_examples=300, deadline=None)
def test_normalize_text_is_idempotent(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once
    assert "  " not in once and once == once.strip()


def test_digits() -> None:
    assert to_arabic_digits("ปี ๒๕๖๗ ได้ ๙๑.๐๗") == "ปี 2567 ได้ 91.07"
    assert to_thai_digits("1 พ.ย. 2567") == "๑ พ.ย. ๒๕๖๗"
    assert to_arabic_digits("o12 abc") == "o12 abc"


@given(st.text())
def test_digit_round_trips(s: str) -> None:
    assert to_arabic_digits(to_thai_digits(s)) == to_arabic_digits(s)
    assert to_thai_digits(to_arabic_digits(s)) == to_thai_digits(s)
    assert len(to_thai_digits(s)) == len(s)
    if not any(ch in "๐๑๒๓๔๕๖๗๘๙" for ch in s):
        assert to_arabic_digits(to_thai_digits(s)) == s


def test_be_ce() -> None:
    assert be_to_ce(2567) == 2024
    assert ce_to_be(2024) == 2567


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_be_ce_round_trip(year: int) -> None:
    assert be_to_ce(ce_to_be(year)) == year
    assert ce_to_be(be_to_ce(year)) == year


@pytest.mark.parametrize(
    ("written", "expected"),
    [(67, 2567), (0, 2500), (99, 2599), (2567, 2567), (2400, 2400), (2024, 2567), (1999, 2542), (2399, 2942)],
)
def test_expand_be_year(written: int, expected: int) -> None:
    assert expand_be_year(written) == expected


def test_expand_be_year_rejects_negative() -> None:
    with pytest.raises(ValueError):
        expand_be_year(-1)


def test_month_name() -> None:
    assert month_name(1) == "มกราคม"
    assert month_name(3, abbr=True) == "มี.ค."
    assert month_name(10, abbr=True) == "ต.ค."
    assert month_name(11) == "พฤศจิกายน"
    with pytest.raises(ValueError):
        month_name(13)
    with pytest.raises(ValueError):
        month_name(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ต.ค.", 10),
        ("ต.ค", 10),
        ("ต. ค.", 10),
        ("ตค 66", 10),
        ("มี.ค. 67", 3),
        ("ม.ค. 67", 1),
        ("มีนาคม", 3),
        ("เม.ย.", 4),
        ("ภายในเดือนกุมภาพันธ์", 2),
        ("กรกฏาคม", 7),  # common misspelling
        ("เดือนตุลา", 10),
        ("ช่วง ก.ย. ถึง ต.ค.", 9),  # the first one named
        ("ต.ค.พ.ศ.2566", 10),
        ("ตุลาการ", None),  # a judge, not October
        ("ตกค้าง", None),  # กค inside a word
        ("ก.ค.ศ.", None),  # a commission, not July
        ("สำนักงาน ก.พ.ร.", None),
        ("ไม่มีเดือน", None),
        ("", None),
    ],
)
def test_find_month(text: str, expected: int | None) -> None:
    assert find_month(text) == expected


@given(st.integers(min_value=1, max_value=12), st.booleans())
def test_find_month_reads_month_name(month: int, abbr: bool) -> None:
    assert find_month(f"เดือน {month_name(month, abbr)} 2567") == month


@pytest.mark.parametrize(
    ("d", "year", "quarter"),
    [
        (date(2023, 10, 1), 2567, 1),
        (date(2023, 9, 30), 2566, 4),
        (date(2023, 12, 31), 2567, 1),
        (date(2024, 1, 1), 2567, 2),
        (date(2024, 3, 31), 2567, 2),
        (date(2024, 4, 1), 2567, 3),
        (date(2024, 7, 1), 2567, 4),
        (date(2024, 9, 30), 2567, 4),
    ],
)
def test_fiscal_year_and_quarter(d: date, year: int, quarter: int) -> None:
    assert fiscal_year(d) == year
    assert fiscal_quarter(d) == quarter


def test_fiscal_year_bounds_and_months() -> None:
    assert fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))
    months = fiscal_months(2568)
    assert len(months) == 12
    assert months[0] == date(2024, 10, 1)
    assert months[2] == date(2024, 12, 1)
    assert months[3] == date(2025, 1, 1)
    assert months[-1] == date(2025, 9, 1)


@given(dates)
def test_fiscal_year_is_consistent_with_bounds(d: date) -> None:
    year = fiscal_year(d)
    start, end = fiscal_year_bounds(year)
    assert start <= d <= end
    assert fiscal_year(start) == fiscal_year(end) == year
    assert (end - start).days + 1 in (365, 366)
    assert date(d.year, d.month, 1) in fiscal_months(year)
    assert fiscal_months(year).index(date(d.year, d.month, 1)) // 3 + 1 == fiscal_quarter(d)


def test_format_thai_date() -> None:
    assert format_thai_date(date(2024, 11, 1)) == "1 พ.ย. 2567"
    assert format_thai_date(date(2024, 11, 1), abbr=False) == "1 พฤศจิกายน 2567"
    assert format_thai_date(date(2025, 10, 1), thai_digits=True) == "๑ ต.ค. ๒๕๖๘"


def test_format_month() -> None:
    assert format_month(date(2024, 11, 15)) == "พฤศจิกายน 2567"
    assert format_month(date(2024, 11, 15), abbr=True) == "พ.ย. 2567"
    assert format_month(date(2024, 3, 1), thai_digits=True) == "มีนาคม ๒๕๖๗"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 ตุลาคม 2568", date(2025, 10, 1)),
        ("1 ต.ค. 68", date(2025, 10, 1)),
        ("๑ ต.ค. ๒๕๖๘", date(2025, 10, 1)),
        ("2024-10-01", date(2024, 10, 1)),
        ("30 กันยายน 2569", date(2026, 9, 30)),
        ("วันที่ 15 เดือนมีนาคม พ.ศ. 2567", date(2024, 3, 15)),
        ("1ต.ค.68", date(2025, 10, 1)),
        ("1/10/2567", date(2024, 10, 1)),
        ("5 มี.ค. ค.ศ. 2024", date(2024, 3, 5)),
        ("ประชุม 29 ก.พ. 2567 เวลา 10.00", date(2024, 2, 29)),
        ("31 ก.พ. 2567 หรือ 1 มี.ค. 2567", date(2024, 3, 1)),  # an impossible day is skipped
        ("1 ตุลาคม", None),  # no year
        ("ต.ค. 2568", None),  # no day
        ("", None),
        (None, None),
    ],
)
def test_parse_thai_date(text: str | None, expected: date | None) -> None:
    assert parse_thai_date(text) == expected


@given(dates, st.booleans(), st.booleans())
def test_format_then_parse_round_trip(d: date, abbr: bool, thai_digits: bool) -> None:
    assert parse_thai_date(format_thai_date(d, abbr=abbr, thai_digits=thai_digits)) == d


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_parsers_never_raise(text: str) -> None:
    parse_thai_date(text)
    find_month(text)


@pytest.mark.parametrize("name, expected", [
    ("นายสมชาย ใจดี", "สมชาย ใจดี"), ("นางสาวมาลี ศรีสุข", "มาลี ศรีสุข"), ("นางมาลี ศรีสุข", "มาลี ศรีสุข"),
    ("สมชาย ใจดี", "สมชาย ใจดี"), ("นาย", "นาย"), ("น.ส. ก้อย", "ก้อย"),
])
def test_polite_name(name, expected):
    from ita.thai import polite_name

    assert polite_name(name) == expected
