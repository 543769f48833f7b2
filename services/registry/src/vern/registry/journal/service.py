"""The rules of the journal API: only clients who consented to the journal are found, and what the
vendor reports (a session held, counselling ended) moves the client's retention clock."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.errors import Conflict, FieldError, InvalidInput
from vern.kit.orgprofile import OrgProfile
from vern.registry.contacts import service as contact_service
from vern.registry.journal import repository as journal_repository
from vern.registry.journal.models import JournalLink, JournalSessionReport
from vern.registry.journal.schemas import (
    ClientLookup,
    CounsellingEndedReport,
    JournalClient,
    SessionReport,
)
from vern.registry.persons import repository as person_repository
from vern.registry.persons import service as person_service
from vern.registry.persons.models import Person

SOURCE = "journal"
# One answer for "no such client" and "client without journal consent": the vendor cannot tell
# whether a person it asks about is a client of the centre at all.
NOT_FOUND = "no consenting client matches"


def has_journal_consent(person: Person) -> bool:
    return person.journal_consent


def vendor_reference(*, session: Session, vault: Vault, person_id: uuid.UUID) -> str | None:
    """The vendor's reference for a client, if it has given one."""
    link = journal_repository.get(session=session, person_id=person_id)
    if link is None:
        return None
    return vault.decrypt(str(person_id), link.vendor_reference_ct, context="journal.reference")


def _audit(session: Session, principal: Principal, action: str, person_id: object) -> None:
    audit.record(
        session,
        principal=principal,
        action=action,
        subject_type="person",
        subject_id=str(person_id) if person_id is not None else None,
    )


def lookup(
    *, session: Session, vault: Vault, principal: Principal, data: ClientLookup
) -> JournalClient | None:
    """Finds a consenting client by national id and/or the vendor's reference, linking the
    reference to the client when the vendor gives it for the first time; None (audited as a
    miss) when no consenting client matches."""
    by_reference = _by_reference(session, vault, data.vendor_reference)
    person = by_reference
    if data.national_id is not None:
        person = _by_national_id(session, vault, data.national_id)
        if by_reference is not None and (person is None or person.id != by_reference.id):
            person = None  # the two identifiers name different clients: match neither
    if person is None or not has_journal_consent(person):
        _audit(session, principal, "journal.lookup_miss", None)
        return None
    if data.vendor_reference is not None and by_reference is None:
        _link(session, vault, person, data.vendor_reference)
    _audit(session, principal, "journal.lookup", person.id)
    return to_client(session=session, vault=vault, person=person)


def _by_national_id(session: Session, vault: Vault, national_id: str) -> Person | None:
    found = person_repository.find_by_blind_index(
        session=session,
        column="national_id_bidx",
        values=vault.blind_indexes("national_id", national_id),
    )
    consenting: Sequence[Person] = [p for p in found if has_journal_consent(p)]
    if len(consenting) > 1:
        raise Conflict("more than one consenting client has this national id; ask the centre")
    return consenting[0] if consenting else None


def _by_reference(session: Session, vault: Vault, reference: str | None) -> Person | None:
    if reference is None:
        return None
    link = journal_repository.find_by_reference(
        session=session, reference_bidxs=vault.blind_indexes("journal_reference", reference)
    )
    if link is None:
        return None
    return person_repository.get(session=session, person_id=link.person_id)


def _link(session: Session, vault: Vault, person: Person, reference: str) -> None:
    if journal_repository.get(session=session, person_id=person.id) is not None:
        raise Conflict("the client is already linked to another vendor reference")
    journal_repository.add(
        session=session,
        link=JournalLink(
            person_id=person.id,
            vendor_reference_ct=vault.encrypt(
                str(person.id), reference, context="journal.reference"
            )
            or "",
            vendor_reference_bidx=vault.blind_index("journal_reference", reference),
            linked_at=now_utc(),
        ),
    )


def consenting_client(
    *, session: Session, principal: Principal, person_id: uuid.UUID
) -> Person | None:
    """Gets a client the vendor may report on: one who consents to the journal. None, audited as
    a miss, for anyone else."""
    person = person_repository.get(session=session, person_id=person_id)
    if person is None or not has_journal_consent(person):
        _audit(session, principal, "journal.report_miss", person_id)
        return None
    return person


def report_session(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    principal: Principal,
    person_id: uuid.UUID,
    data: SessionReport,
) -> JournalClient | None:
    """Records a session the vendor reports as a contact with the counsellor, which moves the
    last counsellor contact and the retention due date. Without a counsellor named, the session
    is taken to be with the client's assigned counsellor. A report repeating a `session_id`
    already reported for the client changes nothing."""
    person = consenting_client(session=session, principal=principal, person_id=person_id)
    if person is None:
        return None
    counsellor_id = data.counsellor_id or person.assigned_counsellor_id
    if counsellor_id is None:
        message = "is needed: the client has no assigned counsellor"
        raise InvalidInput(
            f"counsellor_id: {message}",
            errors=[FieldError(field="counsellor_id", message=message)],
        )
    if data.session_id is not None and _already_reported(session, vault, person, data.session_id):
        _audit(session, principal, "journal.session_repeated", person.id)
        return to_client(session=session, vault=vault, person=person)
    contact_service.record_contact(
        session=session,
        principal=principal,
        person_id=person.id,
        kind=data.kind.value,
        occurred_at=data.held_at,
        counsellor_id=counsellor_id,
        source=SOURCE,
        profile=profile,
    )
    _audit(session, principal, "journal.session_reported", person.id)
    session.refresh(person)
    return to_client(session=session, vault=vault, person=person)


def _already_reported(session: Session, vault: Vault, person: Person, session_id: str) -> bool:
    """Whether the vendor reported this session before; if not, remembers that it now has."""
    session_id_of_person = f"{person.id}:{session_id}"
    reported = vault.blind_indexes("journal_session", session_id_of_person)
    if journal_repository.find_session_report(session=session, session_bidxs=reported):
        return True
    session_bidx = vault.blind_index("journal_session", session_id_of_person)
    report = JournalSessionReport(
        session_bidx=session_bidx, person_id=person.id, reported_at=now_utc()
    )
    return not journal_repository.add_session_report(session=session, report=report)


def report_counselling_ended(
    *,
    session: Session,
    vault: Vault,
    profile: OrgProfile,
    principal: Principal,
    person_id: uuid.UUID,
    data: CounsellingEndedReport,
) -> JournalClient | None:
    """Marks counselling ended, which starts the 3-year clock of the client's record."""
    person = consenting_client(session=session, principal=principal, person_id=person_id)
    if person is None:
        return None
    person_service.end_counselling(
        session=session,
        principal=principal,
        person_id=person.id,
        ended_at=data.ended_at,
        profile=profile,
    )
    _audit(session, principal, "journal.counselling_ended", person.id)
    session.refresh(person)
    return to_client(session=session, vault=vault, person=person)


def to_client(*, session: Session, vault: Vault, person: Person) -> JournalClient:
    return JournalClient(
        client_id=person.id,
        vendor_reference=vendor_reference(session=session, vault=vault, person_id=person.id),
        journal_consent_at=person.journal_consent_at,
        assigned_counsellor_id=person.assigned_counsellor_id,
        last_counsellor_contact_at=person.last_counsellor_contact_at,
        counselling_ended_at=person.counselling_ended_at,
        retention_due_date=person.retention_due_date,
    )
