"""Vern's calendar: dates are calendar dates in Europe/Oslo."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_oslo() -> date:
    return datetime.now(OSLO).date()


def oslo_date(moment: datetime) -> date:
    """The calendar date in Europe/Oslo of a timezone-aware instant."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no Oslo date; give it a timezone")
    return moment.astimezone(OSLO).date()


def add_months(start: date, months: int) -> date:
    """Calendar arithmetic that clamps to the month's last day: 2024-01-31 + 1 month is
    2024-02-29, and 2024-02-29 + 36 months (3 years) is 2027-02-28."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
