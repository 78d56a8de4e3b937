"""Tests for ita.status: status words, percentages, measure numbers and the report command."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.status import (
    AMBIGUOUS,
    STATUS_LABELS,
    ReportCommand,
    Status,
    find_percent,
    find_status,
    normalize_measure_number,
    parse_percent,
    parse_report_command,
    parse_status,
)
from ita.thai import normalize_text
from ita.vocab import status as vocab

NOT_STARTED, IN_PROGRESS, DONE, BLOCKED = Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.BLOCKED


def test_status_values_and_labels() -> None:
    assert [s.value for s in Status] == ["not_started", "in_progress", "done", "blocked"]
    assert Status("done") is DONE and DONE == "done"
    assert STATUS_LABELS == {
        NOT_STARTED: "ยังไม่ดำเนินการ",
        IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
        DONE: "ดำเนินการแล้ว",
        BLOCKED: "มีปัญหา-อุปสรรค",
    }


@pytest.mark.parametrize("status", list(Status))
def test_labels_parse_back(status: Status) -> None:
    assert parse_status(STATUS_LABELS[status]) is status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The domain table, row by row.
        ("ยังไม่ดำเนินการ", NOT_STARTED),
        ("ยังไม่ได้ดำเนินการ", NOT_STARTED),
        ("ไม่ได้ดำเนินการ", NOT_STARTED),
        ("ยังไม่เริ่ม", NOT_STARTED),
        ("ยังไม่ได้ทำ", NOT_STARTED),
        ("อยู่ระหว่างดำเนินการ", IN_PROGRESS),
        ("กำลังดำเนินการ", IN_PROGRESS),
        ("ดำเนินการบางส่วน", IN_PROGRESS),
        ("กำลังทำ", IN_PROGRESS),
        ("คืบหน้า 60%", IN_PROGRESS),
        ("ดำเนินการแล้ว", DONE),
        ("ดำเนินการแล้วเสร็จ", DONE),
        ("แล้วเสร็จ", DONE),
        ("เสร็จสิ้น", DONE),
        ("เสร็จแล้ว", DONE),
        ("เรียบร้อย", DONE),
        ("ทำแล้ว", DONE),
        ("มีปัญหา", BLOCKED),
        ("ติดปัญหา", BLOCKED),
        ("มีอุปสรรค", BLOCKED),
        ("ล่าช้า", BLOCKED),
        ("เลื่อนการประชุมไปเดือนหน้า", BLOCKED),
        ("รออนุมัติจากนายก", BLOCKED),
        ("อยู่ระหว่างรองบประมาณ", BLOCKED),
        ("ดำเนินการ", AMBIGUOUS),
        # Negations come before the positives they contain.
        ("ยังไม่เสร็จ", IN_PROGRESS),
        ("ยังไม่แล้วเสร็จ", IN_PROGRESS),
        ("ทำไม่เสร็จ", BLOCKED),
        ("ดำเนินการแล้วบางส่วน", IN_PROGRESS),
        ("ดำเนินการแล้ว ไม่มีปัญหา", DONE),
        ("เสร็จแล้วค่ะ ไม่มีปัญหาอุปสรรค", DONE),
        ("อยู่ระหว่างดำเนินการ แต่ติดปัญหาเรื่องงบ", BLOCKED),
        ("ยังไม่ได้ดำเนินการ เนื่องจากรองบประมาณ", NOT_STARTED),
        # Typing variants.
        ("ดำเนินการ แล้ว", DONE),
        ("ยัง ไม่ ได้ ทำ", NOT_STARTED),
        ("ดําเนินการแล้ว", DONE),  # ํา for ำ
        ("ดำเนินการเเล้ว", DONE),  # เเ for แ
        ("Done", DONE),
        ("in progress", IN_PROGRESS),
        # Words that only look like statuses.
        ("เลื่อนขั้นเงินเดือน", None),
        ("รอบที่ 2", None),
        ("ผลลัพธ์/ความสำเร็จ", None),
        ("abandoned", None),
        ("สวัสดีครับ", None),
        ("", None),
    ],
)
def test_parse_status(text: str, expected: Status | None) -> None:
    assert parse_status(text) is expected


def test_find_status_span() -> None:
    text = "จัดประชุมครบแล้ว ดำเนินการแล้วเสร็จ 100%"
    status, start, end = find_status(text)
    assert status is DONE
    assert text[start:end] == "ดำเนินการแล้วเสร็จ"
    assert find_status("สวัสดี") == (None, -1, -1)


def test_find_status_span_indexes_normalized_text() -> None:
    text = "  ข้อ 1   ยังไม่\u200bเริ่ม "
    status, start, end = find_status(text)
    assert status is NOT_STARTED
    assert normalize_text(text)[start:end] == "ยังไม่เริ่ม"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80%", 80),
        ("80 %", 80),
        ("๘๐%", 80),
        ("ร้อยละ 80", 80),
        ("ร้อยละ๘๐", 80),
        ("80 เปอร์เซ็นต์", 80),
        ("80เปอร์เซนต์", 80),
        ("คืบหน้า 60% แล้วครับ", 60),
        ("0%", 0),
        ("100%", 100),
        ("99.5%", 99),  # rounded down: not finished
        ("101%", None),
        ("150 %", None),
        ("ร้อยละ 1000", None),
        ("80", None),  # bare numbers need bare_ok
        ("ข้อ 1.2", None),
        ("", None),
    ],
)
def test_parse_percent(text: str, expected: int | None) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("80", 80), ("๘๐", 80), ("ประมาณ 75", 75), ("60%", 60), ("120", None), ("50 หรือ 60", None), ("ไม่ทราบ", None)],
)
def test_parse_percent_bare(text: str, expected: int | None) -> None:
    assert parse_percent(text, bare_ok=True) == expected


def test_find_percent_span() -> None:
    text = "ดำเนินการแล้ว ร้อยละ 80 ของทุกกอง"
    value, start, end = find_percent(text)
    assert value == 80
    assert text[start:end] == "ร้อยละ 80"
    assert find_percent("ไม่มี") == (None, -1, -1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("๑.๒.", "1.2"), ("ข้อ 3", "3"), ("1.2", "1.2"), ("๓", "3"), ("มาตรการที่ 2", "2"), ("1)", "1"), ("1. 2", "1.2")],
)
def test_normalize_measure_number(raw: str, expected: str) -> None:
    assert normalize_measure_number(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "รายงาน 1.2 ดำเนินการแล้ว 100% จัดประชุมชี้แจงครบทุกกอง",
            ReportCommand("1.2", DONE, False, 100, "จัดประชุมชี้แจงครบทุกกอง"),
        ),
        ("รายงาน ๓ กำลังดำเนินการ ๖๐%", ReportCommand("3", IN_PROGRESS, False, 60, "")),
        ("รายงาน 2 ดำเนินการ 50%", ReportCommand("2", None, True, 50, "")),
        ("รายงาน", ReportCommand(None, None, False, None, "")),
        ("report 1.2 done 100% briefed all units", ReportCommand("1.2", DONE, False, 100, "briefed all units")),
        ("Report 4 blocked", ReportCommand("4", BLOCKED, False, None, "")),
        ("รายงาน1.2 เสร็จแล้ว", ReportCommand("1.2", DONE, False, None, "")),
        ("รายงาน ข้อ 3 ยังไม่ดำเนินการ รองบประมาณ", ReportCommand("3", NOT_STARTED, False, None, "รองบประมาณ")),
        ("รายงาน 5 คืบหน้า ร้อยละ ๗๐ จัดซื้อแล้ว ๒ รายการ", ReportCommand("5", IN_PROGRESS, False, 70, "จัดซื้อแล้ว ๒ รายการ")),
        ("รายงาน 6: 80% อบรมไปแล้ว", ReportCommand("6", None, False, 80, "อบรมไปแล้ว")),
        ("รายงาน 80%", ReportCommand(None, None, False, 80, "")),
        # The status is in the text itself.
        ("รายงาน 7 จัดอบรมเสร็จสิ้น", ReportCommand("7", DONE, False, None, "จัดอบรมเสร็จสิ้น")),
        ("รายงาน 4 ดำเนินการ จัดอบรมเสร็จสิ้น", ReportCommand("4", DONE, False, None, "จัดอบรมเสร็จสิ้น")),
    ],
)
def test_parse_report_command(text: str, expected: ReportCommand) -> None:
    assert parse_report_command(text) == expected


@pytest.mark.parametrize("text", ["สวัสดี", "", "ดำเนินการแล้ว 100%", "reporting 1.2 done", "ขอรายงาน 1"])
def test_parse_report_command_needs_the_command_word(text: str) -> None:
    assert parse_report_command(text) is None


status_words = st.sampled_from(
    [
        *vocab.NOT_STARTED_WORDS,
        *vocab.PARTIAL_WORDS,
        *vocab.DONE_WORDS,
        *vocab.BLOCKED_WORDS,
        *vocab.IN_PROGRESS_WORDS,
        *vocab.NEUTRAL_WORDS,
        *vocab.REPORT_WORDS,
        "ดำเนินการ",
        "ร้อยละ",
        "%",
        " ",
        ".",
        "๑",
        "1",
    ]
)
status_like = st.lists(st.one_of(status_words, st.text(max_size=3)), max_size=8).map("".join)


@given(st.one_of(st.text(), status_like))
@settings(max_examples=200, deadline=None)
def test_status_parsers_never_raise(text: str) -> None:
    status, start, end = find_status(text)
    assert status is None or isinstance(status, Status) or status is AMBIGUOUS
    assert (start, end) == (-1, -1) if status is None else 0 <= start < end <= len(normalize_text(text))
    value = parse_percent(text)
    assert value is None or 0 <= value <= 100
    bare = parse_percent(text, bare_ok=True)
    assert bare is None or 0 <= bare <= 100
    command = parse_report_command(text)
    if command is not None:
        assert command.status is None or not command.ambiguous_status
        assert command.percent is None or 0 <= command.percent <= 100
    normalize_measure_number(text)


@given(st.sampled_from(list(Status)), st.integers(min_value=0, max_value=100), st.booleans())
def test_report_command_round_trip(status: Status, percent: int, thai_digits: bool) -> None:
    number = f"{percent}%"
    if thai_digits:
        number = number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    command = parse_report_command(f"รายงาน 2.1 {STATUS_LABELS[status]} {number} ส่งหลักฐานแล้ว")
    assert command == ReportCommand("2.1", status, False, percent, "ส่งหลักฐานแล้ว")
