"""Every query on activities and registrations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from vern.registry.activities.models import Activity, ActivityRegistration


def get(*, session: Session, activity_id: uuid.UUID) -> Activity | None:
    """Gets an activity by id."""
    return session.get(Activity, activity_id)


def list_activities(
    *, session: Session, counsellor_id: str | None, limit: int, offset: int
) -> Sequence[Activity]:
    """Activities, soonest first; only one counsellor's when `counsellor_id` is given."""
    query = select(Activity)
    if counsellor_id is not None:
        query = query.where(Activity.counsellor_id == counsellor_id)
    query = query.order_by(col(Activity.starts_at), col(Activity.id)).limit(limit).offset(offset)
    return session.exec(query).all()


def get_registration(
    *, session: Session, activity_id: uuid.UUID, registration_id: uuid.UUID
) -> ActivityRegistration | None:
    """Gets a registration of one activity."""
    registration = session.get(ActivityRegistration, registration_id)
    if registration is None or registration.activity_id != activity_id:
        return None
    return registration


def registrations_of(
    *, session: Session, activity_id: uuid.UUID, limit: int | None = None, offset: int = 0
) -> Sequence[ActivityRegistration]:
    """An activity's participant list, in order of sign-up."""
    query = (
        select(ActivityRegistration)
        .where(ActivityRegistration.activity_id == activity_id)
        .order_by(col(ActivityRegistration.created_at), col(ActivityRegistration.id))
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return session.exec(query).all()


def find_by_blind_index(
    *, session: Session, column: str, values: Sequence[str]
) -> Sequence[ActivityRegistration]:
    """Registrations whose blind index `column` (email_bidx, phone_bidx) is one of `values`."""
    query = select(ActivityRegistration).where(
        col(getattr(ActivityRegistration, column)).in_(values)
    )
    return session.exec(query).all()


def due_for_deletion(*, session: Session, on: date, limit: int) -> Sequence[ActivityRegistration]:
    """Registrations whose activity has ended by `on`, oldest first."""
    query = (
        select(ActivityRegistration)
        .where(ActivityRegistration.retention_due_date <= on)
        .order_by(col(ActivityRegistration.retention_due_date), col(ActivityRegistration.id))
        .limit(limit)
    )
    return session.exec(query).all()


def due_between(*, session: Session, start: date, until: date) -> Sequence[ActivityRegistration]:
    """Registrations due for deletion from `start` to `until` (both included)."""
    query = (
        select(ActivityRegistration)
        .where(ActivityRegistration.retention_due_date >= start)
        .where(ActivityRegistration.retention_due_date <= until)
        .order_by(col(ActivityRegistration.retention_due_date))
    )
    return session.exec(query).all()


def add(*, session: Session, row: Activity | ActivityRegistration) -> None:
    session.add(row)
    session.flush()


def delete(*, session: Session, row: Activity | ActivityRegistration) -> None:
    session.delete(row)
    session.flush()
