"""Every query on clients."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from vern.registry.persons.models import Person


def get(*, session: Session, person_id: uuid.UUID) -> Person | None:
    """Gets a client by id."""
    return session.get(Person, person_id)


def list_for_counsellor(*, session: Session, counsellor_id: str) -> Sequence[Person]:
    """Clients assigned to one counsellor, newest intake first."""
    query = (
        select(Person)
        .where(Person.assigned_counsellor_id == counsellor_id)
        .order_by(col(Person.intake_date).desc())
    )
    return session.exec(query).all()


def list_all(*, session: Session, limit: int, offset: int) -> Sequence[Person]:
    """Every client, newest intake first."""
    query = select(Person).order_by(col(Person.intake_date).desc()).limit(limit).offset(offset)
    return session.exec(query).all()


def find_by_blind_index(*, session: Session, column: str, value: str) -> Sequence[Person]:
    """Clients whose blind index `column` (email_bidx, phone_bidx, national_id_bidx) equals `value`."""
    return session.exec(select(Person).where(getattr(Person, column) == value)).all()


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
