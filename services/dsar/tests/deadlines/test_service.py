"""When a deadline's reminders fall due, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vern.dsar.deadlines.service import request_due_at
from vern.dsar.reminders.models import ReminderStage
from vern.dsar.reminders.service import stage_at
from vern.kit.clock import OSLO
from vern.kit.contract import Deadline

BREACH_DUE = datetime(2026, 10, 27, 10, 0, tzinfo=UTC)


def breach(due_at: datetime) -> Deadline:
    return Deadline(kind="breach_authority", ref="b-1", due_at=due_at)


@pytest.mark.parametrize(
    ("now", "stage"),
    [
        (BREACH_DUE - timedelta(hours=48, seconds=1), None),
        (BREACH_DUE - timedelta(hours=48), ReminderStage.approaching),
        (BREACH_DUE, ReminderStage.approaching),
        (BREACH_DUE + timedelta(seconds=1), ReminderStage.overdue),
    ],
)
def test_a_breach_reminder_falls_due_48_elapsed_hours_before_its_deadline(
    now: datetime, stage: ReminderStage | None
) -> None:
    assert stage_at(breach(BREACH_DUE), now) is stage


@pytest.mark.parametrize(
    ("now", "stage"),
    [
        # Across the October change: 8 and 7 calendar days before 3 November in Oslo.
        (datetime(2026, 10, 26, 23, 59, tzinfo=OSLO), None),
        (datetime(2026, 10, 27, 0, 0, tzinfo=OSLO), ReminderStage.approaching),
        (datetime(2026, 11, 3, 23, 59, tzinfo=OSLO), ReminderStage.approaching),
        (datetime(2026, 11, 4, 0, 0, tzinfo=OSLO), ReminderStage.overdue),
    ],
)
def test_a_request_reminder_falls_due_7_oslo_days_before_its_due_date(
    now: datetime, stage: ReminderStage | None
) -> None:
    deadline = Deadline(
        kind="request_answer", ref="r-1", due_at=request_due_at(datetime(2026, 11, 3).date())
    )
    assert stage_at(deadline, now) is stage
