"""What a sweep tells others: `subject.erased` for Vern's services (through the outbox), and the
journal vendor where the profile's rule `notifies` it."""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Literal, Protocol, cast

from sqlalchemy import insert
from sqlmodel import Session

from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile
from vern.kit.outbox import OutboxMessage

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


class _JournalEvents(Protocol):
    def enqueue_subject_erased(
        self,
        session: Session,
        *,
        person_id: uuid.UUID,
        reason: Literal["erasure_request", "retention_expired"],
        vault: Vault | None = None,
        profile: OrgProfile | None = None,
    ) -> list[OutboxMessage]: ...


def _journal_events() -> _JournalEvents | None:
    # JOURNAL HOOK: vern.registry.journal.events is the journal package's; until it is in the
    # tree there is no vendor webhook to send.
    try:
        return cast(_JournalEvents, importlib.import_module("vern.registry.journal.events"))
    except ModuleNotFoundError:
        return None


def notify_journal(
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    *,
    person_ids: Sequence[uuid.UUID],
    reason: Literal["erasure_request", "retention_expired"] = "retention_expired",
) -> None:
    """Tells the journal vendor that each client's journal must be erased (a signed webhook, for
    clients who consented to the journal). Call before the clients are deleted: the event needs
    the vendor's reference, which is deleted with them."""
    journal = _journal_events()
    if journal is None:
        return
    for person_id in person_ids:
        journal.enqueue_subject_erased(
            session, person_id=person_id, reason=reason, vault=vault, profile=profile
        )
