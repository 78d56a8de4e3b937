from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ita.cadence import add_months, is_due


@pytest.mark.parametrize("period, cadence, due", [
    (date(2025, 10, 1), "monthly", True),
    (date(2025, 11, 1), "quarterly", False),
    (date(2025, 12, 1), "quarterly", True),
    (date(2026, 3, 1), "quarterly", True),
    (date(2026, 3, 1), "six_monthly", True),
    (date(2025, 12, 1), "six_monthly", False),
    (date(2026, 9, 1), "six_monthly", True),
    (date(2026, 10, 1), "monthly", False),  # the next fiscal year
    (date(2025, 9, 1), "monthly", False),
])
def test_due_months_for_a_whole_year_measure(period, cadence, due):
    assert is_due(period=period, start=date(2025, 10, 1), end=date(2026, 9, 1), cadence=cadence,
                  fiscal_year_be=2569) is due


def test_measure_without_period_spans_the_fiscal_year():
    assert is_due(period=date(2026, 9, 1), start=None, end=None, cadence="monthly", fiscal_year_be=2569)
    assert not is_due(period=date(2026, 10, 1), start=None, end=None, cadence="monthly", fiscal_year_be=2569)


def test_short_quarterly_measure_is_due_in_its_last_month():
    assert is_due(period=date(2025, 11, 1), start=date(2025, 10, 1), end=date(2025, 11, 1),
                  cadence="quarterly", fiscal_year_be=2569)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-300, 300))
def test_add_months_round_trip(d, n):
    assert add_months(add_months(d, n), -n) == d.replace(day=1)
