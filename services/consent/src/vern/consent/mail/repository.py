"""Every query on the e-mail outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from vern.consent.mail.models import MailMessage


def due(
    *, session: Session, now: datetime, only: Sequence[uuid.UUID] | None, limit: int
) -> Sequence[MailMessage]:
    """Messages whose next attempt is due, oldest first (only the given ones, if any)."""
    query = (
        select(MailMessage)
        .where(MailMessage.next_attempt_at <= now)
        .order_by(col(MailMessage.created_at), col(MailMessage.id))
        .limit(limit)
    )
    if only is not None:
        query = query.where(col(MailMessage.id).in_(list(only)))
    return session.exec(query).all()


def delete(*, session: Session, message: MailMessage) -> None:
    session.delete(message)
