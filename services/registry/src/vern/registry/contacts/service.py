"""The rules for contact events: they move the last counsellor contact, the retention date and
the anonymous counters. Need to know is checked by the caller (a router or the journal API)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from vern.kit import audit
from vern.kit.auth import Principal
from vern.kit.clock import now_utc, oslo_date
from vern.kit.errors import FieldError, InvalidInput, NotFound
from vern.kit.orgprofile import OrgProfile
from vern.registry.contacts import repository as contact_repository
from vern.registry.contacts.models import ContactEvent, ContactKind
from vern.registry.counsellors.models import Counsellor
from vern.registry.counting import count
from vern.registry.persons import repository as person_repository
from vern.registry.persons import service as person_service


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[FieldError(field=field, message=message)])


def record_contact(
    *,
    session: Session,
    principal: Principal,
    person_id: uuid.UUID,
    kind: ContactKind | str,
    occurred_at: datetime,
    counsellor_id: str | None,
    source: str,
    profile: OrgProfile,
) -> ContactEvent:
    """Records that a client was in touch (no content). A contact with a counsellor moves
    `last_counsellor_contact_at` and with it `retention_due_date`; every contact is counted."""
    person = person_repository.get(session=session, person_id=person_id)
    if person is None:
        raise NotFound("no such client")
    try:
        kind = ContactKind(kind)
    except ValueError:
        raise _refuse("kind", "is not a kind of contact Vern knows") from None
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise _refuse("occurred_at", "needs a time zone")
    if occurred_at > now_utc():
        raise _refuse("occurred_at", "cannot be in the future")
    if counsellor_id is not None and session.get(Counsellor, counsellor_id) is None:
        raise _refuse("counsellor_id", "no such counsellor")
    event = contact_repository.add(
        session=session,
        event=ContactEvent(
            person_id=person.id,
            kind=kind,
            occurred_at=occurred_at,
            counsellor_id=counsellor_id,
            source=source,
            recorded_at=now_utc(),
            recorded_by=principal.subject,
        ),
    )
    last = person.last_counsellor_contact_at
    if counsellor_id is not None and (last is None or occurred_at > last):
        person.last_counsellor_contact_at = occurred_at
        person_service.refresh_retention(person=person, profile=profile)
        session.add(person)
        session.flush()
    audit.record(
        session,
        principal=principal,
        action="contact.create",
        subject_type="person",
        subject_id=person.id,
    )
    on = oslo_date(occurred_at)
    count(session, profile, metric="contacts_by_kind", key=kind.value, on=on)
    if kind is ContactKind.visit:
        count(session, profile, metric="visits", key="visit", on=on)
    return event


def list_contacts(
    *, session: Session, principal: Principal, person_id: uuid.UUID, limit: int, offset: int
) -> Sequence[ContactEvent]:
    """A client's contacts, newest first (the caller has checked the need to know)."""
    events = contact_repository.list_for_person(
        session=session, person_id=person_id, limit=limit, offset=offset
    )
    audit.record(
        session,
        principal=principal,
        action="contact.list",
        subject_type="person",
        subject_id=person_id,
    )
    return events
