"""Clients (brukere) of the contact register."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, Request, status
from pydantic import BaseModel

from vern.kit.clock import now_utc
from vern.kit.db import SessionDep
from vern.kit.dependencies import ProfileDep, VaultDep
from vern.kit.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vern.kit.pagination import Limit, Offset
from vern.registry.outbox import schedule_delivery
from vern.registry.persons import search as person_search
from vern.registry.persons import service as person_service
from vern.registry.persons.dependencies import (
    PersonsAssign,
    PersonsBreakGlass,
    PersonsCreate,
    PersonsRead,
    PersonsWork,
)
from vern.registry.persons.schemas import (
    BreakGlass,
    CounsellingEnded,
    CounsellorAssignment,
    PersonCreate,
    PersonRead,
    PersonSearch,
    PersonSummary,
    PersonUpdate,
)
from vern.registry.persons.sealing import to_read, to_summary

router = APIRouter(prefix="/persons", tags=["persons"])
ONE_CLIENT = problem_responses(Forbidden, NotFound, InvalidInput)


class PersonSearchResult(BaseModel):
    items: list[PersonSummary]
    complete: bool  # False: a name search stopped at its bound; narrow the name


@router.post(
    "",
    response_model=PersonRead,
    response_model_exclude_unset=True,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput),
)
def create_person(
    data: PersonCreate,
    request: Request,
    session: SessionDep,
    principal: PersonsCreate,
    vault: VaultDep,
    profile: ProfileDep,
    background: BackgroundTasks,
) -> PersonRead:
    """Registers a client at intake, with the fields the centre's profile collects. Unless
    anonymous, a client gives a name and a phone number or an email address; a client under the
    profile's age limit needs a guardian's consent. Contact data is encrypted at rest; a
    newsletter opt-in is passed on to the consent service."""
    person = person_service.create(
        session=session, vault=vault, principal=principal, data=data, profile=profile
    )
    schedule_delivery(request, background)
    return to_read(vault, person, profile)


@router.get("", response_model=list[PersonSummary], response_model_exclude_unset=True)
def list_persons(
    session: SessionDep,
    principal: PersonsWork,
    vault: VaultDep,
    profile: ProfileDep,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[PersonSummary]:
    """Clients the caller may see: a counsellor's own, or all for coordinators and managers."""
    persons = person_service.list_visible(
        session=session, principal=principal, limit=limit, offset=offset
    )
    return [to_summary(vault, p, profile) for p in persons]


@router.post(
    "/search",
    response_model=PersonSearchResult,
    response_model_exclude_unset=True,
    responses=problem_responses(InvalidInput),
)
def search_persons(
    query: PersonSearch,
    session: SessionDep,
    principal: PersonsWork,
    vault: VaultDep,
    profile: ProfileDep,
) -> PersonSearchResult:
    """Finds clients the caller may see by a part of the name, or exactly by email, phone or
    national id. A POST, so that no name or identifier ever stands in a URL."""
    result = person_search.search(session=session, vault=vault, principal=principal, query=query)
    return PersonSearchResult(
        items=[to_summary(vault, p, profile) for p in result.persons], complete=result.complete
    )


@router.get(
    "/{person_id}",
    response_model=PersonRead,
    response_model_exclude_unset=True,
    responses=ONE_CLIENT,
)
def get_person(
    person_id: uuid.UUID,
    session: SessionDep,
    principal: PersonsRead,
    vault: VaultDep,
    profile: ProfileDep,
) -> PersonRead:
    """One client's record, for those with a need to know; anyone else uses break glass."""
    person = person_service.get_for_reading(
        session=session, principal=principal, person_id=person_id
    )
    return to_read(vault, person, profile)


@router.post(
    "/{person_id}/break-glass",
    response_model=PersonRead,
    response_model_exclude_unset=True,
    responses=ONE_CLIENT,
)
def break_glass(
    person_id: uuid.UUID,
    body: BreakGlass,
    session: SessionDep,
    principal: PersonsBreakGlass,
    vault: VaultDep,
    profile: ProfileDep,
) -> PersonRead:
    """Reads a client's record without a need to know, with a stated reason ("break glass").
    The reason goes in the body (never in a URL or a header a proxy may log); the reading is
    logged as break glass and listed for the data protection officer."""
    person = person_service.break_glass(
        session=session, principal=principal, person_id=person_id, reason=body.reason
    )
    return to_read(vault, person, profile)


@router.patch(
    "/{person_id}",
    response_model=PersonRead,
    response_model_exclude_unset=True,
    responses=ONE_CLIENT,
)
def update_person(
    person_id: uuid.UUID,
    data: PersonUpdate,
    session: SessionDep,
    principal: PersonsWork,
    vault: VaultDep,
    profile: ProfileDep,
) -> PersonRead:
    """Changes a client's data (the assigned counsellor, coordinators and managers)."""
    person = person_service.update(
        session=session,
        vault=vault,
        principal=principal,
        person_id=person_id,
        data=data,
        profile=profile,
    )
    return to_read(vault, person, profile)


@router.put(
    "/{person_id}/counsellor",
    response_model=PersonRead,
    response_model_exclude_unset=True,
    responses=ONE_CLIENT,
)
def assign_counsellor(
    person_id: uuid.UUID,
    body: CounsellorAssignment,
    session: SessionDep,
    principal: PersonsAssign,
    vault: VaultDep,
    profile: ProfileDep,
) -> PersonRead:
    """Assigns or reassigns the client's counsellor (coordinators and managers)."""
    person = person_service.assign_counsellor(
        session=session, principal=principal, person_id=person_id, counsellor_id=body.counsellor_id
    )
    return to_read(vault, person, profile)


@router.post(
    "/{person_id}/counselling-ended",
    response_model=PersonRead,
    response_model_exclude_unset=True,
    responses=ONE_CLIENT,
)
def end_counselling(
    person_id: uuid.UUID,
    body: CounsellingEnded,
    session: SessionDep,
    principal: PersonsWork,
    vault: VaultDep,
    profile: ProfileDep,
) -> PersonRead:
    """Records that counselling ended; it moves the retention date where the profile's clock
    counts from the end of counselling."""
    person_service.get_for_work(session=session, principal=principal, person_id=person_id)
    person = person_service.end_counselling(
        session=session,
        principal=principal,
        person_id=person_id,
        ended_at=body.ended_at or now_utc(),
        profile=profile,
    )
    return to_read(vault, person, profile)
