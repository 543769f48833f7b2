"""Contact events of a client (kontakter): time, counsellor, kind; never content."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from vern.kit.db import SessionDep
from vern.kit.dependencies import ProfileDep
from vern.kit.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vern.kit.pagination import Limit, Offset
from vern.registry.contacts import service as contact_service
from vern.registry.contacts.models import ContactEvent
from vern.registry.contacts.schemas import ContactCreate, ContactRead
from vern.registry.persons import service as person_service
from vern.registry.persons.dependencies import (
    PersonsWork,
)

router = APIRouter(prefix="/persons/{person_id}/contacts", tags=["contacts"])
SOURCE_STAFF = "staff"


def _read(event: ContactEvent) -> ContactRead:
    return ContactRead.model_validate(event, from_attributes=True)


@router.post(
    "",
    response_model=ContactRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Forbidden, NotFound, InvalidInput),
)
def record_contact(
    person_id: uuid.UUID,
    data: ContactCreate,
    session: SessionDep,
    principal: PersonsWork,
    profile: ProfileDep,
) -> ContactRead:
    """Records a contact with a client (the assigned counsellor, coordinators and managers). A
    counsellor's contact is their own unless they name another counsellor."""
    person_service.get_for_work(session=session, principal=principal, person_id=person_id)
    counsellor_id = data.counsellor_id
    if counsellor_id is None and principal.has_role("counsellor"):
        counsellor_id = principal.subject
    event = contact_service.record_contact(
        session=session,
        principal=principal,
        person_id=person_id,
        kind=data.kind,
        occurred_at=data.occurred_at,
        counsellor_id=counsellor_id,
        source=SOURCE_STAFF,
        profile=profile,
    )
    return _read(event)


@router.get("", response_model=list[ContactRead], responses=problem_responses(Forbidden, NotFound))
def list_contacts(
    person_id: uuid.UUID,
    session: SessionDep,
    principal: PersonsWork,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[ContactRead]:
    """A client's contacts, newest first."""
    person_service.get_for_work(session=session, principal=principal, person_id=person_id)
    events = contact_service.list_contacts(
        session=session, principal=principal, person_id=person_id, limit=limit, offset=offset
    )
    return [_read(e) for e in events]
