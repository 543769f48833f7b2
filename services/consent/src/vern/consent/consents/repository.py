"""Every query on subscribers, the consent ledger, processed messages and the suppression list."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from vern.consent.consents.models import (
    ConsentEvent,
    ConsentEventKind,
    ErasureReceipt,
    LegalText,
    ProcessedMessage,
    Subscriber,
    SuppressedAddress,
    SuppressionReason,
)
from vern.consent.providers.models import ProviderContact
from vern.consent.subscriptions import repository as subscription_repository
from vern.kit.clock import now_utc
from vern.kit.outbox import OutboxMessage


def get(*, session: Session, subscriber_id: uuid.UUID) -> Subscriber | None:
    """Gets a subscriber by id."""
    return session.get(Subscriber, subscriber_id)


def list_by_subject_refs(*, session: Session, subject_refs: Sequence[str]) -> Sequence[Subscriber]:
    """Subscribers linked to any of the registry persons, oldest first."""
    query = (
        select(Subscriber)
        .where(col(Subscriber.subject_ref).in_(subject_refs))
        .order_by(col(Subscriber.created_at), col(Subscriber.id))
    )
    return session.exec(query).all()


def find_by_email_bidx(*, session: Session, email_bidx: str) -> Sequence[Subscriber]:
    """Subscribers whose address has this blind index, oldest first."""
    query = (
        select(Subscriber)
        .where(Subscriber.email_bidx == email_bidx)
        .order_by(col(Subscriber.created_at), col(Subscriber.id))
    )
    return session.exec(query).all()


def add_subscriber(*, session: Session, subscriber: Subscriber) -> Subscriber:
    """Inserts a new subscriber; when another transaction has just inserted one for the same
    address and registry person (or none), waits for it to commit and returns that one."""
    try:
        with session.begin_nested():
            session.add(subscriber)
    except IntegrityError:
        query = select(Subscriber).where(
            Subscriber.email_bidx == subscriber.email_bidx,
            col(Subscriber.subject_ref).is_(None)
            if subscriber.subject_ref is None
            else Subscriber.subject_ref == subscriber.subject_ref,
        )
        held = session.exec(query).first()
        if held is None:
            raise
        return held
    return subscriber


def events_of(*, session: Session, subscriber_id: uuid.UUID) -> Sequence[ConsentEvent]:
    """A subscriber's ledger in the order the events happened."""
    query = (
        select(ConsentEvent)
        .where(ConsentEvent.subscriber_id == subscriber_id)
        .order_by(col(ConsentEvent.occurred_at), col(ConsentEvent.recorded_at))
    )
    return session.exec(query).all()


def fully_withdrawn(*, session: Session) -> list[tuple[uuid.UUID, datetime]]:
    """Subscribers none of whose consents is in force, with their last withdrawal, oldest first.

    A purpose's (and newsletter list's) state is its latest event (by when it happened, then when
    it was recorded)."""
    latest = (
        select(
            col(ConsentEvent.subscriber_id).label("subscriber_id"),
            col(ConsentEvent.event).label("event"),
            col(ConsentEvent.occurred_at).label("occurred_at"),
            func.row_number()
            .over(
                partition_by=(
                    col(ConsentEvent.subscriber_id),
                    col(ConsentEvent.purpose),
                    col(ConsentEvent.list_id),
                ),
                order_by=(
                    col(ConsentEvent.occurred_at).desc(),
                    col(ConsentEvent.recorded_at).desc(),
                ),
            )
            .label("position"),
        )
    ).subquery()
    in_force = func.sum(case((latest.c.event == ConsentEventKind.given, 1), else_=0))
    last_withdrawn_at = func.max(latest.c.occurred_at)
    query = (
        select(latest.c.subscriber_id, last_withdrawn_at)
        .where(latest.c.position == 1)
        .group_by(latest.c.subscriber_id)
        .having(in_force == 0)
        .order_by(last_withdrawn_at)
    )
    return [(row[0], row[1]) for row in session.exec(query)]


