"""What Vern tells the journal vendor: signed webhooks (Standard Webhooks) through the outbox.

`subject.erased` when a client is erased (on request or by the retention sweep), and
`journal.retention_due` when a client's retention due date has come and the journal's session
notes must go. The profile says which vendor is told (a retention rule enforced by the registry
with `notifies: [<journal vendor>]`); registry settings give its URL and secret.

The erase and sweep code calls `enqueue_subject_erased` / `enqueue_retention_due` in its own
transaction, before it deletes the client (the vendor's reference is deleted with the client).
The event is sealed under a key of its own (`journal:<client id>`), not the client's, so that
erasing the client does not destroy the message that tells the vendor to erase too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from vern.kit import outbox
from vern.kit.clock import now_utc, today_oslo
from vern.kit.crypto import Vault
from vern.kit.orgprofile import Module, OrgProfile, ServiceSweep, VernService
from vern.kit.outbox import OutboxMessage
from vern.kit.webhooks import WebhookClient
from vern.registry.config import RegistrySettings
from vern.registry.journal import service as journal_service
from vern.registry.journal.schemas import (
    ErasureReason,
    RetentionDue,
    RetentionDueData,
    SubjectErased,
    SubjectErasedData,
)
from vern.registry.persons import repository as person_repository

# Message ids (and so webhook-ids) derive from the event, so enqueueing one twice sends it once.
_EVENT_NAMESPACE = uuid.UUID("6f1d3a52-1c7e-4a55-9a64-3c0b1f0e7a21")
# The key a client's journal events are sealed with: `journal:<client id>`.
KEY_PREFIX = "journal:"


def notified_vendors(profile: OrgProfile) -> list[str]:
    """The journal vendors (outside-system ids) the registry tells, by the profile."""
    if not profile.modules.is_on(Module.journal_vendor):
        return []
    vendors: list[str] = []
    for rule in profile.retention_rules.values():
        for enforcer in rule.enforced_by:
            if isinstance(enforcer, ServiceSweep) and enforcer.service is VernService.registry:
                vendors += [v for v in enforcer.notifies if v not in vendors]
    return vendors


def target(vendor: str) -> str:
    """The outbox target of a vendor's webhooks."""
    return f"journal:{vendor}"


def vendor_clients(settings: RegistrySettings, profile: OrgProfile) -> dict[str, WebhookClient]:
    """One webhook client per notified vendor, for the app's outbox peers."""
    vendors = notified_vendors(profile)
    if len(vendors) > 1:
        raise ValueError(
            "the registry's settings configure one journal vendor; the profile names more"
        )
    return {
        target(vendor): WebhookClient(
            url=settings.journal_webhook_url,
            secret=settings.journal_webhook_secret,
            timeout_seconds=settings.http_timeout_seconds,
        )
        for vendor in vendors
    }


def enqueue_subject_erased(
    session: Session,
    *,
    person_id: uuid.UUID,
    reason: ErasureReason,
    vault: Vault,
    profile: OrgProfile,
) -> list[OutboxMessage]:
    """Queues `subject.erased` for each notified vendor, if the client ever consented to the journal.
    Call before deleting the client."""

    def event(reference: str | None) -> BaseModel:
        return SubjectErased(
            timestamp=now_utc(),
            data=SubjectErasedData(
                client_id=person_id,
                vendor_reference=reference,
                reason=reason,
                erased_on=today_oslo(),
            ),
        )

    return _enqueue(session, person_id, "subject.erased", "", event, vault, profile)


def enqueue_retention_due(
    session: Session,
    *,
    person_id: uuid.UUID,
    due_date: date,
    vault: Vault,
    profile: OrgProfile,
) -> list[OutboxMessage]:
    """Queues `journal.retention_due` for each notified vendor, if the client ever consented to the
    journal. Call before deleting the client."""

    def event(reference: str | None) -> BaseModel:
        return RetentionDue(
            timestamp=now_utc(),
            data=RetentionDueData(
                client_id=person_id, vendor_reference=reference, due_date=due_date
            ),
        )

    return _enqueue(
        session, person_id, "journal.retention_due", due_date.isoformat(), event, vault, profile
    )


def _enqueue(
    session: Session,
    person_id: uuid.UUID,
    event_type: str,
    discriminator: str,
    make_event: Callable[[str | None], BaseModel],
    vault: Vault,
    profile: OrgProfile,
) -> list[OutboxMessage]:
    vendors = notified_vendors(profile)
    person = person_repository.get(session=session, person_id=person_id)
    # A client who never consented was never in the journal: the vendor hears nothing of them.
    if not vendors or person is None or person.journal_consent_at is None:
        return []
    reference = journal_service.vendor_reference(session=session, vault=vault, person_id=person_id)
    subject = f"{KEY_PREFIX}{person_id}"
    vault.create_subject_key(subject)
    payload = make_event(reference).model_dump(mode="json")
    return [
        outbox.enqueue(
            session,
            vault,
            target=target(vendor),
            path="",
            subject_id=subject,
            payload=payload,
            message_id=uuid.uuid5(
                _EVENT_NAMESPACE, f"{vendor}/{event_type}/{person_id}/{discriminator}"
            ),
        )
        for vendor in vendors
    ]


def forget_delivered(engine: Engine, vault: Vault) -> int:
    """Once every journal event about a client has reached the vendor, shreds their key and
    deletes them: what Vern told the vendor about an erased client is not kept after it arrived.
    Returns how many clients' events were forgotten."""
    ours = col(OutboxMessage.subject_id).startswith(KEY_PREFIX)
    delivered = col(OutboxMessage.delivered_at).is_not(None)
    with Session(engine) as session:
        done = set(session.exec(select(OutboxMessage.subject_id).where(ours, delivered)).all())
        waiting = session.exec(select(OutboxMessage.subject_id).where(ours, ~delivered)).all()
        subjects = sorted(done.difference(waiting))
        if not subjects:
            return 0
        # Keys first: should the delete then fail, the rows left behind can no longer be read.
        for subject in subjects:
            vault.shred(subject)
        session.execute(
            delete(OutboxMessage).where(col(OutboxMessage.subject_id).in_(subjects), delivered)
        )
        session.commit()
    return len(subjects)
