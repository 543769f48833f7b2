"""Consent's side of the subject contract (search, export, erase) and its retention sweep."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from vern.consent.blindindex import email_index
from vern.consent.consents import ledger
from vern.consent.consents import repository as consent_repository
from vern.consent.consents import service as consent_service
from vern.consent.consents.models import ConsentSource, Subscriber, SuppressionReason
from vern.consent.consents.models import ErasureReceipt as StoredReceipt
from vern.consent.consents.schemas import SUBJECT_REF_PATTERN
from vern.consent.identifiers import normalise_email
from vern.consent.retention import (
    IDEMPOTENCY_RULE,
    IDEMPOTENCY_WINDOW,
    NEWSLETTER_ADDRESS_RULE,
    UNCONFIRMED_SUBSCRIPTION_RULE,
    subscriber_due_date,
    unconfirmed_due_date,
)
from vern.consent.subscriptions import repository as subscription_repository
from vern.consent.subscriptions import service as subscription_service
from vern.consent.subscriptions.models import Subscription
from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import OSLO, now_utc, today_oslo
from vern.kit.contract import (
    AccessLogEntry,
    ActivityDescription,
    CategoryExport,
    ErasedItem,
    ErasureReceipt,
    ExportResult,
    KeptItem,
    PreviewItem,
    SubjectExport,
    SubjectIdentifiers,
    SubjectMatch,
    SweepResult,
    describe_activity,
)
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile, VernService, VernStore

SERVICE = "consent"
SUBSCRIPTION = "newsletter_subscription"
CONSENT_HISTORY = "consent_history"
SUPPRESSION = "newsletter_suppression"
LEGAL_BASIS = "samtykke, GDPR art. 6 nr. 1 bokstav a"
NEWSLETTER_PURPOSE = "Å sende nyhetsbrev på e-post til den som har samtykket"
HISTORY_RETENTION = "slettes sammen med e-postadressen"
SOURCES = {
    ConsentSource.staff: "Senteret, etter avtale med personen (f.eks. ved inntak)",
    ConsentSource.web_form: "Personen selv, via skjema på nettsiden",
    ConsentSource.self_service: "Personen selv, innlogget med BankID",
    ConsentSource.email_link: "Personen selv, via en lenke i en e-post fra oss",
    ConsentSource.provider: "Nyhetsbrevleverandøren (avmelding, returnert e-post eller klage)",
}
KEPT_SUPPRESSION = KeptItem(
    category=SUPPRESSION,
    reason=(
        "En nøkkelbasert hash av e-postadressen (ikke adressen selv) står på en sperreliste, "
        "slik at nyhetsbrevleverandøren ikke kan legge adressen til igjen."
    ),
)
_SUBJECT_REF = re.compile(SUBJECT_REF_PATTERN)


def search(
    *, session: Session, vault: Vault, identifiers: SubjectIdentifiers
) -> list[SubjectMatch]:
    """Subscribers matching the address exactly (through its blind index) or a registry person."""
    matches: dict[str, list[str]] = {}
    if identifiers.email:
        try:
            email = normalise_email(identifiers.email)
        except ValueError:
            email = None
        if email is not None:
            found = consent_repository.find_by_email_bidx(
                session=session, email_bidx=email_index(session, vault, email)
            )
            for subscriber in found:
                matches.setdefault(str(subscriber.id), []).append("email")
    refs = [ref for ref in identifiers.subject_refs if _SUBJECT_REF.match(ref)]
    if refs:
        for subscriber in consent_repository.list_by_subject_refs(
            session=session, subject_refs=refs
        ):
            matches.setdefault(str(subscriber.id), []).append("subject_ref")
    return [SubjectMatch(subject_id=s, matched_on=m) for s, m in matches.items()]


def _subscriber(session: Session, subject_id: str) -> Subscriber | None:
    try:
        return consent_repository.get(session=session, subscriber_id=uuid.UUID(subject_id))
    except ValueError:
        return None


def _subscribers_of(session: Session, subject_id: str) -> list[Subscriber]:
    """The subscribers a subject id names: consent's own subscriber id, or a registry person's id
    (the registry's erasure of a person reaches consent with the person's id)."""
    own = _subscriber(session, subject_id)
    if own is not None:
        return [own]
    if not _SUBJECT_REF.match(subject_id):
        return []
    return list(consent_repository.list_by_subject_refs(session=session, subject_refs=[subject_id]))


def export(
    *, session: Session, vault: Vault, profile: OrgProfile, principal: Principal,
    request_id: str, subject_ids: list[str],
) -> ExportResult:  # fmt: skip
    """Everything consent holds about the subjects, with why (the profile's newsletter activity),
    until when, and who has read it."""
    subjects = []
    for subject_id in subject_ids:
        subscriber = _subscriber(session, subject_id)
        if subscriber is None:
            continue
        subjects.append(_export_one(session, vault, profile, subscriber))
        audit.record(session, principal=principal, action="subscriber.export",
                     subject_type="subscriber", subject_id=subject_id,
                     reason=f"request {request_id}")  # fmt: skip
    return ExportResult(service=SERVICE, request_id=request_id, subjects=subjects)


def _newsletter_activity(profile: OrgProfile) -> ActivityDescription | None:
    """The profile's processing activity kept in consent under the newsletter-address rule (the
    first one kept in consent if none is), described in the profile's words."""
    store = VernStore(service=VernService.consent)
    kept_here = [a for a in profile.processing_activities.values() if store in a.stored_in]
    kept_here.sort(key=lambda a: a.retention_rule != NEWSLETTER_ADDRESS_RULE)
    if not kept_here:
        return None
    activity = kept_here[0]
    return describe_activity(activity, profile.retention_rules.get(activity.retention_rule))


