"""The registry's side of the subject contract (search, export, erase) and its retention sweep."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session, col, select

from vern.kit import audit
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
from vern.kit.outbox import OutboxMessage
from vern.registry.identifiers import normalise_email, normalise_national_id, normalise_phone
from vern.registry.persons import repository as person_repository
from vern.registry.persons import service as person_service
from vern.registry.persons.models import ErasureReceipt as StoredReceipt
from vern.registry.persons.models import Person
from vern.registry.sweeps import service as sweep_service

SERVICE = "registry"


def search(
    *, session: Session, vault: Vault, identifiers: SubjectIdentifiers
) -> list[SubjectMatch]:
    """Clients matching any identifier exactly, through the blind indexes."""
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
            value = normalise(raw)
        except ValueError:
            continue
        found = person_repository.find_by_blind_index(
            session=session, column=f"{kind}_bidx", value=vault.blind_index(kind, value)
        )
        for person in found:
            matches.setdefault(str(person.id), []).append(kind)
    for ref in identifiers.subject_refs:
        if _person(session, ref) is not None:
            matches.setdefault(ref, []).append("subject_ref")
    return [SubjectMatch(subject_id=s, matched_on=m) for s, m in matches.items()]


def _person(session: Session, subject_id: str) -> Person | None:
    try:
        return person_repository.get(session=session, person_id=uuid.UUID(subject_id))
    except ValueError:
        return None


def export(
    *, session: Session, vault: Vault, principal: Principal, request_id: str, subject_ids: list[str]
) -> ExportResult:
    """Everything the register holds about the subjects, with why, and who has read it."""
    subjects = []
    for subject_id in subject_ids:
        person = _person(session, subject_id)
        if person is None:
            continue
        record = person_service.to_read(vault, person).model_dump(mode="json")
        access_log = [
            AccessLogEntry(
                occurred_at=e.occurred_at,
                actor_kind=e.actor_kind,
                roles=e.roles,
                action=e.action,
                break_glass=e.break_glass,
            )
            for e in audit.subject_events(session, subject_id)
        ]
        audit.record(
            session,
            principal=principal,
            action="person.export",
            subject_type="person",
            subject_id=subject_id,
            reason=f"request {request_id}",
        )
        subjects.append(
            SubjectExport(
                subject_id=subject_id,
                categories=[
                    CategoryExport(
                        category="contact_register",
                        purpose="Oppfølging av brukere (kontaktregister)",
                        legal_basis="GDPR art. 6 nr. 1 bokstav a og art. 9 nr. 2 bokstav a (samtykke)",
                        source="Brukeren selv, ved inntak",
                        recipients=[],
                        retention_due_date=person.retention_due_date,
                        data=record,
                    )
                ],
                access_log=access_log,
            )
        )
    return ExportResult(service=SERVICE, request_id=request_id, subjects=subjects)


def erase(
    *, session: Session, vault: Vault, principal: Principal, request_id: str, subject_ids: list[str]
) -> ErasureReceipt:
    """Deletes the subjects' rows and destroys their keys; repeating a request repeats its receipt."""
    stored = session.get(StoredReceipt, request_id)
    if stored is not None:
        return ErasureReceipt.model_validate_json(stored.receipt_json)
    erased = []
    for subject_id in subject_ids:
        person = _person(session, subject_id)
        if person is not None:
            _erase_person(session, person)
            erased.append(ErasedItem(subject_id=subject_id, categories=["contact_register"]))
        audit.record(
            session,
            principal=principal,
            action="person.erase",
            subject_type="person",
            subject_id=subject_id,
            reason=f"request {request_id}",
        )
    receipt = ErasureReceipt(
        service=SERVICE, request_id=request_id, erased=erased, kept=[], completed_at=now_utc()
    )
    session.add(
        StoredReceipt(
            request_id=request_id, receipt_json=receipt.model_dump_json(), created_at=now_utc()
        )
    )
    session.flush()
    # The key store is another database: if this transaction then fails to commit, the rows stay
    # but can no longer be read, and repeating the request deletes them.
    for item in erased:
        vault.shred(item.subject_id)
    return receipt


def _erase_person(session: Session, person: Person) -> None:
    pending = select(OutboxMessage).where(
        OutboxMessage.subject_id == str(person.id), col(OutboxMessage.delivered_at).is_(None)
    )
    for message in session.exec(pending):
        session.delete(message)
    person_repository.delete(session=session, person=person)
    session.flush()


class RegistryStore:
    """The registry's subject store for one app: the contract above, under the app's profile."""

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
            session=session, vault=vault, principal=principal, request_id=request_id,
            subject_ids=subject_ids,
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
        """Deletes (or counts) what the profile's rules make due today, Oslo time."""
        return sweep_service.sweep(
            session=session, vault=vault, principal=principal, profile=self.profile,
            on=today_oslo(), dry_run=dry_run, batch_size=batch_size,
        )  # fmt: skip

    def preview(self, *, session: Session, until: date) -> list[PreviewItem]:
        return sweep_service.preview(session=session, profile=self.profile, until=until)
