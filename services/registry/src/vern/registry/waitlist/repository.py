"""Every query on waiting-list entries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from vern.registry.waitlist.models import WaitlistEntry


def get(*, session: Session, entry_id: uuid.UUID) -> WaitlistEntry | None:
    """Gets a waiting-list entry by id."""
    return session.get(WaitlistEntry, entry_id)


def list_all(*, session: Session, limit: int, offset: int) -> Sequence[WaitlistEntry]:
    """Every entry, longest waiting first."""
    query = (
        select(WaitlistEntry)
        .order_by(col(WaitlistEntry.received_date), col(WaitlistEntry.created_at))
        .limit(limit)
        .offset(offset)
    )
    return session.exec(query).all()


def find_by_blind_index(
    *, session: Session, column: str, values: Sequence[str]
) -> Sequence[WaitlistEntry]:
    """Entries whose blind index `column` (email_bidx, phone_bidx) is one of `values`."""
    query = select(WaitlistEntry).where(col(getattr(WaitlistEntry, column)).in_(values))
    return session.exec(query).all()


def due_for_deletion(*, session: Session, on: date, limit: int) -> Sequence[WaitlistEntry]:
    """Entries whose deletion date has come (a counsellor was assigned 30 days ago), oldest first;
    entries without an assigned counsellor have no date yet."""
    query = (
        select(WaitlistEntry)
        .where(col(WaitlistEntry.retention_due_date).is_not(None))
        .where(col(WaitlistEntry.retention_due_date) <= on)
        .order_by(col(WaitlistEntry.retention_due_date), col(WaitlistEntry.id))
        .limit(limit)
    )
    return session.exec(query).all()


def due_between(*, session: Session, start: date, until: date) -> Sequence[WaitlistEntry]:
    """Entries due for deletion from `start` to `until` (both included), for retention previews."""
    query = (
        select(WaitlistEntry)
        .where(col(WaitlistEntry.retention_due_date) >= start)
        .where(col(WaitlistEntry.retention_due_date) <= until)
        .order_by(col(WaitlistEntry.retention_due_date))
    )
    return session.exec(query).all()


def add(*, session: Session, entry: WaitlistEntry) -> None:
    session.add(entry)
    session.flush()


def delete(*, session: Session, entry: WaitlistEntry) -> None:
    session.delete(entry)
    session.flush()
