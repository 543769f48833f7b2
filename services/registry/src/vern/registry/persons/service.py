"""The rules for clients: encryption at rest, need to know, the profile's rules, consent hand-off,
assignment, end of counselling and the retention date."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlmodel import Session

from vern.kit import audit, outbox
from vern.kit.auth import Principal
from vern.kit.clock import now_utc, oslo_date, today_oslo
from vern.kit.crypto import Vault
from vern.kit.errors import FieldError, InvalidInput, NotFound
from vern.kit.orgprofile import OrgProfile
from vern.registry.counsellors.models import Counsellor
from vern.registry.counting import age_band, count
from vern.registry.persons import repository as person_repository
from vern.registry.persons import rules, sealing
from vern.registry.persons.access import has_need, require_need
from vern.registry.persons.models import Person
from vern.registry.persons.schemas import (
    PersonCreate,
    PersonFields,
    PersonRead,
    PersonSummary,
    PersonUpdate,
)
from vern.registry.persons.sealing import seal_fields, stored_fields
from vern.registry.retention import person_due_date

NEWSLETTER_PURPOSE = "newsletter"


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[FieldError(field=field, message=message)])


def _get(session: Session, person_id: uuid.UUID) -> Person:
    person = person_repository.get(session=session, person_id=person_id)
    if person is None:
        raise NotFound("no such client")
    return person


def _check_counsellor(session: Session, counsellor_id: str | None, field: str) -> None:
    if counsellor_id is not None and session.get(Counsellor, counsellor_id) is None:
        raise _refuse(field, "no such counsellor")


def refresh_retention(*, person: Person, profile: OrgProfile) -> None:
    """Recomputes the client's retention due date under the profile's rule."""
    person.retention_due_date = person_due_date(
        profile=profile,
        intake_date=person.intake_date,
        last_counsellor_contact_at=person.last_counsellor_contact_at,
        counselling_ended_at=person.counselling_ended_at,
    )


def create(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    data: PersonCreate,
    profile: OrgProfile,
) -> Person:
    """Registers a client; hands a newsletter opt-in to the consent service through the outbox."""
    today = today_oslo()
    rules.check(
        data, sent=data.model_fields_set, anonymous=data.anonymous, profile=profile, today=today
    )
    _check_counsellor(session, data.assigned_counsellor_id, "assigned_counsellor_id")
    now = now_utc()
    person = Person(
        id=uuid.uuid4(),
        created_at=now,
        intake_date=data.intake_date or today,
        anonymous=data.anonymous,
        assigned_counsellor_id=data.assigned_counsellor_id,
        counsellor_assigned_at=now if data.assigned_counsellor_id else None,
        newsletter_opt_in=data.newsletter_opt_in,
        retention_due_date=today,  # set below, once the dates are known
    )
    vault.create_subject_key(str(person.id))
    _apply(vault, person, data, now=now)
    refresh_retention(person=person, profile=profile)
    session.add(person)
    session.flush()
    audit.record(
        session, principal=principal, action="person.create", subject_type="person",
        subject_id=person.id,
    )  # fmt: skip
    _count_new_client(session, profile, data, on=person.intake_date)
    if data.newsletter_opt_in and data.email:
        _hand_newsletter_to_consent(session, vault, principal, person, data.email)
    return person


def _apply(vault: Vault, person: Person, data: PersonFields, *, now: datetime) -> None:
    """Seals the client's fields into the row (every field, as the merged data has them)."""
    seal_fields(vault, person, data)
    declaration = data.confidentiality_declaration
    person.confidentiality_declaration_signed_date = (
        declaration.signed_date if declaration else None
    )
    person.confidentiality_declaration_version = declaration.version if declaration else None
    person.guardian_consent_date = data.guardian.consent_date if data.guardian else None
    if data.journal_consent != person.journal_consent:
        person.journal_consent = data.journal_consent
        person.journal_consent_at = now  # when the current answer was given
    if data.intake_date is not None:
        person.intake_date = data.intake_date


def _count_new_client(session: Session, profile: OrgProfile, data: PersonFields, on: date) -> None:
    gender = data.gender.value if data.gender else "unknown"
    heard = data.heard_about.value if data.heard_about else "unknown"
    band = age_band(rules.known_birth_date(data), on)
    count(session, profile, metric="new_clients_by_gender", key=gender, on=on)
    count(session, profile, metric="new_clients_by_age_band", key=band, on=on)
    count(session, profile, metric="heard_about", key=heard, on=on)


def _hand_newsletter_to_consent(
    session: Session, vault: Vault, principal: Principal, person: Person, email: str
) -> None:
    outbox.enqueue(
        session,
        vault,
        target="consent",
        path="/consent/internal/consents",
        subject_id=str(person.id),
        payload={
            "subject_ref": str(person.id),
            "purpose": NEWSLETTER_PURPOSE,
            "event": "given",
            "source": "staff",
            "actor": principal.subject,
            "email": email,
            # When it was given, not when the outbox delivers it: a late delivery must not
            # override a withdrawal recorded in between.
            "occurred_at": person.created_at.isoformat(),
        },
    )


