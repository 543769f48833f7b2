"""Clients (brukere) of the contact register."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, Request, status

from vern.kit.crypto import Vault
from vern.kit.db import SessionDep
from vern.kit.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vern.kit.pagination import Limit, Offset
from vern.registry.outbox import schedule_delivery
from vern.registry.persons import service as person_service
from vern.registry.persons.dependencies import AccessReason, PersonsCreate, PersonsList, PersonsRead
from vern.registry.persons.schemas import PersonCreate, PersonRead, PersonSummary

router = APIRouter(prefix="/persons", tags=["persons"])


def _vault(request: Request) -> Vault:
    vault: Vault = request.app.state.vault
    return vault


@router.post(
    "",
    response_model=PersonRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput),
)
def create_person(
    data: PersonCreate,
    request: Request,
    session: SessionDep,
    principal: PersonsCreate,
    background: BackgroundTasks,
) -> PersonRead:
    """Registers a client at intake. Contact data is encrypted at rest; a newsletter opt-in is
    passed on to the consent service."""
    vault = _vault(request)
    person = person_service.create(session=session, vault=vault, principal=principal, data=data)
    schedule_delivery(request, background)
    return person_service.to_read(vault, person)


@router.get("", response_model=list[PersonSummary])
def list_persons(
    request: Request,
    session: SessionDep,
    principal: PersonsList,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[PersonSummary]:
    """Clients the caller may see: a counsellor's own, or all for coordinators and managers."""
    vault = _vault(request)
    persons = person_service.list_visible(
        session=session, principal=principal, limit=limit, offset=offset
    )
    return [person_service.to_summary(vault, p) for p in persons]


@router.get(
    "/{person_id}", response_model=PersonRead, responses=problem_responses(Forbidden, NotFound)
)
def get_person(
    person_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: PersonsRead,
    reason: AccessReason = None,
) -> PersonRead:
    """One client's record, for those with a need to know (or a logged reason)."""
    person = person_service.get_for_reading(
        session=session, principal=principal, person_id=person_id, reason=reason
    )
    return person_service.to_read(_vault(request), person)