def _export_one(
    session: Session, vault: Vault, profile: OrgProfile, subscriber: Subscriber
) -> SubjectExport:
    subject_id = str(subscriber.id)
    events = consent_repository.events_of(session=session, subscriber_id=subscriber.id)
    withdrawn_at = consent_service.last_withdrawn_at(events)
    due = subscriber_due_date(last_withdrawn_at=withdrawn_at) if withdrawn_at else None
    source = "; ".join(SOURCES[s] for s in ConsentSource if s in {e.source for e in events})
    subscription = {
        "email": consent_service.email_of(vault, subscriber),
        "subject_ref": subscriber.subject_ref,
        "created_at": consent_service.as_utc(subscriber.created_at).isoformat(),
        "subscriptions": [
            {
                "list_id": s.list_id,
                "status": s.status.value,
                "requested_at": s.requested_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "confirmation_expires_at": s.confirmation_expires_at.isoformat()
                if s.confirmation_expires_at
                else None,
                "ip_network": s.ip_network,
            }
            for s in subscription_repository.of_subscriber(
                session=session, subscriber_id=subscriber.id
            )
        ],
    }
    history = {
        "current": [s.model_dump(mode="json") for s in consent_service.current_states(events)],
        "events": [consent_service.to_event_read(e).model_dump(mode="json") for e in events],
    }
    return SubjectExport(
        subject_id=subject_id,
        categories=[
            _subscription_category(profile, source, due, subscription),
            CategoryExport(
                category=CONSENT_HISTORY,
                purpose="Å kunne vise hva personen har samtykket til, når, hvordan og hos hvem",
                legal_basis=LEGAL_BASIS,
                source=source,
                recipients=[],
                retention_due_date=due,
                data=history,
                retention=HISTORY_RETENTION,
            ),
        ],
        access_log=[
            AccessLogEntry(
                occurred_at=consent_service.as_utc(e.occurred_at),
                actor_kind=e.actor_kind,
                roles=e.roles,
                action=e.action,
                break_glass=e.break_glass,
            )
            for e in audit.subject_events(session, subject_id)
        ],
    )


