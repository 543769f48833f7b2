"""Every query on processed webhook events, and the batched address queries of a webhook call."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import insert
from sqlmodel import Session, col, delete, select

from vern.consent.consents.models import Subscriber, SuppressedAddress, SuppressionReason
from vern.consent.webhooks.models import ProcessedWebhookEvent

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
    redelivery) are left out. Concurrent deliveries of one id are serialised by the primary
    key: the second transaction waits for the first and then fails, and the provider retries."""
    wanted = sorted(set(event_ids))
    seen: set[str] = set()
    for part in chunks(wanted):
        query = select(ProcessedWebhookEvent.event_id).where(
            ProcessedWebhookEvent.provider == provider,
            col(ProcessedWebhookEvent.event_id).in_(part),
        )
        seen.update(session.exec(query).all())
    new = [event_id for event_id in wanted if event_id not in seen]
    if new:
        session.execute(
            insert(ProcessedWebhookEvent),
            [{"provider": provider, "event_id": e, "received_at": received_at} for e in new],
        )
    return set(new)


def purge_events(*, session: Session, before: datetime) -> int:
    """Deletes processed event ids recorded before `before`; returns how many."""
    result = session.exec(
        delete(ProcessedWebhookEvent).where(col(ProcessedWebhookEvent.received_at) < before)
    )
    return int(result.rowcount or 0)


def held_addresses(*, session: Session, email_bidxs: Collection[str]) -> set[str]:
    """Which of these address hashes Vern still holds an address for."""
    wanted = sorted(set(email_bidxs))
    held: set[str] = set()
    for part in chunks(wanted):
        query = select(Subscriber.email_bidx).where(col(Subscriber.email_bidx).in_(part))
        held.update(session.exec(query).all())
    return held


def suppress_all(*, session: Session, reasons: dict[str, SuppressionReason]) -> int:
    """Puts address hashes on the suppression list (those not on it yet); returns how many."""
    wanted = sorted(reasons)
    present: set[str] = set()
    for part in chunks(wanted):
        query = select(SuppressedAddress.email_bidx).where(
            col(SuppressedAddress.email_bidx).in_(part)
        )
        present.update(session.exec(query).all())
    new = [{"email_bidx": b, "reason": reasons[b]} for b in wanted if b not in present]
    if new:
        session.execute(insert(SuppressedAddress), new)
    return len(new)
