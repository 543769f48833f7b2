"""The rules for consents: the ledger and the state derived from it, idempotent recording,
encryption of the address at rest, and the suppression list."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlmodel import Session

from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import (
    ConsentEvent,
    ConsentEventKind,
    ProcessedMessage,
    Subscriber,
    SuppressionReason,
)
from vern.consent.consents.schemas import (
    ConsentEventCreate,
    ConsentEventRead,
    ConsentRecorded,
    ConsentState,
    SubscriberConsents,
    SubscriberSummary,
)
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.errors import Conflict, FieldError, InvalidInput, NotFound

EMAIL_CONTEXT = "subscriber.email"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back the UTC instants Vern stores without their zone: put it back."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def email_of(vault: Vault, subscriber: Subscriber) -> str | None:
    return vault.decrypt(str(subscriber.id), subscriber.email_ct, context=EMAIL_CONTEXT)


def _in_order(events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
    return sorted(events, key=lambda e: (as_utc(e.occurred_at), as_utc(e.recorded_at)))


def current_states(events: Iterable[ConsentEvent]) -> list[ConsentState]:
    """Each purpose's current state: its latest event wins (by when it happened, so that a late
    delivery of an older event does not undo a newer one)."""
    latest = {event.purpose: event for event in _in_order(events)}
    return [
        ConsentState(purpose=e.purpose, state=e.event, since=as_utc(e.occurred_at), source=e.source)
        for e in sorted(latest.values(), key=lambda e: e.purpose)
    ]


def in_force(events: Iterable[ConsentEvent]) -> bool:
    """Whether any consent is in force (the subscriber's address may be kept)."""
    return any(s.state == ConsentEventKind.given for s in current_states(events))


def last_withdrawn_at(events: Sequence[ConsentEvent]) -> datetime | None:
    """When the last consent in force was withdrawn; None while one is in force."""
    if not events or in_force(events):
        return None
    return max(as_utc(e.occurred_at) for e in events)


def to_event_read(event: ConsentEvent) -> ConsentEventRead:
    return ConsentEventRead(
        id=event.id,
        purpose=event.purpose,
        event=event.event,
        source=event.source,
        actor=event.actor,
        occurred_at=as_utc(event.occurred_at),
        recorded_at=as_utc(event.recorded_at),
        legal_text_hash=event.legal_text_hash,
    )


def record(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    idempotency_key: str,
    data: ConsentEventCreate,
) -> ConsentRecorded:
    """Records a consent event once per Idempotency-Key; a repeat gets the first answer and
    records nothing."""
    fingerprint = vault.blind_index("consent_request", data.model_dump_json())
    message, claimed = consent_repository.claim_message(
        session=session, key=idempotency_key, fingerprint=fingerprint, processed_at=now_utc()
    )
    if not claimed:
        return _replay(message, fingerprint)
    result = _record_event(session=session, vault=vault, principal=principal, data=data)
    message.result_json = result.model_dump_json()
    session.add(message)
    session.flush()
    return result


def _replay(message: ProcessedMessage, fingerprint: str) -> ConsentRecorded:
    if message.request_fingerprint != fingerprint:
        raise InvalidInput(
            "Idempotency-Key: was used for another request",
            errors=[FieldError(field="Idempotency-Key", message="was used for another request")],
        )
    if message.result_json is None:
        raise Conflict("a request with this Idempotency-Key is still being processed")
    return ConsentRecorded.model_validate_json(message.result_json)


def _record_event(
    *, session: Session, vault: Vault, principal: Principal, data: ConsentEventCreate
) -> ConsentRecorded:
    email_bidx = vault.blind_index("email", data.email) if data.email else None
    subscriber = _find_subscriber(session, data, email_bidx)
    if subscriber is None and data.event == ConsentEventKind.withdrawn:
        # Nothing is held to withdraw; keep only the address's keyed hash so no sync adds it.
        if email_bidx is not None:
            consent_repository.suppress(
                session=session, email_bidx=email_bidx, reason=SuppressionReason.withdrawn
            )
        audit.record(session, principal=principal, action="consent.record",
                     subject_type="subscriber", subject_id=None)  # fmt: skip
        return ConsentRecorded(
            subscriber_id=None, consent_event_id=None, purpose=data.purpose, state=data.event
        )
    if subscriber is None:
        subscriber = _create_subscriber(session, vault, principal, data)
    elif (
        data.event == ConsentEventKind.given and data.email and email_bidx != subscriber.email_bidx
    ):
        _change_address(session, vault, subscriber, data.email)
    if data.event == ConsentEventKind.given:
        # A fresh consent is the person's own wish: it overrides an earlier suppression.
        consent_repository.lift_suppression(session=session, email_bidx=subscriber.email_bidx)
    now = now_utc()
    event = ConsentEvent(
        subscriber_id=subscriber.id,
        purpose=data.purpose,
        event=data.event,
        source=data.source,
        actor=data.actor,
        occurred_at=data.occurred_at or now,
        recorded_at=now,
        legal_text_hash=data.legal_text_hash,
    )
    session.add(event)
    session.flush()
    audit.record(session, principal=principal, action="consent.record",
                 subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip
    events = consent_repository.events_of(session=session, subscriber_id=subscriber.id)
    state = next(s.state for s in current_states(events) if s.purpose == data.purpose)
    return ConsentRecorded(
        subscriber_id=subscriber.id, consent_event_id=event.id, purpose=data.purpose, state=state
    )


def _find_subscriber(
    session: Session, data: ConsentEventCreate, email_bidx: str | None
) -> Subscriber | None:
    """The subscriber a consent is about: by the registry person, else by address (linking the
    person to a subscriber who came without one, e.g. from the web form)."""
    if data.subject_ref is not None:
        linked = consent_repository.list_by_subject_refs(
            session=session, subject_refs=[data.subject_ref]
        )
        if linked:
            return linked[0]
    if email_bidx is None:
        return None
    for subscriber in consent_repository.find_by_email_bidx(session=session, email_bidx=email_bidx):
        if subscriber.subject_ref is None or data.subject_ref is None:
            if data.subject_ref is not None:
                subscriber.subject_ref = data.subject_ref
                session.add(subscriber)
            return subscriber
    return None


def _create_subscriber(
    session: Session, vault: Vault, principal: Principal, data: ConsentEventCreate
) -> Subscriber:
    if data.email is None:
        raise InvalidInput(
            "email: is needed to subscribe someone new",
            errors=[FieldError(field="email", message="is needed to subscribe someone new")],
        )
    subscriber_id = uuid.uuid4()
    vault.create_subject_key(str(subscriber_id))
    subscriber = Subscriber(
        id=subscriber_id,
        subject_ref=data.subject_ref,
        email_ct=vault.encrypt(str(subscriber_id), data.email, context=EMAIL_CONTEXT) or "",
        email_bidx=vault.blind_index("email", data.email),
        created_at=now_utc(),
    )
    session.add(subscriber)
    session.flush()
    audit.record(session, principal=principal, action="subscriber.create",
                 subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip
    return subscriber


def _change_address(session: Session, vault: Vault, subscriber: Subscriber, email: str) -> None:
    subscriber.email_ct = vault.encrypt(str(subscriber.id), email, context=EMAIL_CONTEXT) or ""
    subscriber.email_bidx = vault.blind_index("email", email)
    session.add(subscriber)
    session.flush()


def get_consents(
    *, session: Session, principal: Principal, subscriber_id: uuid.UUID
) -> SubscriberConsents:
    """A subscriber's current consents and their whole ledger, for staff."""
    subscriber = consent_repository.get(session=session, subscriber_id=subscriber_id)
    if subscriber is None:
        raise NotFound("no such subscriber")
    events = consent_repository.events_of(session=session, subscriber_id=subscriber.id)
    audit.record(session, principal=principal, action="consent.read",
                 subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip
    return SubscriberConsents(
        subscriber_id=subscriber.id,
        subject_ref=subscriber.subject_ref,
        current=current_states(events),
        history=[to_event_read(e) for e in _in_order(events)],
    )


def list_for_person(
    *, session: Session, principal: Principal, subject_ref: str
) -> list[SubscriberSummary]:
    """The subscribers linked to one registry person."""
    subscribers = consent_repository.list_by_subject_refs(
        session=session, subject_refs=[subject_ref]
    )
    audit.record(session, principal=principal, action="subscriber.list",
                 subject_type="person", subject_id=subject_ref)  # fmt: skip
    return [
        SubscriberSummary(id=s.id, subject_ref=s.subject_ref, created_at=as_utc(s.created_at))
        for s in subscribers
    ]


def erase_subscriber(
    *, session: Session, subscriber: Subscriber, reason: SuppressionReason
) -> None:
    """Deletes a subscriber and their ledger, keeping only the address's keyed hash on the
    suppression list. The caller shreds the subscriber's key once the rows are gone."""
    consent_repository.suppress(session=session, email_bidx=subscriber.email_bidx, reason=reason)
    consent_repository.delete_subscriber(session=session, subscriber=subscriber)
