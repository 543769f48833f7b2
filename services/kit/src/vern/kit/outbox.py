"""Durable outbox: calls to other services are stored in the caller's transaction and delivered
after commit, retried with backoff until they succeed, so nothing is lost when a peer is down.

A target is anything with `post(path, *, json, idempotency_key)`: a `ServiceClient` for another
Vern service, or a `vern.kit.webhooks.WebhookClient` for an outside system's signed webhook. Both
get the message id as the idempotency key, the same on every retry."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx
from sqlalchemy import Column, Text, update
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.db import UTCDateTime
from vern.kit.logging import get_logger

log = get_logger(__name__)
MAX_BACKOFF = timedelta(hours=1)
# How long a claimed batch stays away from other deliveries (a peer may be slow to answer).
CLAIM_LEASE = timedelta(minutes=15)


class Deliverer(Protocol):
    """Where a target's messages go (`vern.kit.http.ServiceClient`, `vern.kit.webhooks.WebhookClient`)."""

    def post(
        self, path: str, *, json: Any, idempotency_key: str | None = None
    ) -> httpx.Response: ...


class OutboxMessage(SQLModel, table=True):
    """One call to another service, waiting to be delivered. The payload is sealed with the
    subject's key, so erasing the subject makes an undelivered payload unreadable too."""

    __tablename__ = "outbox_message"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    target: str = Field(max_length=32, index=True)
    path: str = Field(max_length=255)
    subject_id: str = Field(max_length=64, index=True)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    delivered_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )
    last_error: str | None = Field(default=None, max_length=255)


def enqueue(
    session: Session,
    vault: Vault,
    *,
    target: str,
    path: str,
    subject_id: str,
    payload: Mapping[str, Any],
    message_id: uuid.UUID | None = None,
) -> OutboxMessage:
    """Stores a call in the current transaction; it is sent only if the transaction commits.

    With a `message_id` (e.g. derived from the event it carries) enqueueing is idempotent: a
    message with that id already stored is returned as it is, so the receiver gets one event."""
    if message_id is not None:
        existing = session.get(OutboxMessage, message_id)
        if existing is not None:
            return existing
    now = datetime.now(UTC)
    message = OutboxMessage(
        id=message_id or uuid.uuid4(),
        created_at=now,
        target=target,
        path=path,
        subject_id=subject_id,
        payload=vault.encrypt(subject_id, json.dumps(payload), context="outbox.payload") or "",
        next_attempt_at=now,
    )
    session.add(message)
    session.flush()
    return message


def deliver_due(
    engine: Engine,
    vault: Vault,
    clients: Mapping[str, Deliverer],
    *,
    limit: int = 100,
    only: uuid.UUID | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Delivers messages whose time has come (by `now`, the current time unless given); returns
    counts of delivered, failed and dropped.

    The messages are claimed first, in a transaction of their own: their next attempt moves a
    lease ahead (rows another delivery is claiming are skipped: `FOR UPDATE SKIP LOCKED` on
    PostgreSQL, one writer at a time on SQLite), so deliveries running at once do not send the
    same message; one is sent again only if its deliverer dies and the lease runs out."""
    counts = {"delivered": 0, "failed": 0, "dropped": 0}
    now = now or datetime.now(UTC)
    due = (
        select(OutboxMessage.id)
        .where(col(OutboxMessage.delivered_at).is_(None))
        .where(col(OutboxMessage.next_attempt_at) <= now)
        .order_by(col(OutboxMessage.created_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if only is not None:
        due = due.where(OutboxMessage.id == only)
    with Session(engine, expire_on_commit=False) as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(due.scalar_subquery()))
            .where(col(OutboxMessage.delivered_at).is_(None))  # checked again after a lock wait
            .where(col(OutboxMessage.next_attempt_at) <= now)
            .values(next_attempt_at=max(now, datetime.now(UTC)) + CLAIM_LEASE)
            .returning(col(OutboxMessage.id))
            .execution_options(synchronize_session=False)
        )
        ids = list(claimed.scalars())
        messages = list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.id).in_(ids))
                .order_by(col(OutboxMessage.created_at))
            )
        )
        session.commit()
    for message in messages:
        outcome = _deliver_one(engine, vault, clients, message, now)
        counts[outcome] += 1
    return counts


def _deliver_one(
    engine: Engine,
    vault: Vault,
    clients: Mapping[str, Deliverer],
    message: OutboxMessage,
    now: datetime,
) -> str:
    error: str | None = None
    outcome = "delivered"
    try:
        payload = json.loads(
            vault.decrypt(message.subject_id, message.payload, context="outbox.payload") or "{}"
        )
        clients[message.target].post(message.path, json=payload, idempotency_key=str(message.id))
    except SubjectKeyMissing:
        outcome = "dropped"  # the subject was erased before the call went out: nothing to send
    except (httpx.HTTPError, KeyError) as exc:
        outcome = "failed"
        error = _describe(exc)
    with Session(engine) as session:
        stored = session.get(OutboxMessage, message.id)
        if stored is None or stored.delivered_at is not None:
            return outcome
        stored.attempts += 1
        if outcome == "failed":
            stored.last_error = error
            stored.next_attempt_at = max(now, datetime.now(UTC)) + min(
                timedelta(seconds=2**stored.attempts), MAX_BACKOFF
            )
            log.warning(
                "outbox delivery failed",
                message_id=str(stored.id),
                target=stored.target,
                attempts=stored.attempts,
                error=error,
            )
        else:
            stored.delivered_at = datetime.now(UTC)
            stored.next_attempt_at = now  # the claim's lease is over
            stored.last_error = None if outcome == "delivered" else "subject erased before delivery"
        session.add(stored)
        session.commit()
    return outcome


def _describe(exc: Exception) -> str:
    # Status codes and exception classes only: response bodies could echo personal data.
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__
