"""The rules for clients: encryption at rest, need to know, consent hand-off, retention date."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from vern.kit import audit, outbox
from vern.kit.auth import Principal
from vern.kit.clock import now_utc, today_oslo
from vern.kit.crypto import Vault
from vern.kit.errors import FieldError, Forbidden, InvalidInput, NotFound
from vern.registry.counsellors.models import Counsellor
from vern.registry.persons import repository as person_repository
from vern.registry.persons.models import Gender, Person
from vern.registry.persons.schemas import PersonCreate, PersonRead, PersonSummary
from vern.registry.retention import person_due_date

SEES_EVERY_CLIENT = ("coordinator", "manager")
NEWSLETTER_PURPOSE = "newsletter"


def _field(vault: Vault, person: Person, name: str) -> str | None:
    return vault.decrypt(str(person.id), getattr(person, f"{name}_ct"), context=f"person.{name}")


def create(*, session: Session, vault: Vault, principal: Principal, data: PersonCreate) -> Person:
    """Registers a client; hands a newsletter opt-in to the consent service through the outbox."""
    if (
        data.assigned_counsellor_id is not None
        and session.get(Counsellor, data.assigned_counsellor_id) is None
    ):
        raise InvalidInput(
            "assigned_counsellor_id: no such counsellor",
            errors=[FieldError(field="assigned_counsellor_id", message="no such counsellor")],
        )
    person_id = uuid.uuid4()
    subject = str(person_id)
    vault.create_subject_key(subject)

    def seal(name: str, value: str | None) -> str | None:
        return vault.encrypt(subject, value, context=f"person.{name}")

    intake = data.intake_date or today_oslo()
    person = Person(
        id=person_id,
        created_at=now_utc(),
        intake_date=intake,
        full_name_ct=seal("full_name", data.full_name),
        email_ct=seal("email", data.email),
        phone_ct=seal("phone", data.phone),
        birth_date_ct=seal("birth_date", data.birth_date.isoformat() if data.birth_date else None),
        national_id_ct=seal("national_id", data.national_id),
        gender_ct=seal("gender", data.gender.value if data.gender else None),
        email_bidx=vault.blind_index("email", data.email) if data.email else None,
        phone_bidx=vault.blind_index("phone", data.phone) if data.phone else None,
        national_id_bidx=vault.blind_index("national_id", data.national_id)
        if data.national_id
        else None,
        heard_about=data.heard_about,
        assigned_counsellor_id=data.assigned_counsellor_id,
        newsletter_opt_in=data.newsletter_opt_in,
        retention_due_date=person_due_date(
            intake_date=intake, last_counsellor_contact_at=None, counselling_ended_at=None
        ),
    )
    session.add(person)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="person.create",
        subject_type="person",
        subject_id=subject,
    )
    if data.newsletter_opt_in and data.email:
        outbox.enqueue(
            session,
            vault,
            target="consent",
            path="/consent/internal/consents",
            subject_id=subject,
            payload={
                "subject_ref": subject,
                "purpose": NEWSLETTER_PURPOSE,
                "event": "given",
                "source": "staff",
                "actor": principal.subject,
                "email": data.email,
                # When it was given, not when the outbox delivers it: a late delivery must not
                # override a withdrawal recorded in between.
                "occurred_at": person.created_at.isoformat(),
            },
        )
    return person


def get_for_reading(
    *, session: Session, principal: Principal, person_id: uuid.UUID, reason: str | None
) -> Person:
    """Gets a client the principal may read: assigned counsellor, coordinator and manager; anyone
    else only with a stated reason ("break glass"), which the audit log marks for the DPO."""
    person = person_repository.get(session=session, person_id=person_id)
    if person is None:
        raise NotFound("no such client")
    needs_reason = not (
        principal.has_role(*SEES_EVERY_CLIENT)
        or (principal.has_role("counsellor") and person.assigned_counsellor_id == principal.subject)
    )
    if needs_reason and not reason:
        raise Forbidden(
            "you are not assigned to this client: state a reason in the X-Access-Reason header "
            "to read the record; the reading is logged and shown to the data protection officer"
        )
    audit.record(
        session,
        principal=principal,
        action="person.read",
        subject_type="person",
        subject_id=person.id,
        reason=reason,
        break_glass=needs_reason,
    )
    return person


def list_visible(
    *, session: Session, principal: Principal, limit: int, offset: int
) -> Sequence[Person]:
    """Counsellors see their own clients; coordinators and managers see all."""
    if principal.has_role(*SEES_EVERY_CLIENT):
        persons = person_repository.list_all(session=session, limit=limit, offset=offset)
    else:
        persons = person_repository.list_for_counsellor(
            session=session, counsellor_id=principal.subject
        )
    audit.record(
        session, principal=principal, action="person.list", subject_type="person", subject_id=None
    )
    return persons


def to_summary(vault: Vault, person: Person) -> PersonSummary:
    return PersonSummary(
        id=person.id,
        full_name=_field(vault, person, "full_name") or "",
        assigned_counsellor_id=person.assigned_counsellor_id,
        intake_date=person.intake_date,
        retention_due_date=person.retention_due_date,
    )


def to_read(vault: Vault, person: Person) -> PersonRead:
    birth_date = _field(vault, person, "birth_date")
    gender = _field(vault, person, "gender")
    return PersonRead(
        **to_summary(vault, person).model_dump(),
        email=_field(vault, person, "email"),
        phone=_field(vault, person, "phone"),
        birth_date=date.fromisoformat(birth_date) if birth_date else None,
        national_id=_field(vault, person, "national_id"),
        gender=Gender(gender) if gender else None,
        heard_about=person.heard_about,
        newsletter_opt_in=person.newsletter_opt_in,
        last_counsellor_contact_at=person.last_counsellor_contact_at,
        counselling_ended_at=person.counselling_ended_at,
        created_at=person.created_at,
    )


def any_person(session: Session) -> bool:
    return person_repository.get_any(session=session) is not None
