"""Every query on the breach register."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from vern.dsar.breaches.models import Breach, BreachEvent


def get(*, session: Session, breach_id: uuid.UUID) -> Breach | None:
    """Gets a breach by its id."""
    return session.get(Breach, breach_id)


def add(*, session: Session, breach: Breach) -> None:
    session.add(breach)
    session.flush()


def add_event(*, session: Session, event: BreachEvent) -> None:
    session.add(event)
    session.flush()


def list_all(
    *, session: Session, reported_by: str | None, limit: int, offset: int
) -> Sequence[Breach]:
    """Breaches, most recently detected first; only one reporter's when `reported_by` is given."""
    query = select(Breach)
    if reported_by is not None:
        query = query.where(Breach.reported_by == reported_by)
    query = (
        query.order_by(col(Breach.detected_at).desc(), col(Breach.id)).limit(limit).offset(offset)
    )
    return session.exec(query).all()


def awaiting_notification(*, session: Session) -> Sequence[Breach]:
    """Breaches that Datatilsynet or the people affected have not yet been told of."""
    query = (
        select(Breach)
        .where(
            col(Breach.authority_notified_at).is_(None) | col(Breach.subjects_notified_at).is_(None)
        )
        .order_by(col(Breach.detected_at))
    )
    return session.exec(query).all()


def timeline(*, session: Session, breach_id: uuid.UUID) -> Sequence[BreachEvent]:
    """A breach's timeline, oldest first."""
    query = (
        select(BreachEvent).where(BreachEvent.breach_id == breach_id).order_by(col(BreachEvent.id))
    )
    return session.exec(query).all()