def _subscription_category(
    profile: OrgProfile, source: str, due: date | None, data: dict[str, Any]
) -> CategoryExport:
    described = _newsletter_activity(profile)
    if described is None:  # a profile without a newsletter activity: consent's own words
        return CategoryExport(
            category=SUBSCRIPTION, purpose=NEWSLETTER_PURPOSE, legal_basis=LEGAL_BASIS,
            source=source, recipients=[], retention_due_date=due, data=data,
        )  # fmt: skip
    fields = described.model_dump()
    fields["source"] = source or described.source  # the ledger knows how it was given
    return CategoryExport(category=SUBSCRIPTION, retention_due_date=due, data=data, **fields)


def erase(
    *, session: Session, vault: Vault, principal: Principal, request_id: str, subject_ids: list[str]
) -> ErasureReceipt:
    """Deletes the subscribers and their ledgers and destroys their keys; repeating a request
    repeats its receipt. Only each address's keyed hash stays, on the suppression list."""
    stored = consent_repository.get_receipt(session=session, request_id=request_id)
    if stored is not None:
        return ErasureReceipt.model_validate_json(stored.receipt_json)
    erased = []
    for subject_id in subject_ids:
        subscribers = _subscribers_of(session, subject_id)
        for subscriber in subscribers:
            subscription_service.delete_subscriber(
                session=session, vault=vault, subscriber=subscriber,
                reason=SuppressionReason.erasure, principal=principal,
            )  # fmt: skip
        if subscribers:
            erased.append(
                ErasedItem(subject_id=subject_id, categories=[SUBSCRIPTION, CONSENT_HISTORY])
            )
        audit.record(session, principal=principal, action="subscriber.erase",
                     subject_type="subscriber", subject_id=subject_id,
                     reason=f"request {request_id}")  # fmt: skip
    receipt = ErasureReceipt(
        service=SERVICE,
        request_id=request_id,
        erased=erased,
        kept=[KEPT_SUPPRESSION] if erased else [],
        completed_at=now_utc(),
    )
    session.add(
        StoredReceipt(
            request_id=request_id, receipt_json=receipt.model_dump_json(), created_at=now_utc()
        )
    )
    session.flush()
    return receipt


def _due(session: Session, until: date) -> list[tuple[uuid.UUID, date]]:
    """Subscribers due under the newsletter-address rule on or before `until`, oldest first."""
    due = []
    for subscriber_id, withdrawn_at in consent_repository.fully_withdrawn(session=session):
        due_date = subscriber_due_date(last_withdrawn_at=consent_service.as_utc(withdrawn_at))
        if due_date <= until:
            due.append((subscriber_id, due_date))
    return due


