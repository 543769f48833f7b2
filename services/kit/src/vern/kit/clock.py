"""Vern's calendar: dates are calendar dates in Europe/Oslo."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime

OSLO = ZoneInfo("Europe/Oslo")


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None


# A moment a request gives, with its offset, in UTC; one without a UTC form (the first day of
# year 1 ahead of UTC, the last of year 9999 behind it) is refused (422), not stored (a 500).
UtcMoment = Annotated[AwareDatetime, AfterValidator(_to_utc)]


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
