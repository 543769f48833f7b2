"""What a sweep tells others: `subject.erased` for Vern's services (through the outbox), and the
journal vendor where the profile's rule `notifies` it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Literal

from sqlalchemy import insert, select
from sqlmodel import Session, col

from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.idlists import one_of
from vern.kit.orgprofile import OrgProfile
from vern.kit.outbox import OutboxMessage
from vern.registry.journal import events as journal_events
from vern.registry.persons.models import Person

SUBJECT_ERASED = "subject.erased"
# Consent holds newsletter consents under the registry's person id (`subject_ref`).
SUBJECT_ERASED_TARGETS = (("consent", "/consent/internal/events"),)
# The outbox seals each payload under a subject key. These payloads hold only ids, rule and date,
# and must outlive the subjects they name (whose keys the sweep destroys), so they are sealed
# under the registry's own key for its events, which is never shredded.
EVENTS_KEY = "registry.events"


def subject_erased(
    session: Session,
    vault: Vault,
    *,
    subject_type: str,
    subject_ids: Sequence[str],
    on: date,
    rule_id: str | None = None,
    reason: str = "retention",
) -> None:
    """One outbox message per peer for subjects deleted under a retention rule (`rule_id`) or
    on request (`reason="erasure_request"`)."""
    if not subject_ids:
        return
    vault.create_subject_key(EVENTS_KEY)
    now = now_utc()
    payload = json.dumps(
        {
            "type": SUBJECT_ERASED,
            "source": "registry",
            "subject_type": subject_type,
            "subject_refs": list(subject_ids),
            "reason": reason,
            "rule": rule_id,
            "on": on.isoformat(),
        }
    )
    rows = [
        {
            "id": uuid.uuid4(),
            "created_at": now,
            "target": target,
            "path": path,
            "subject_id": EVENTS_KEY,
            "payload": vault.encrypt(EVENTS_KEY, payload, context="outbox.payload"),
            "attempts": 0,
            "next_attempt_at": now,
        }
        for target, path in SUBJECT_ERASED_TARGETS
    ]
    session.connection().execute(insert(OutboxMessage.__table__), rows)  # type: ignore[attr-defined]


def notify_journal(
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    *,
    person_ids: Sequence[uuid.UUID],
    reason: Literal["erasure_request", "retention_expired"] = "retention_expired",
) -> None:
    """Tells the journal vendor (a signed webhook, for clients who consented to the journal) that
    each client's journal must go: `journal.retention_due` with the client's due date when the
    retention rule deletes them, `subject.erased` when they asked for erasure. Call before the
    clients are deleted: the event needs the vendor's reference, which is deleted with them."""
    if reason == "erasure_request":
        for person_id in person_ids:
            journal_events.enqueue_subject_erased(
                session, person_id=person_id, reason=reason, vault=vault, profile=profile
            )
        return
    due = session.execute(
        select(col(Person.id), col(Person.retention_due_date)).where(
            one_of(col(Person.id), list(person_ids), dialect=session.get_bind().dialect.name)
        )
    ).all()
    for person_id, due_date in due:
        journal_events.enqueue_retention_due(
            session, person_id=person_id, due_date=due_date, vault=vault, profile=profile
        )