def _end_of(day: date) -> datetime:
    """The first instant after the Oslo day `day`."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=OSLO).astimezone(UTC)


def sweep(
    *, session: Session, vault: Vault, principal: Principal, dry_run: bool, batch_size: int
) -> SweepResult:
    """Deletes (or, in a dry run, counts) what is due today: subscribers whose every consent is
    withdrawn, subscription requests never confirmed before their link expired, and idempotency
    records past the window in which a sender may retry."""
    today = today_oslo()
    withdrawn = _due(session, today)[:batch_size]
    expired = subscription_repository.expired_pending(
        session=session, until=now_utc(), limit=batch_size
    )
    idempotency_before = now_utc() - IDEMPOTENCY_WINDOW
    counts = {NEWSLETTER_ADDRESS_RULE: len(withdrawn), UNCONFIRMED_SUBSCRIPTION_RULE: len(expired)}
    if dry_run:
        counts[IDEMPOTENCY_RULE] = min(
            batch_size,
            consent_repository.count_processed_before(session=session, before=idempotency_before),
        )
        return SweepResult(service=SERVICE, dry_run=True, on=today, counts=counts)
    counts[IDEMPOTENCY_RULE] = consent_repository.delete_processed_before(
        session=session, before=idempotency_before, limit=batch_size
    )
    for subscriber_id, _ in withdrawn:
        subscriber = consent_repository.get(session=session, subscriber_id=subscriber_id)
        if subscriber is not None:
            subscription_service.delete_subscriber(
                session=session, vault=vault, subscriber=subscriber,
                reason=SuppressionReason.withdrawn, principal=principal,
            )  # fmt: skip
    for subscription in expired:
        _delete_unconfirmed(session, vault, principal, subscription.subscriber_id, subscription)
    return SweepResult(service=SERVICE, dry_run=False, on=today, counts=counts)


def _delete_unconfirmed(
    session: Session,
    vault: Vault,
    principal: Principal,
    subscriber_id: uuid.UUID,
    subscription: Subscription,
) -> None:
    """Deletes an expired request; its subscriber too when nothing else holds the address. No
    hash is kept: an unconfirmed request is not the person's wish, and may not even be theirs."""
    subscriber = consent_repository.get(session=session, subscriber_id=subscriber_id)
    if subscriber is None:
        return
    remaining = [
        s
        for s in subscription_repository.of_subscriber(session=session, subscriber_id=subscriber_id)
        if s.id != subscription.id
    ]
    events = consent_repository.events_of(session=session, subscriber_id=subscriber_id)
    if remaining or ledger.in_force(events):
        subscription_repository.delete_subscription(session=session, subscription=subscription)
        audit.record(session, principal=principal, action="subscription.retention_delete",
                     subject_type="subscriber", subject_id=subscriber_id,
                     reason=UNCONFIRMED_SUBSCRIPTION_RULE)  # fmt: skip
        return
    subscription_service.delete_subscriber(
        session=session, vault=vault, subscriber=subscriber, reason=None, principal=principal
    )


def preview(*, session: Session, until: date) -> list[PreviewItem]:
    """What the sweeps will delete on or before `until` (ids and dates, never addresses)."""
    items = [
        PreviewItem(rule=NEWSLETTER_ADDRESS_RULE, subject_id=str(s), due_date=d)
        for s, d in _due(session, until)
    ]
    for subscription in subscription_repository.expired_pending(
        session=session, until=_end_of(until)
    ):
        assert subscription.confirmation_expires_at is not None
        items.append(
            PreviewItem(
                rule=UNCONFIRMED_SUBSCRIPTION_RULE,
                subject_id=str(subscription.subscriber_id),
                due_date=unconfirmed_due_date(expires_at=subscription.confirmation_expires_at),
            )
        )
    return items


class ConsentStore:
    """Consent's subject store for one app (vern.kit.subjects), under the app's profile."""

    SERVICE = SERVICE

    def __init__(self, profile: OrgProfile) -> None:
        self.profile = profile

    def search(
        self, *, session: Session, vault: Vault, identifiers: SubjectIdentifiers
    ) -> list[SubjectMatch]:
        return search(session=session, vault=vault, identifiers=identifiers)

    def export(
        self, *, session: Session, vault: Vault, principal: Principal, request_id: str,
        subject_ids: list[str],
    ) -> ExportResult:  # fmt: skip
        return export(
            session=session, vault=vault, profile=self.profile, principal=principal,
            request_id=request_id, subject_ids=subject_ids,
        )  # fmt: skip

    def erase(
        self, *, session: Session, vault: Vault, principal: Principal, request_id: str,
        subject_ids: list[str],
    ) -> ErasureReceipt:  # fmt: skip
        return erase(
            session=session, vault=vault, principal=principal, request_id=request_id,
            subject_ids=subject_ids,
        )  # fmt: skip

    def sweep(
        self, *, session: Session, vault: Vault, principal: Principal, dry_run: bool,
        batch_size: int,
    ) -> SweepResult:  # fmt: skip
        return sweep(
            session=session, vault=vault, principal=principal, dry_run=dry_run,
            batch_size=batch_size,
        )  # fmt: skip

    def preview(self, *, session: Session, until: date) -> list[PreviewItem]:
        return preview(session=session, until=until)
