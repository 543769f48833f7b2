"""The rules for consents: purposes from the org profile, the append-only ledger and the state
derived from it, idempotent recording, encryption of the address at rest, and the suppression
list. A newsletter consent also (un)subscribes the list it is about."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import Session

from vern.consent.blindindex import email_index
from vern.consent.consents import repository as consent_repository
from vern.consent.consents.ledger import (
    as_utc,
    current_states,
    in_order,
    last_withdrawn_at,
    to_event_read,
)
from vern.consent.consents.models import (
    ConsentEvent,
    ConsentEventKind,
    LegalText,
    ProcessedMessage,
    Subscriber,
    SuppressionReason,
)
from vern.consent.consents.schemas import (
    ConsentEventCreate,
    ConsentRecorded,
    LegalTextRead,
    SubscriberConsents,
    SubscriberSummary,
)
from vern.consent.lists import service as list_service
from vern.consent.lists.service import NEWSLETTER_PURPOSE
from vern.consent.subscriptions import service as subscription_service
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from vern.kit.orgprofile.schema import OrgProfile
from vern.kit.orgprofile.vocabulary import Article6Basis

__all__ = ["as_utc", "current_states", "last_withdrawn_at", "to_event_read"]

EMAIL_CONTEXT = subscription_service.EMAIL_CONTEXT


def email_of(vault: Vault, subscriber: Subscriber) -> str | None:
    return vault.decrypt(str(subscriber.id), subscriber.email_ct, context=EMAIL_CONTEXT)


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[FieldError(field=field, message=message)])


def consent_purposes(profile: OrgProfile) -> set[str]:
    """The purposes the centre asks consent for: its processing activities based on consent."""
    return {
        key
        for key, activity in profile.processing_activities.items()
        if Article6Basis.consent in activity.legal_basis.article6
    }


def _checked(session: Session, profile: OrgProfile, data: ConsentEventCreate) -> ConsentEventCreate:
    """Refuses a purpose, list or legal text the centre does not have; fills in the list."""
    if data.purpose not in consent_purposes(profile):
        raise _invalid("purpose", "is not a purpose this centre asks consent for")
    if data.purpose != NEWSLETTER_PURPOSE:
        if data.list_id is not None:
            raise _invalid("list_id", "is only for the newsletter purpose")
    else:
        list_id = data.list_id or list_service.default_list_id(profile)
        if list_id is None:
            raise _invalid("purpose", "this centre has no newsletter list")
        list_service.get_list(profile, list_id)
        data = data.model_copy(update={"list_id": list_id})
    if data.legal_text_hash is not None and session.get(LegalText, data.legal_text_hash) is None:
        raise _invalid("legal_text_hash", "is not a known legal text; send legal_text instead")
    return data


def record(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    links: subscription_service.Links,
    confirmation_valid_for: timedelta,
    principal: Principal,
    idempotency_key: str,
    data: ConsentEventCreate,
) -> ConsentRecorded:
    """Records a consent event once per Idempotency-Key; a repeat gets the first answer and
    records nothing."""
    fingerprints = vault.blind_indexes("consent_request", data.model_dump_json())
    fingerprint = fingerprints[0]
    data = _checked(session, profile, data)
    message, claimed = consent_repository.claim_message(
        session=session, key=idempotency_key, fingerprint=fingerprint, processed_at=now_utc()
    )
    if not claimed:
        return _replay(message, fingerprints)
    if data.legal_text is not None:
        text_hash = list_service.store_legal_text(session=session, text=data.legal_text)
        data = data.model_copy(update={"legal_text_hash": text_hash, "legal_text": None})
    result = _record_event(
        session=session, vault=vault, profile=profile, links=links,
        valid_for=confirmation_valid_for,
        principal=principal, data=data,
    )  # fmt: skip
    message.result_json = result.model_dump_json()
    session.add(message)
    session.flush()
    return result


def _replay(message: ProcessedMessage, fingerprints: list[str]) -> ConsentRecorded:
    if message.request_fingerprint not in fingerprints:
        raise _invalid("Idempotency-Key", "was used for another request")
    if message.result_json is None:
        raise Conflict("a request with this Idempotency-Key is still being processed")
    return ConsentRecorded.model_validate_json(message.result_json)


def _record_event(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    links: subscription_service.Links,
    valid_for: timedelta,
    principal: Principal,
    data: ConsentEventCreate,
) -> ConsentRecorded:
    email_bidx = email_index(session, vault, data.email) if data.email else None
    subscriber = _find_subscriber(session, data, email_bidx)
    newsletter = data.purpose == NEWSLETTER_PURPOSE
    answer = ConsentRecorded(
        subscriber_id=subscriber.id if subscriber else None, consent_event_id=None,
        purpose=data.purpose, list_id=data.list_id, state=ConsentEventKind.withdrawn,
    )  # fmt: skip
    if data.event == ConsentEventKind.withdrawn and (subscriber is None or newsletter):
        bidx = subscriber.email_bidx if subscriber else email_bidx
        if bidx is not None and newsletter:
            # Deletes the address at once if it is on no other list (the seeds' promise).
            subscription_service.remove_address(
                session=session, vault=vault, email_bidx=bidx, reason=SuppressionReason.withdrawn,
                principal=principal, list_id=data.list_id, source=data.source,
                ledger_actor=data.actor,
            )  # fmt: skip
        elif bidx is not None:
            consent_repository.suppress(
                session=session, email_bidx=bidx, reason=SuppressionReason.withdrawn
            )
        audit.record(session, principal=principal, action="consent.record",
                     subject_type="subscriber", subject_id=answer.subscriber_id)  # fmt: skip
        still = subscriber and consent_repository.get(session=session, subscriber_id=subscriber.id)
        return answer.model_copy(update={"subscriber_id": still.id if still else None})
    bidx = subscriber.email_bidx if subscriber else email_bidx
    suppression = (
        consent_repository.get_suppression(session=session, email_bidx=bidx) if bidx else None
    )
    if newsletter and suppression is not None:
        # Only the address's own confirmation lifts a suppression: ask for it, unless this
        # consent was given before the address was suppressed (a late delivery).
        occurred_at = data.occurred_at or now_utc()
        if suppression.suppressed_at is None or as_utc(suppression.suppressed_at) < occurred_at:
            _ask_to_confirm(session, vault, profile, links, valid_for, subscriber, data)
        audit.record(session, principal=principal, action="consent.record",
                     subject_type="subscriber", subject_id=answer.subscriber_id)  # fmt: skip
        return answer
    if subscriber is None:
        subscriber = _create_subscriber(session, vault, principal, data)
    elif (
        data.event == ConsentEventKind.given and data.email and email_bidx != subscriber.email_bidx
    ):
        _change_address(session, vault, subscriber, data.email)
    event = _append(session, subscriber, data)
    audit.record(session, principal=principal, action="consent.record",
                 subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip
    events = consent_repository.events_of(session=session, subscriber_id=subscriber.id)
    state = next(
        s.state
        for s in current_states(events)
        if (s.purpose, s.list_id) == (data.purpose, data.list_id)
    )
    if newsletter and data.list_id and state == ConsentEventKind.given:
        subscription_service.subscribe_confirmed(
            session=session, vault=vault, subscriber=subscriber, list_id=data.list_id,
            at=as_utc(event.occurred_at),
        )  # fmt: skip
    return answer.model_copy(
        update={"subscriber_id": subscriber.id, "consent_event_id": event.id, "state": state}
    )


def _append(session: Session, subscriber: Subscriber, data: ConsentEventCreate) -> ConsentEvent:
    now = now_utc()
    event = ConsentEvent(
        subscriber_id=subscriber.id,
        purpose=data.purpose,
        list_id=data.list_id,
        event=data.event,
        source=data.source,
        actor=data.actor,
        occurred_at=data.occurred_at or now,
        recorded_at=now,
        legal_text_hash=data.legal_text_hash,
        guardian_ref=data.guardian_ref,
    )
    session.add(event)
    session.flush()
    return event


def _ask_to_confirm(
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    links: subscription_service.Links,
    valid_for: timedelta,
    subscriber: Subscriber | None,
    data: ConsentEventCreate,
) -> None:
    email = data.email or (email_of(vault, subscriber) if subscriber else None)
    if email is None or data.list_id is None:
        return
    subscription_service.request_subscription(
        session=session, vault=vault, profile=profile, links=links, email=email,
        list_id=data.list_id, ip_network=None, valid_for=valid_for,
    )  # fmt: skip
    if data.subject_ref is not None:
        for found in consent_repository.find_by_email_bidx(
            session=session, email_bidx=email_index(session, vault, email)
        ):
            if found.subject_ref is None:
                found.subject_ref = data.subject_ref
                session.add(found)
        session.flush()


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
        raise _invalid("email", "is needed to subscribe someone new")
    subscriber, created = subscription_service.create_subscriber(
        session=session, vault=vault, email=data.email, subject_ref=data.subject_ref
    )
    if created:
        audit.record(session, principal=principal, action="subscriber.create",
                     subject_type="subscriber", subject_id=subscriber.id)  # fmt: skip
    return subscriber


def _change_address(session: Session, vault: Vault, subscriber: Subscriber, email: str) -> None:
    subscriber.email_ct = vault.encrypt(str(subscriber.id), email, context=EMAIL_CONTEXT) or ""
    subscriber.email_bidx = email_index(session, vault, email)
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
        history=[to_event_read(e) for e in in_order(events)],
    )


def get_legal_text(*, session: Session, text_hash: str) -> LegalTextRead:
    """The exact text a ledger entry cites."""
    found = session.get(LegalText, text_hash)
    if found is None:
        raise NotFound("no such legal text")
    return LegalTextRead(hash=found.hash, text=found.text)


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
