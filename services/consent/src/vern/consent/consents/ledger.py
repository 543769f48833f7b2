"""The state derived from the consent ledger: per purpose (and newsletter list), its latest event."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from vern.consent.consents.models import ConsentEvent, ConsentEventKind
from vern.consent.consents.schemas import ConsentEventRead, ConsentState


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back the UTC instants Vern stores without their zone: put it back."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def in_order(events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
    return sorted(events, key=lambda e: (as_utc(e.occurred_at), as_utc(e.recorded_at)))


def current_states(events: Iterable[ConsentEvent]) -> list[ConsentState]:
    """Each purpose's (and list's) current state: its latest event wins, by when it happened, so
    that a late delivery of an older event does not undo a newer one."""
    latest = {(event.purpose, event.list_id): event for event in in_order(events)}
    return [
        ConsentState(
            purpose=e.purpose,
            list_id=e.list_id,
            state=e.event,
            since=as_utc(e.occurred_at),
            source=e.source,
        )
        for e in sorted(latest.values(), key=lambda e: (e.purpose, e.list_id or ""))
    ]


def in_force(events: Iterable[ConsentEvent], *, except_purpose: str | None = None) -> bool:
    """Whether any consent (other than for `except_purpose`) is in force."""
    return any(
        s.state == ConsentEventKind.given and s.purpose != except_purpose
        for s in current_states(events)
    )


def last_withdrawn_at(events: Sequence[ConsentEvent]) -> datetime | None:
    """When the last consent in force was withdrawn; None while one is in force."""
    if not events or in_force(events):
        return None
    return max(as_utc(e.occurred_at) for e in events)


def to_event_read(event: ConsentEvent) -> ConsentEventRead:
    return ConsentEventRead(
        id=event.id,
        purpose=event.purpose,
        list_id=event.list_id,
        event=event.event,
        source=event.source,
        actor=event.actor,
        occurred_at=as_utc(event.occurred_at),
        recorded_at=as_utc(event.recorded_at),
        legal_text_hash=event.legal_text_hash,
        guardian_ref=event.guardian_ref,
    )
