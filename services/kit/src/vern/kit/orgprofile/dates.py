"""Retention due dates: calendar arithmetic on Europe/Oslo dates.

The rules, chosen once for all of Vern:
- Retention is counted in calendar dates in Europe/Oslo, never in elapsed seconds, so daylight
  saving changes cannot move a due date. Turn an instant into its Oslo date with `oslo_date`.
- A period adds its years and months first, then its days.
- Adding years or months to a day that the target month lacks clamps to that month's last day:
  2024-02-29 + 3 years = 2027-02-28; 2024-01-31 + 1 month = 2024-02-29; 2024-03-31 + 1 month
  = 2024-04-30.
- The due date is the first day on which the data must be gone: the sweep that runs on that
  date deletes it. `immediately` and `until_clock` are due on the clock's own date.
"""

from datetime import date, datetime, timedelta

from vern.kit.clock import OSLO, add_months, oslo_date
from vern.kit.orgprofile.schema import Duration, Period

__all__ = ["OSLO", "add_calendar_period", "oslo_date", "retention_due_date"]


def add_calendar_period(start: date, period: Duration) -> date:
    """Adds years and months (clamping to the month's last day), then days."""
    _require_calendar_date(start)
    return add_months(start, 12 * period.years + period.months) + timedelta(days=period.days)


def retention_due_date(clock_start: date, period: Period) -> date:
    """Gives the date by which data whose clock started on `clock_start` must be deleted."""
    if isinstance(period, Duration):
        return add_calendar_period(clock_start, period)
    _require_calendar_date(clock_start)
    return clock_start


def _require_calendar_date(value: date) -> None:
    # A datetime is a date too; letting one through would count from its UTC or naive day.
    if isinstance(value, datetime):
        raise TypeError("give a calendar date; turn an instant into one with oslo_date()")
