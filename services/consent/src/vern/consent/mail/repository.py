"""Every query on the e-mail outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete as sql_delete
from sqlalchemy import update
from sqlmodel import Session, col, select

from vern.consent.mail.models import MailMessage


def claim_due(
    *,
    session: Session,
    now: datetime,
    lease_until: datetime,
    only: Sequence[uuid.UUID] | None,
    limit: int,
) -> Sequence[MailMessage]:
    """Claims the messages whose next attempt is due (only the given ones, if any), oldest first,
    by moving their next attempt to `lease_until`, and returns them. Rows another transaction is
    claiming are skipped (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer at a
    time), so once the claim commits no other deliverer takes the same message until the lease
    runs out."""
    due = (
        select(MailMessage.id)
        .where(MailMessage.next_attempt_at <= now)
        .order_by(col(MailMessage.created_at), col(MailMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if only is not None:
        due = due.where(col(MailMessage.id).in_(list(only)))
    claimed = session.execute(
        update(MailMessage)
        .where(col(MailMessage.id).in_(due.scalar_subquery()))
        .where(col(MailMessage.next_attempt_at) <= now)  # checked again after waiting for a lock
        .values(next_attempt_at=lease_until)
        .returning(col(MailMessage.id))
        .execution_options(synchronize_session=False)
    )
    ids = list(claimed.scalars())
    if not ids:
        return []
    query = (
        select(MailMessage)
        .where(col(MailMessage.id).in_(ids))
        .order_by(col(MailMessage.created_at), col(MailMessage.id))
        .execution_options(populate_existing=True)
    )
    return session.exec(query).all()


def delete(*, session: Session, message_id: uuid.UUID) -> bool:
    """Deletes a message; False if it was gone already (e.g. its subscriber was erased)."""
    result = session.execute(sql_delete(MailMessage).where(col(MailMessage.id) == message_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def back_off(
    *, session: Session, message_id: uuid.UUID, next_attempt_at: datetime, error: str
) -> None:
    """Counts a failed attempt and sets when the next one is due."""
    session.execute(
        update(MailMessage)
        .where(col(MailMessage.id) == message_id)
        .values(
            attempts=MailMessage.attempts + 1, last_error=error, next_attempt_at=next_attempt_at
        )
    )
