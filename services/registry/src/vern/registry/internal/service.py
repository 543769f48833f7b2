"""The registry's side of the subject contract: search, export and erase over every category it
holds about a person (client record, related persons, contact events, waiting-list entries,
activity registrations), and its retention sweep (vern.registry.sweeps).

A subject here is one row with its own data key: a client (person), a waiting-list entry or an
activity registration. Search finds all three through the blind indexes, so an access or erasure
request reaches the entry someone left on the waiting list or a course list as well as the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from vern.kit import audit, keyadmin
from vern.kit.auth import Principal
from vern.kit.clock import now_utc, today_oslo
from vern.kit.contract import (
    AccessLogEntry,
    CategoryExport,
    ErasedItem,
    ErasureReceipt,
    ExportResult,
    PreviewItem,
    SubjectExport,
    SubjectIdentifiers,
    SubjectMatch,
    SweepResult,
)
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile
from vern.registry.activities import repository as activity_repository
from vern.registry.activities import service as activity_service
from vern.registry.activities.models import Activity, ActivityRegistration
from vern.registry.contacts import repository as contact_repository
from vern.registry.contacts.schemas import ContactRead
from vern.registry.identifiers import normalise_email, normalise_national_id, normalise_phone
from vern.registry.internal import categories
from vern.registry.persons import repository as person_repository
from vern.registry.persons import service as person_service
from vern.registry.persons.models import ErasureReceipt as StoredReceipt
from vern.registry.persons.models import Person
from vern.registry.sweeps import events
from vern.registry.sweeps import repository as sweep_repository
from vern.registry.sweeps import service as sweep_service
from vern.registry.sweeps.plans import ACTIVITY_REGISTRATION, PERSON, WAITLIST_ENTRY
from vern.registry.waitlist import repository as waitlist_repository
from vern.registry.waitlist import service as waitlist_service
from vern.registry.waitlist.models import WaitlistEntry

SERVICE = "registry"
CONTACTS_EXPORTED = 10_000
Row = Person | WaitlistEntry | ActivityRegistration


def search(
    *, session: Session, vault: Vault, identifiers: SubjectIdentifiers
) -> list[SubjectMatch]:
    """Clients, waiting-list entries and activity registrations matching any identifier exactly,
    through the blind indexes (a national id is only ever in a client's record)."""
    matches: dict[str, list[str]] = {}
    lookups = [
        ("national_id", identifiers.national_id, normalise_national_id),
        ("email", identifiers.email, normalise_email),
        ("phone", identifiers.phone, normalise_phone),
    ]
    for kind, raw, normalise in lookups:
        if not raw:
            continue
        try:
            values = vault.blind_indexes(kind, normalise(raw))
        except ValueError:
            continue
        column = f"{kind}_bidx"
        found: list[Row] = list(
            person_repository.find_by_blind_index(session=session, column=column, values=values)
        )
        if kind != "national_id":
            found += waitlist_repository.find_by_blind_index(
                session=session, column=column, values=values
            )
            found += activity_repository.find_by_blind_index(
                session=session, column=column, values=values
            )
        for row in found:
            matches.setdefault(str(row.id), []).append(kind)
    for ref in identifiers.subject_refs:
        if _row(session, ref) is not None:
            matches.setdefault(ref, []).append("subject_ref")
    return [SubjectMatch(subject_id=s, matched_on=m) for s, m in matches.items()]


def _row(session: Session, subject_id: str) -> Row | None:
    """The client, waiting-list entry or registration a subject id names."""
    try:
        row_id = uuid.UUID(subject_id)
    except ValueError:
        return None
    return (
        session.get(Person, row_id)
        or session.get(WaitlistEntry, row_id)
        or session.get(ActivityRegistration, row_id)
    )


def export(
    *, session: Session, vault: Vault, profile: OrgProfile, principal: Principal,
    request_id: str, subject_ids: list[str],
) -> ExportResult:  # fmt: skip
    """Everything the registry holds about the subjects, with why, until when, and who read it."""
    subjects = []
    for subject_id in subject_ids:
        row = _row(session, subject_id)
        if row is None:
            continue
        access_log = [
            AccessLogEntry.model_validate(e, from_attributes=True)
            for e in audit.subject_events(session, subject_id)
        ]
        subjects.append(
            SubjectExport(
                subject_id=subject_id,
                categories=_categories(session, vault, profile, row),
                access_log=access_log,
            )
        )
        audit.record(
            session, principal=principal, action="subject.export", subject_type=_kind(row),
            subject_id=subject_id, reason=f"request {request_id}",
        )  # fmt: skip
    return ExportResult(service=SERVICE, request_id=request_id, subjects=subjects)


def _kind(row: Row) -> str:
    if isinstance(row, Person):
        return "person"
    return "waitlist_entry" if isinstance(row, WaitlistEntry) else "activity_registration"


def _category(
    profile: OrgProfile, category: str, due: date | None, data: dict[str, Any]
) -> CategoryExport:
    described = categories.describe(profile, category)
    return CategoryExport(
        category=category, retention_due_date=due, data=data, **described.model_dump()
    )


def _categories(
    session: Session, vault: Vault, profile: OrgProfile, row: Row
) -> list[CategoryExport]:
    if isinstance(row, WaitlistEntry):
        data = waitlist_service.to_read(vault, row).model_dump(mode="json")
        return [_category(profile, categories.WAITLIST_ENTRY, row.retention_due_date, data)]
    if isinstance(row, ActivityRegistration):
        data = activity_service.to_registration_read(vault, row).model_dump(mode="json")
        activity = session.get(Activity, row.activity_id)
        data["activity"] = activity.name if activity is not None else None
        return [_category(profile, categories.ACTIVITY_REGISTRATION, row.retention_due_date, data)]
    record = person_service.to_read(vault, row, profile).model_dump(mode="json")
    related = {k: record.pop(k) for k in ("partner", "guardian") if record.get(k) is not None}
    due = row.retention_due_date
    found = [_category(profile, categories.CLIENT_RECORD, due, record)]
    if related:
        found.append(_category(profile, categories.RELATED_PERSONS, due, related))
    contacts = _contacts(session, row.id)
    if contacts:
        found.append(_category(profile, categories.CONTACT_EVENTS, due, {"contacts": contacts}))
    return found


def _contacts(session: Session, person_id: uuid.UUID) -> list[dict[str, Any]]:
    events_ = contact_repository.list_for_person(
        session=session, person_id=person_id, limit=CONTACTS_EXPORTED, offset=0
    )
    return [
        ContactRead.model_validate(e, from_attributes=True).model_dump(mode="json") for e in events_
    ]


def erase(
    *, session: Session, vault: Vault, profile: OrgProfile, principal: Principal,
    request_id: str, subject_ids: list[str],
) -> ErasureReceipt:  # fmt: skip
    """Deletes the subjects' rows and destroys their keys; repeating a request repeats its receipt.

    Order: the rows are deleted and the receipt stored in this transaction, then the keys are
    destroyed in the key store, before the session dependency commits. If that commit then fails,
    the rows stay but can no longer be read, and repeating the request deletes them."""
    stored = session.get(StoredReceipt, request_id)
    if stored is not None:
        return ErasureReceipt.model_validate_json(stored.receipt_json)
    erased = []
    for subject_id in subject_ids:
        row = _row(session, subject_id)
        if row is not None:
            names = [c.category for c in _categories(session, vault, profile, row)]
            _erase_row(session, vault, profile, row)
            erased.append(ErasedItem(subject_id=subject_id, categories=names))
        audit.record(
            session, principal=principal, action="subject.erase",
            subject_type=_kind(row) if row is not None else "unknown", subject_id=subject_id,
            reason=f"request {request_id}",
        )  # fmt: skip
    receipt = ErasureReceipt(
        service=SERVICE, request_id=request_id, erased=erased,
        kept=categories.kept(profile) if erased else [], completed_at=now_utc(),
    )  # fmt: skip
    session.add(
        StoredReceipt(
            request_id=request_id, receipt_json=receipt.model_dump_json(), created_at=now_utc()
        )
    )
    session.flush()
    vault.shred_many([item.subject_id for item in erased])
    return receipt


def _erase_row(session: Session, vault: Vault, profile: OrgProfile, row: Row) -> None:
    subject_id = str(row.id)
    if isinstance(row, Person):
        # The journal vendor is told first: the event needs its reference, deleted with the client.
        events.notify_journal(
            session, vault, profile, person_ids=[row.id], reason="erasure_request"
        )
        target = PERSON
    else:
        target = WAITLIST_ENTRY if isinstance(row, WaitlistEntry) else ACTIVITY_REGISTRATION
    session.expunge(row)
    sweep_repository.drop_undelivered(session=session, subject_ids=[subject_id])
    target.delete(session, ids=[row.id])
    if isinstance(row, Person):
        events.subject_erased(
            session, vault, subject_type="person", subject_ids=[subject_id],
            reason="erasure_request", on=today_oslo(),
        )  # fmt: skip


def purge_erased(session: Session, vault: Vault, subject_ids: Sequence[str]) -> dict[str, int]:
    """After a restore (`replay-shreds`): deletes the clients, waiting-list entries and activity
    registrations the restored database still holds of subjects erased after the backup, and the
    calls about them not yet sent, with the erasure's `subject.erase` audit event (ids only).
    Their keys are gone, so the rows could no longer be read. The journal vendor and consent
    were told at the erasure itself, so nothing is sent again. Idempotent."""
    row_ids = []
    for subject_id in subject_ids:
        try:
            row_ids.append(uuid.UUID(subject_id))
        except ValueError:
            continue  # a journal vendor's reference, not a row of ours
    sweep_repository.drop_undelivered(session=session, subject_ids=list(subject_ids))
    deleted = {}
    for target in (PERSON, WAITLIST_ENTRY, ACTIVITY_REGISTRATION):
        gone = [str(i) for i in target.delete(session, ids=row_ids)] if row_ids else []
        audit.record_many(
            session, principal=keyadmin.RESTORE, action="subject.erase",
            subject_type=target.subject_type, subject_ids=gone, reason=keyadmin.RESTORE_REASON,
        )  # fmt: skip
        deleted[target.subject_type] = len(gone)
    return deleted


def sweep(
    *, session: Session, vault: Vault, profile: OrgProfile, principal: Principal, dry_run: bool,
    batch_size: int,
) -> SweepResult:  # fmt: skip
    """Deletes (or counts) what the profile's rules make due today, Oslo time."""
    return sweep_service.sweep(
        session=session, vault=vault, principal=principal, profile=profile, on=today_oslo(),
        dry_run=dry_run, batch_size=batch_size,
    )  # fmt: skip


def preview(*, session: Session, profile: OrgProfile, until: date) -> list[PreviewItem]:
    return sweep_service.preview(session=session, profile=profile, until=until)


class RegistryStore:
    """The registry's subject store for one app (vern.kit.subjects), under the app's profile."""

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
            session=session, vault=vault, profile=self.profile, principal=principal,
            request_id=request_id, subject_ids=subject_ids,
        )  # fmt: skip

    def sweep(
        self, *, session: Session, vault: Vault, principal: Principal, dry_run: bool,
        batch_size: int,
    ) -> SweepResult:  # fmt: skip
        return sweep(
            session=session, vault=vault, profile=self.profile, principal=principal,
            dry_run=dry_run, batch_size=batch_size,
        )  # fmt: skip

    def preview(self, *, session: Session, until: date) -> list[PreviewItem]:
        return preview(session=session, profile=self.profile, until=until)
