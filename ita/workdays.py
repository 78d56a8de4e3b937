"""Working days: not weekends, not Thai public holidays, not the organisation's closed days."""
from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def thai_holidays(year: int) -> dict[date, str]:
    """Thai public holidays of a CE year (names in Thai), from the `holidays` package."""
    return dict(holidays.country_holidays("TH", years=year, language="th"))


def is_working_day(day: date, closed: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in thai_holidays(day.year) and day not in closed


def working_days_of_month(period: date, closed: Collection[date] = ()) -> list[date]:
    """Every working day of the month that starts at ``period``."""
    day, days = period.replace(day=1), []
    while day.month == period.month:
        if is_working_day(day, closed):
            days.append(day)
        day += timedelta(days=1)
    return days


def first_working_day_on_or_after(day: date, closed: Collection[date] = ()) -> date:
    for _ in range(60):
        if is_working_day(day, closed):
            return day
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int, closed: Collection[date] = ()) -> date:
    """The working day ``count`` working days after ``day`` (count 0: ``day`` itself if working)."""
    day = first_working_day_on_or_after(day, closed)
    for _ in range(count):
        day = first_working_day_on_or_after(day + timedelta(days=1), closed)
    return day