def update(
    *,
    session: Session,
    vault: Vault,
    principal: Principal,
    person_id: uuid.UUID,
    data: PersonUpdate,
    profile: OrgProfile,
) -> Person:
    """Changes the fields sent; the merged record must pass every rule a new one passes."""
    person = _get(session, person_id)
    require_need(principal, person)
    current = stored_fields(vault, person)
    current.update(data.model_dump(include=data.model_fields_set))
    try:
        merged = PersonFields.model_validate(current)
    except ValidationError as exc:  # a change that contradicts what is stored, e.g. the birth date
        raise RequestValidationError(exc.errors(include_input=False)) from None
    rules.check(
        merged, sent=data.model_fields_set, anonymous=person.anonymous, profile=profile,
        today=today_oslo(),
    )  # fmt: skip
    _apply(vault, person, merged, now=now_utc())
    refresh_retention(person=person, profile=profile)
    session.add(person)
    session.flush()
    audit.record(
        session, principal=principal, action="person.update", subject_type="person",
        subject_id=person.id,
    )  # fmt: skip
    return person


def assign_counsellor(
    *, session: Session, principal: Principal, person_id: uuid.UUID, counsellor_id: str | None
) -> Person:
    """Assigns (or reassigns, or removes) the client's counsellor."""
    person = _get(session, person_id)
    _check_counsellor(session, counsellor_id, "counsellor_id")
    if counsellor_id != person.assigned_counsellor_id:
        person.assigned_counsellor_id = counsellor_id
        person.counsellor_assigned_at = now_utc() if counsellor_id else None
    session.add(person)
    session.flush()
    audit.record(
        session, principal=principal, action="person.assign_counsellor", subject_type="person",
        subject_id=person.id,
    )  # fmt: skip
    return person


def end_counselling(
    *,
    session: Session,
    principal: Principal,
    person_id: uuid.UUID,
    ended_at: datetime,
    profile: OrgProfile,
) -> Person:
    """Records that counselling ended ("avsluttet veiledningen"), which starts Tryggere's clock.
    Need to know is checked by the caller (a router or the journal API)."""
    if ended_at.tzinfo is None or ended_at.utcoffset() is None:
        raise _refuse("ended_at", "needs a time zone")
    if ended_at > now_utc():
        raise _refuse("ended_at", "cannot be in the future")
    person = _get(session, person_id)
    if oslo_date(ended_at) < person.intake_date:
        raise _refuse("ended_at", "cannot be before the client's intake")
    person.counselling_ended_at = ended_at
    refresh_retention(person=person, profile=profile)
    session.add(person)
    session.flush()
    audit.record(
        session, principal=principal, action="person.counselling_ended", subject_type="person",
        subject_id=person.id,
    )  # fmt: skip
    return person


def get_for_reading(*, session: Session, principal: Principal, person_id: uuid.UUID) -> Person:
    """Gets a client the principal has a need to know (assigned counsellor, coordinator, manager)."""
    person = _get(session, person_id)
    require_need(principal, person)
    audit.record(
        session, principal=principal, action="person.read", subject_type="person",
        subject_id=person.id,
    )  # fmt: skip
    return person


def get_for_work(*, session: Session, principal: Principal, person_id: uuid.UUID) -> Person:
    """Gets a client the principal may work with (no audit: the operation audits itself)."""
    person = _get(session, person_id)
    require_need(principal, person)
    return person


def break_glass(
    *, session: Session, principal: Principal, person_id: uuid.UUID, reason: str
) -> Person:
    """Reads a client's record with a stated reason. Without a need to know the audit event is
    marked break_glass, for the data protection officer to review."""
    person = _get(session, person_id)
    audit.record(
        session,
        principal=principal,
        action="person.read",
        subject_type="person",
        subject_id=person.id,
        reason=reason,
        break_glass=not has_need(principal, person),
    )
    return person


def list_visible(
    *, session: Session, principal: Principal, limit: int, offset: int
) -> Sequence[Person]:
    """Counsellors see their own clients; coordinators and managers see all."""
    counsellor = None if principal.has_role("coordinator", "manager") else principal.subject
    persons = person_repository.list_page(
        session=session, counsellor_id=counsellor, limit=limit, offset=offset
    )
    audit.record(
        session, principal=principal, action="person.list", subject_type="person", subject_id=None
    )
    return persons


def any_person(session: Session) -> bool:
    return person_repository.get_any(session=session) is not None


def to_read(vault: Vault, person: Person, profile: OrgProfile) -> PersonRead:
    """The client's record as the API shows it under the profile."""
    return sealing.to_read(vault, person, profile)


def to_summary(vault: Vault, person: Person, profile: OrgProfile) -> PersonSummary:
    return sealing.to_summary(vault, person, profile)
