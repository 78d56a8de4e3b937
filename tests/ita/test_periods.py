"""Tests for ita.periods: every period form a plan cell uses, and fuzzing."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.periods import Period, parse_period, period_label
from ita.vocab import time as vocab

FY2567 = (date(2023, 10, 1), date(2024, 9, 1))


@pytest.mark.parametrize(
    ("text", "fiscal_year_be", "start", "end"),
    [
        # The forms seen in the seed documents.
        ("ตุลาคม ๖๖ – กันยายน ๖๗", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("ตุลาคม ๖๖ - กันยายน ๖๗", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("ตุลาคม - ธันวาคม ๖๖", None, date(2023, 10, 1), date(2023, 12, 1)),
        ("ตุลาคม – ธันวาคม ๖๖", 2567, date(2023, 10, 1), date(2023, 12, 1)),
        ("ต.ค.๖๖- ก.ย.๖๗", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("ตุลาคม 2566- มีนาคม 2567", None, date(2023, 10, 1), date(2024, 3, 1)),
        ("ตุลาคม 2566-กุมภาพันธ์ 2567", None, date(2023, 10, 1), date(2024, 2, 1)),
        ("<p>ตุลาคม ๖๖ - กันยายน ๖๗</p>", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("1 ตุลาคม 2568 – 30 กันยายน 2569", None, date(2025, 10, 1), date(2026, 9, 1)),
        # Separators, spacing and digits vary.
        ("ตุลาคม 2566 ถึง กันยายน 2567", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("ต.ค. 66 — ก.ย. 67", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("ต. ค. 66-ก. ย. 67", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("ตค.-ธค. 66", None, date(2023, 10, 1), date(2023, 12, 1)),
        ("ม.ค. – มี.ค. 2567", None, date(2024, 1, 1), date(2024, 3, 1)),
        ("ตุลาคม 66 30 กันยายน 67", None, date(2023, 10, 1), date(2024, 9, 1)),
        ("2024-10-01 - 2025-09-30", None, date(2024, 10, 1), date(2025, 9, 1)),
        ("1/10/2566 - 30/9/2567", None, date(2023, 10, 1), date(2024, 9, 1)),
        # Year on the start only.
        ("พฤศจิกายน 2566 - มกราคม", None, date(2023, 11, 1), date(2024, 1, 1)),
        # A single month.
        ("มีนาคม 2567", None, date(2024, 3, 1), date(2024, 3, 1)),
        ("มีนาคม", 2567, date(2024, 3, 1), date(2024, 3, 1)),
        ("พฤศจิกายน", 2567, date(2023, 11, 1), date(2023, 11, 1)),
        # No year at all: October–December belong to the year before the fiscal year.
        ("ตุลาคม - ธันวาคม", 2567, date(2023, 10, 1), date(2023, 12, 1)),
        ("ตุลาคม - กันยายน", 2568, date(2024, 10, 1), date(2025, 9, 1)),
        ("มกราคม – มีนาคม", 2567, date(2024, 1, 1), date(2024, 3, 1)),
        # Words.
        ("ตลอดปีงบประมาณ", 2567, *FY2567),
        ("ทุกเดือน", 2567, *FY2567),
        ("ดำเนินการต่อเนื่อง", 2567, *FY2567),
        ("ปีงบประมาณ 2567", None, *FY2567),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๗", 2570, *FY2567),  # the text's year wins
        ("ปีงบ 67", None, *FY2567),
        ("ปี 2567", None, *FY2567),
        ("ไตรมาส 1", 2567, date(2023, 10, 1), date(2023, 12, 1)),
        ("ไตรมาสที่ ๒", 2567, date(2024, 1, 1), date(2024, 3, 1)),
        ("ไตรมาส 3", 2567, date(2024, 4, 1), date(2024, 6, 1)),
        ("ไตรมาสที่ 4", 2567, date(2024, 7, 1), date(2024, 9, 1)),
        ("ไตรมาส 1-2", 2568, date(2024, 10, 1), date(2025, 3, 1)),
        ("ไตรมาสที่ 3 และ 4", 2567, date(2024, 4, 1), date(2024, 9, 1)),
        ("ไตรมาส 1/2567", None, date(2023, 10, 1), date(2023, 12, 1)),
        ("Q2", 2567, date(2024, 1, 1), date(2024, 3, 1)),
        ("รอบ 6 เดือน", 2567, date(2023, 10, 1), date(2024, 3, 1)),
        ("รอบ ๖ เดือน", 2568, date(2024, 10, 1), date(2025, 3, 1)),
        ("ครึ่งปีหลัง", 2567, date(2024, 4, 1), date(2024, 9, 1)),
        ("รอบ 6 เดือน ปีงบประมาณ 2567", None, date(2023, 10, 1), date(2024, 3, 1)),
    ],
)
def test_parse_period_forms(text: str, fiscal_year_be: int | None, start: date, end: date) -> None:
    period = parse_period(text, fiscal_year_be)
    assert period == Period(start, end)


def test_month_range_without_year_in_text_uses_stated_fiscal_year() -> None:
    period = parse_period("ต.ค. – ธ.ค. (ปีงบประมาณ 2567)")
    assert period == Period(date(2023, 10, 1), date(2023, 12, 1))


def test_inverted_range_is_swapped_with_note() -> None:
    period = parse_period("กันยายน 67 – ตุลาคม 66")
    assert period is not None
    assert (period.start, period.end) == (date(2023, 10, 1), date(2024, 9, 1))
    assert period.note == vocab.NOTE_SWAPPED
    assert not period.assumed


def test_range_past_the_fiscal_year_is_kept_with_note() -> None:
    period = parse_period("ต.ค. 66 – ธ.ค. 67", 2567)
    assert period is not None
    assert (period.start, period.end) == (date(2023, 10, 1), date(2024, 12, 1))
    assert period.note == "ระยะเวลาเกินขอบเขตปีงบประมาณ พ.ศ. 2567"


def test_range_outside_the_fiscal_year_uses_its_own_year_without_one_given() -> None:
    period = parse_period("มีนาคม – ตุลาคม", 2567)
    assert period is not None
    assert (period.start, period.end) == (date(2024, 3, 1), date(2024, 10, 1))
    assert period.note is not None and "2567" in period.note


def test_single_month_with_by_word_runs_from_fiscal_year_start() -> None:
    period = parse_period("ภายในเดือนมีนาคม 2567")
    assert period is not None
    assert (period.start, period.end) == (date(2023, 10, 1), date(2024, 3, 1))
    assert period.note == vocab.NOTE_UNTIL_MONTH


def test_single_month_onwards_runs_to_fiscal_year_end() -> None:
    period = parse_period("ตั้งแต่ มกราคม 2567 เป็นต้นไป")
    assert period is not None
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 9, 1))
    assert period.note == vocab.NOTE_FROM_MONTH


@pytest.mark.parametrize("text", [None, "", "   ", "-", "ไม่ระบุ", "\u200b"])
def test_missing_period_is_the_whole_fiscal_year_assumed(text: str | None) -> None:
    period = parse_period(text, 2567)
    assert period == Period(*FY2567, assumed=True, note=vocab.NOTE_NO_PERIOD.format(year=2567))


def test_unreadable_period_is_the_whole_fiscal_year_assumed() -> None:
    period = parse_period("ตามความเหมาะสม", 2568)
    assert period is not None
    assert (period.start, period.end) == (date(2024, 10, 1), date(2025, 9, 1))
    assert period.assumed
    assert period.note == vocab.NOTE_UNREADABLE.format(year=2568)


@pytest.mark.parametrize("text", [None, "", "ตามความเหมาะสม", "ตุลาคม - ธันวาคม", "ไตรมาส 1", "ทุกเดือน"])
def test_nothing_to_anchor_without_fiscal_year(text: str | None) -> None:
    assert parse_period(text) is None


def test_two_digit_fiscal_year_argument_is_expanded() -> None:
    assert parse_period("ไตรมาส 1", 67) == Period(date(2023, 10, 1), date(2023, 12, 1))


def test_period_label() -> None:
    assert period_label(Period(*FY2567)) == "ต.ค. 2566 – ก.ย. 2567"
    assert period_label(Period(date(2024, 3, 1), date(2024, 3, 1))) == "มี.ค. 2567"


def test_period_rejects_bad_bounds() -> None:
    with pytest.raises(ValueError):
        Period(date(2024, 3, 2), date(2024, 4, 1))
    with pytest.raises(ValueError):
        Period(date(2024, 4, 1), date(2024, 3, 1))


fiscal_years = st.one_of(st.none(), st.integers(min_value=2400, max_value=2700), st.integers())
period_words = st.sampled_from(
    [
        *vocab.MONTHS_FULL,
        *vocab.MONTHS_ABBR,
        "ต. ค.",
        "ตค",
        "-",
        "–",
        "ถึง",
        " ",
        "พ.ศ.",
        "ค.ศ.",
        "ปี",
        "ปีงบประมาณ",
        "ไตรมาส",
        "ที่",
        "รอบ 6 เดือน",
        "ภายใน",
        "ตั้งแต่",
        "เป็นต้นไป",
        "/",
    ]
)
numbers = st.integers(min_value=0, max_value=99999).map(str)
thai_numbers = numbers.map(lambda n: n.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
period_like = st.lists(st.one_of(period_words, numbers, thai_numbers), max_size=8).map("".join)


def _check(period: Period | None) -> None:
    if period is None:
        return
    assert period.start <= period.end
    assert period.start.day == period.end.day == 1


@given(st.text(), fiscal_years)
@settings(max_examples=200, deadline=None)
def test_parse_period_never_raises_on_any_text(text: str, fiscal_year_be: int | None) -> None:
    _check(parse_period(text, fiscal_year_be))


@given(period_like, fiscal_years)
@settings(max_examples=200, deadline=None)
def test_parse_period_never_raises_on_period_like_text(text: str, fiscal_year_be: int | None) -> None:
    period = parse_period(text, fiscal_year_be)
    _check(period)
    if fiscal_year_be is not None and 2400 <= fiscal_year_be <= 2700:
        assert period is not None


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=2450, max_value=2650),
    st.integers(min_value=0, max_value=30),
    st.sampled_from([" – ", "-", " - ", " ถึง ", "–"]),
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_written_range_round_trips(
    month: int, year_be: int, length: int, dash: str, abbr: bool, two_digit: bool
) -> None:
    start = date(year_be - 543, month, 1)
    index = start.year * 12 + start.month - 1 + length
    end = date(index // 12, index % 12 + 1, 1)

    def written(d: date) -> str:
        name = vocab.MONTHS_ABBR[d.month - 1] if abbr else vocab.MONTHS_FULL[d.month - 1]
        year = d.year + 543
        return f"{name} {year % 100:02d}" if two_digit and 2500 <= year < 2600 else f"{name} {year}"

    period = parse_period(written(start) + dash + written(end))
    assert period is not None
    assert (period.start, period.end) == (start, end)
