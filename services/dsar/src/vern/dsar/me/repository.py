"""Every query on e-mail proofs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from vern.dsar.me.models import EmailProof


def add(*, session: Session, proof: EmailProof) -> None:
    """Stores a new proof."""
    session.add(proof)
    session.flush()


def get(*, session: Session, proof_id: uuid.UUID) -> EmailProof | None:
    """Gets a proof by its id."""
    return session.get(EmailProof, proof_id)


def started_since(
    *, session: Session, subject_bidxs: Sequence[str], since: datetime
) -> list[datetime]:
    """When the subject's proofs started since `since`, oldest first (for the rate limit)."""
    statement = (
        select(EmailProof.created_at)
        .where(col(EmailProof.subject_bidx).in_(subject_bidxs))
        .where(col(EmailProof.created_at) >= since)
        .order_by(col(EmailProof.created_at))
    )
    return list(session.exec(statement).all())


def started_before(*, session: Session, before: datetime, limit: int) -> list[uuid.UUID]:
    """Ids of proofs started before `before`, oldest first."""
    statement = (
        select(EmailProof.id)
        .where(col(EmailProof.created_at) < before)
        .order_by(col(EmailProof.created_at))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def delete_many(*, session: Session, proof_ids: Sequence[uuid.UUID]) -> None:
    """Deletes these proofs."""
    if proof_ids:
        session.execute(delete(EmailProof).where(col(EmailProof.id).in_(proof_ids)))
        session.flush()
