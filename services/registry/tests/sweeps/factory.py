"""Rows with a chosen retention date, each under its own data key, straight into the register."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from vern.kit.clock import now_utc
from vern.kit.crypto import Vault, subject_key
from vern.registry.persons.models import Person

NAME = "Ragnhild Sweepesen"


def client_due(session: Session, vault: Vault, due: date) -> str:
    """A client whose entry is due for deletion on `due`; returns its id."""
    person_id = uuid.uuid4()
    vault.create_subject_key(str(person_id))
    session.add(
        Person(
            id=person_id,
            created_at=now_utc(),
            intake_date=date(2020, 1, 1),
            full_name_ct=vault.encrypt(str(person_id), NAME, context="person.full_name"),
            retention_due_date=due,
        )
    )
    session.flush()
    return str(person_id)


def keys_left(keystore: Engine, ids: list[str]) -> set[str]:
    """Which of the subjects still have a data key in the key store (read there, not cached)."""
    with keystore.connect() as conn:
        query = select(subject_key.c.subject_id).where(subject_key.c.subject_id.in_(ids))
        return set(conn.execute(query).scalars())


def remaining(session: Session, ids: list[str]) -> set[str]:
    """Which of the clients are still in the register."""
    return {i for i in ids if session.get(Person, uuid.UUID(i)) is not None}
