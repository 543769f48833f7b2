"""Every query on clients."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from vern.registry.persons.models import Person


def get(*, session: Session, person_id: uuid.UUID) -> Person | None:
    """Gets a client by id."""
    return session.get(Person, person_id)


def _visible(query: SelectOfScalar[Person], counsellor_id: str | None) -> SelectOfScalar[Person]:
    if counsellor_id is not None:
        query = query.where(Person.assigned_counsellor_id == counsellor_id)
    return query


def list_page(
    *, session: Session, counsellor_id: str | None, limit: int, offset: int
) -> Sequence[Person]:
    """Clients (one counsellor's, or all when `counsellor_id` is None), newest intake first."""
    query = _visible(select(Person), counsellor_id)
    query = query.order_by(col(Person.intake_date).desc(), col(Person.id)).limit(limit)
    return session.exec(query.offset(offset)).all()


def find_by_blind_index(
    *, session: Session, column: str, values: Sequence[str], counsellor_id: str | None = None
) -> Sequence[Person]:
    """Clients whose blind index `column` (email_bidx, phone_bidx, national_id_bidx) is one of
    `values`, the identifier's index under each configured key (of one counsellor's clients when
    `counsellor_id` is given)."""
    query = _visible(select(Person).where(col(getattr(Person, column)).in_(values)), counsellor_id)
    return session.exec(query.order_by(col(Person.id))).all()


def due_for_deletion(*, session: Session, on: date, limit: int) -> Sequence[Person]:
    """Clients whose retention due date has come, oldest first."""
    query = (
        select(Person)
        .where(Person.retention_due_date <= on)
        .order_by(col(Person.retention_due_date))
        .limit(limit)
    )
    return session.exec(query).all()


def due_between(*, session: Session, start: date, until: date) -> Sequence[Person]:
    query = (
        select(Person)
        .where(Person.retention_due_date >= start, Person.retention_due_date <= until)
        .order_by(col(Person.retention_due_date))
    )
    return session.exec(query).all()


def delete(*, session: Session, person: Person) -> None:
    session.delete(person)


def get_any(*, session: Session) -> Person | None:
    return session.exec(select(Person).limit(1)).first()
