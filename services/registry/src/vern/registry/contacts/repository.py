"""Every query on contact events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from vern.registry.contacts.models import ContactEvent


def add(*, session: Session, event: ContactEvent) -> ContactEvent:
    session.add(event)
    session.flush()
    return event


def list_for_person(
    *, session: Session, person_id: uuid.UUID, limit: int, offset: int
) -> Sequence[ContactEvent]:
    """A client's contacts, newest first."""
    query = (
        select(ContactEvent)
        .where(ContactEvent.person_id == person_id)
        .order_by(col(ContactEvent.occurred_at).desc(), col(ContactEvent.id))
        .limit(limit)
        .offset(offset)
    )
    return session.exec(query).all()
