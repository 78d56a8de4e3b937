"""Which reporting months a measure is due in, from its period and cadence.

The reporting period is a calendar month (its first day). Monthly measures are
due every month of their period; quarterly ones in the last month of each
fiscal quarter (ธ.ค., มี.ค., มิ.ย., ก.ย.); six-monthly ones in มี.ค. and ก.ย.
Any measure is also due in the last month of its own period, so a short
measure that ends mid-quarter is still asked about once.
"""
from __future__ import annotations

from datetime import date

from ita.thai import fiscal_year_bounds

CADENCE_MONTHS = {
    "monthly": frozenset(range(1, 13)),
    "quarterly": frozenset({12, 3, 6, 9}),
    "six_monthly": frozenset({3, 9}),
}


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def measure_span(start: date | None, end: date | None, fiscal_year_be: int) -> tuple[date, date]:
    """The measure's first and last months; the whole fiscal year when unknown."""
    first, last = fiscal_year_bounds(fiscal_year_be)
    return month_start(start or first), month_start(end or last)


def is_due(*, period: date, start: date | None, end: date | None, cadence: str, fiscal_year_be: int) -> bool:
    """Whether a measure asks for a report in the month starting ``period``."""
    first, last = measure_span(start, end, fiscal_year_be)
    if first > last:
        first, last = last, first
    period = month_start(period)
    if not first <= period <= last:
        return False
    months = CADENCE_MONTHS.get(cadence, CADENCE_MONTHS["monthly"])
    return period.month in months or period == last
