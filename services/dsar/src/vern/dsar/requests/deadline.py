"""When a data request must be answered, and how far an extension may move that date.

The rule, in Europe/Oslo calendar dates (never elapsed hours, so a daylight-saving change cannot
move a due date):
- The clock starts on the Oslo date on which the request was received (a request arriving at
  00:30 Oslo time is received that day, whatever the UTC date).
- The answer is due by the earlier of one calendar month after that date (GDPR Art. 12(3)) and
  the profile's `deadlines.dsar_answer` (Nok. Bergen promises "senest innen 30 dager").
- A month added to a day the next month lacks clamps to that month's last day: received
  31 January -> due 28 February (29 in a leap year); received 29 February -> due 29 March.
- The due date is the last day on which the answer is on time; it is overdue from the day after.
- An extension adds whole months (at most the profile's `dsar_extension_max`, two under the
  GDPR) to the first due date, and may only be granted while the first deadline runs: on or
  before the first due date, with the letter to the subject sent within that time too.
"""

from __future__ import annotations

from datetime import date, datetime

from vern.kit.orgprofile.dates import add_calendar_period, oslo_date
from vern.kit.orgprofile.schema import Deadlines, Duration

GDPR_ANSWER = Duration(months=1)


def due_date_for(received_at: datetime, deadlines: Deadlines) -> date:
    """The first due date of a request received at `received_at` (see the module's rule)."""
    received = oslo_date(received_at)
    return min(
        add_calendar_period(received, GDPR_ANSWER),
        add_calendar_period(received, deadlines.dsar_answer),
    )


def extended_due_date(first_due_date: date, months: int) -> date:
    return add_calendar_period(first_due_date, Duration(months=months))


def extension_allowed(first_due_date: date, months: int, deadlines: Deadlines) -> bool:
    """Whether `months` stays within the profile's maximum extension."""
    return extended_due_date(first_due_date, months) <= add_calendar_period(
        first_due_date, deadlines.dsar_extension_max
    )


def days_left(due_date: date, today: date) -> int:
    """Calendar days until the due date: 0 on the day itself, negative once overdue."""
    return (due_date - today).days
