"""Every query on the reminders sent."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from vern.dsar.reminders.models import DeadlineReminder, ReminderStage


def was_sent(
    *, session: Session, kind: str, ref: str, stage: ReminderStage, due_at: datetime
) -> bool:
    query = select(DeadlineReminder.id).where(
        DeadlineReminder.kind == kind,
        DeadlineReminder.ref == ref,
        DeadlineReminder.stage == stage,
        DeadlineReminder.due_at == due_at,
    )
    return session.exec(query).first() is not None


def add(*, session: Session, reminder: DeadlineReminder) -> None:
    session.add(reminder)
    session.flush()