def delete_subscriber(*, session: Session, subscriber: Subscriber) -> None:
    """Deletes a subscriber with their subscriptions, their ledger, any call or e-mail about them
    not yet sent, and the idempotency records of the requests that named them (whose keyed
    fingerprints were made from requests holding the address)."""
    subject_id = str(subscriber.id)
    subscription_repository.delete_all_of(session=session, subscriber_id=subscriber.id)
    session.exec(
        delete(ProcessedMessage).where(col(ProcessedMessage.result_json).contains(subject_id))
    )
    session.exec(delete(ConsentEvent).where(col(ConsentEvent.subscriber_id) == subscriber.id))
    session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.subject_id) == subject_id, col(OutboxMessage.delivered_at).is_(None)
        )
    )
    session.delete(subscriber)
    session.flush()


def claim_message(
    *, session: Session, key: str, fingerprint: str, processed_at: datetime
) -> tuple[ProcessedMessage, bool]:
    """Claims an idempotency key for this request: (the new row, True), or (the row of the
    request that had it first, False). A concurrent request holding the key makes this wait
    for it to finish."""
    earlier = session.get(ProcessedMessage, key)
    if earlier is not None:
        return earlier, False
    message = ProcessedMessage(key=key, request_fingerprint=fingerprint, processed_at=processed_at)
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        earlier = session.get(ProcessedMessage, key, populate_existing=True)
        if earlier is None:
            raise
        return earlier, False
    return message, True


def stored_email_bidxs(*, session: Session, email_bidxs: Collection[str]) -> set[str]:
    """Which of these address hashes a subscriber, the suppression list or a provider contact
    holds (a blind-index key rotation leaves some under the old key for a while)."""
    found: set[str] = set()
    wanted = sorted(set(email_bidxs))
    for start in range(0, len(wanted), 500):  # SQLite bounds the parameters of a statement
        part = wanted[start : start + 500]
        for column in (
            col(Subscriber.email_bidx),
            col(SuppressedAddress.email_bidx),
            col(ProviderContact.email_bidx),
        ):
            found.update(session.exec(select(column).where(column.in_(part))).all())
    return found


def is_suppressed(*, session: Session, email_bidx: str) -> bool:
    return session.get(SuppressedAddress, email_bidx) is not None


def get_suppression(*, session: Session, email_bidx: str) -> SuppressedAddress | None:
    return session.get(SuppressedAddress, email_bidx)


def suppress(
    *, session: Session, email_bidx: str, reason: SuppressionReason, at: datetime | None = None
) -> None:
    """Puts an address's keyed hash on the suppression list (once; a repeat moves its time),
    as of `at` (now if not given)."""
    entry = session.get(SuppressedAddress, email_bidx)
    if entry is None:
        entry = SuppressedAddress(email_bidx=email_bidx, reason=reason)
    entry.suppressed_at = at or now_utc()
    session.add(entry)
    session.flush()


def lift_suppression(*, session: Session, email_bidx: str) -> None:
    entry = session.get(SuppressedAddress, email_bidx)
    if entry is not None:
        session.delete(entry)
        session.flush()


def delete_processed_before(*, session: Session, before: datetime, limit: int) -> int:
    """Deletes up to `limit` idempotency records older than `before`; returns how many."""
    keys = session.exec(
        select(ProcessedMessage.key)
        .where(col(ProcessedMessage.processed_at) < before)
        .order_by(col(ProcessedMessage.processed_at))
        .limit(limit)
    ).all()
    if keys:
        session.exec(delete(ProcessedMessage).where(col(ProcessedMessage.key).in_(keys)))
    return len(keys)


def count_processed_before(*, session: Session, before: datetime) -> int:
    query = select(func.count()).where(col(ProcessedMessage.processed_at) < before)
    return int(session.exec(query).one())


def get_receipt(*, session: Session, request_id: str) -> ErasureReceipt | None:
    return session.get(ErasureReceipt, request_id)


def add_legal_text(*, session: Session, text_hash: str, text: str, now: datetime) -> None:
    """Stores a legal text unless one with that hash is already there, in one statement, so two
    transactions storing the same new text at once both succeed."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(LegalText)
        .values(hash=text_hash, text=text, created_at=now)
        .on_conflict_do_nothing(index_elements=["hash"])
    )
