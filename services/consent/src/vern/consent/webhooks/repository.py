"""Every query on processed webhook events, and the batched address queries of a webhook call."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, any_, bindparam, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, SQLModel, col, delete, select

from vern.consent.consents.models import (
    ConsentEvent,
    Subscriber,
    SuppressedAddress,
    SuppressionReason,
)
from vern.consent.mail.models import MailMessage
from vern.consent.subscriptions.models import Subscription
from vern.consent.webhooks.models import ProcessedWebhookEvent
from vern.kit.outbox import OutboxMessage

# Kept well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
CHUNK = 500
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def claim_events(
    *, session: Session, provider: str, event_ids: Collection[str], received_at: datetime
) -> set[str]:
    """Records the event ids not seen before and returns them; ids already recorded (a
    redelivery) are left out. One INSERT .. ON CONFLICT DO NOTHING per chunk: a concurrent
    delivery of the same id waits for the other transaction and then counts as seen."""
    rows = [
        {"provider": provider, "event_id": e, "received_at": received_at}
        for e in sorted(set(event_ids))
    ]
    return _insert_new(session, ProcessedWebhookEvent, rows, ["provider", "event_id"], "event_id")


def purge_events(*, session: Session, before: datetime) -> int:
    """Deletes processed event ids recorded before `before`; returns how many."""
    result = session.exec(
        delete(ProcessedWebhookEvent).where(col(ProcessedWebhookEvent.received_at) < before)
    )
    return int(result.rowcount or 0)


def subscribers_by_bidx(*, session: Session, email_bidxs: Collection[str]) -> list[Subscriber]:
    """The subscribers holding any of these addresses (by keyed hash)."""
    found: list[Subscriber] = []
    for criterion in _among(session, col(Subscriber.email_bidx), sorted(set(email_bidxs))):
        found.extend(session.exec(select(Subscriber).where(criterion)).all())
    return found


def subscriptions_of(
    *, session: Session, subscriber_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Subscription]]:
    """The subscriptions of many subscribers, by subscriber."""
    found: dict[uuid.UUID, list[Subscription]] = {i: [] for i in subscriber_ids}
    for criterion in _among(session, col(Subscription.subscriber_id), list(subscriber_ids)):
        for subscription in session.exec(select(Subscription).where(criterion)):
            found[subscription.subscriber_id].append(subscription)
    return found


def _among(session: Session, column: Any, values: Sequence[Any]) -> Iterator[ColumnElement[bool]]:
    """`column IN values` for a long list: on PostgreSQL one `= ANY(array)` (a single bound
    array), elsewhere one IN per chunk (SQLite binds at most 32,766 parameters)."""
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
        return
    for part in chunks(values):
        yield column.in_(part)


def delete_subscribers(*, session: Session, subscriber_ids: Sequence[uuid.UUID]) -> None:
    """Deletes many subscribers with everything of theirs, as
    `consents.repository.delete_subscriber` does for one: e-mail waiting to go to them, their
    subscriptions, their ledger, calls about them not yet sent, and the subscriber rows."""
    session.flush()
    for part in chunks(subscriber_ids):
        for statement in (
            delete(MailMessage).where(col(MailMessage.subscriber_id).in_(part)),
            delete(Subscription).where(col(Subscription.subscriber_id).in_(part)),
            delete(ConsentEvent).where(col(ConsentEvent.subscriber_id).in_(part)),
            delete(OutboxMessage).where(
                col(OutboxMessage.subject_id).in_([str(i) for i in part]),
                col(OutboxMessage.delivered_at).is_(None),
            ),
            delete(Subscriber).where(col(Subscriber.id).in_(part)),
        ):
            # The caller lets go of the loaded rows; matching them in Python would cost more.
            session.exec(statement.execution_options(synchronize_session=False))


def suppress_all(*, session: Session, reasons: dict[str, SuppressionReason]) -> int:
    """Puts address hashes on the suppression list (those not on it yet); returns how many."""
    rows = [{"email_bidx": b, "reason": r} for b, r in sorted(reasons.items())]
    return len(_insert_new(session, SuppressedAddress, rows, ["email_bidx"], "email_bidx"))


def _insert_new(
    session: Session,
    model: type[SQLModel],
    rows: list[dict[str, Any]],
    key: list[str],
    returned: str,
) -> set[str]:
    """Inserts the rows whose `key` is not taken yet and returns their `returned` column, in
    Core statements (a batch holds thousands of rows): on PostgreSQL one statement over arrays
    (`unnest`), on SQLite one executemany."""
    if not rows:
        return set()
    table: Table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        names = list(rows[0])
        arrays = [
            bindparam(name, [row[name] for row in rows], type_=ARRAY(table.c[name].type))
            for name in names
        ]
        source = func.unnest(*arrays).table_valued(*names).render_derived()
        statement: Any = postgresql.insert(table).from_select(
            names, select(*(source.c[name] for name in names))
        )
        statement = statement.on_conflict_do_nothing(index_elements=key).returning(
            table.c[returned]
        )
        return set(session.execute(statement).scalars())
    statement = (
        sqlite.insert(table).on_conflict_do_nothing(index_elements=key).returning(table.c[returned])
    )
    return set(session.execute(statement, rows).scalars())
