"""The waiting list (venteliste), for coordinators and managers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status

from vern.kit.clock import now_utc
from vern.kit.db import SessionDep
from vern.kit.dependencies import profile_of, vault_of
from vern.kit.errors import InvalidInput, NotFound, problem_responses
from vern.kit.orgprofile import Module
from vern.kit.pagination import Limit, Offset
from vern.registry.modules import module_on
from vern.registry.waitlist import service as waitlist_service
from vern.registry.waitlist.dependencies import ValidWaitlistEntry, WaitlistAccess
from vern.registry.waitlist.schemas import (
    CounsellorAssignment,
    PromotionResult,
    WaitlistEntryCreate,
    WaitlistEntryRead,
    WaitlistEntrySummary,
    WaitlistPromotion,
)

router = APIRouter(
    prefix="/waitlist",
    tags=["waitlist"],
    dependencies=[Depends(module_on(Module.waitlist, "the waiting list"))],
    responses=problem_responses(NotFound),
)


@router.post(
    "",
    response_model=WaitlistEntryRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput),
)
def create_waitlist_entry(
    data: WaitlistEntryCreate, request: Request, session: SessionDep, principal: WaitlistAccess
) -> WaitlistEntryRead:
    """Puts a new user on the waiting list; every field about them is encrypted at rest."""
    vault = vault_of(request)
    entry = waitlist_service.create(session=session, vault=vault, principal=principal, data=data)
    return waitlist_service.to_read(vault, entry)


@router.get("", response_model=list[WaitlistEntrySummary])
def list_waitlist_entries(
    request: Request,
    session: SessionDep,
    principal: WaitlistAccess,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[WaitlistEntrySummary]:
    """The waiting list, longest waiting first, with each entry's deletion date."""
    vault = vault_of(request)
    entries = waitlist_service.list_entries(
        session=session, principal=principal, limit=limit, offset=offset
    )
    return [waitlist_service.to_summary(vault, e) for e in entries]


@router.get("/{entry_id}", response_model=WaitlistEntryRead)
def get_waitlist_entry(
    entry: ValidWaitlistEntry, request: Request, session: SessionDep, principal: WaitlistAccess
) -> WaitlistEntryRead:
    """One entry."""
    entry = waitlist_service.read(session=session, principal=principal, entry=entry)
    return waitlist_service.to_read(vault_of(request), entry)


@router.post(
    "/{entry_id}/counsellor",
    response_model=WaitlistEntryRead,
    responses=problem_responses(InvalidInput),
)
def assign_waitlist_counsellor(
    data: CounsellorAssignment,
    entry: ValidWaitlistEntry,
    request: Request,
    session: SessionDep,
    principal: WaitlistAccess,
) -> WaitlistEntryRead:
    """Assigns a counsellor; the entry is deleted 30 days after the first assignment (Oslo dates)."""
    entry = waitlist_service.assign_counsellor(
        session=session,
        principal=principal,
        profile=profile_of(request),
        entry=entry,
        counsellor_id=data.counsellor_id,
        at=now_utc(),
    )
    return waitlist_service.to_read(vault_of(request), entry)


@router.post(
    "/{entry_id}/promotion",
    response_model=PromotionResult,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput),
)
def promote_waitlist_entry(
    data: WaitlistPromotion,
    entry: ValidWaitlistEntry,
    request: Request,
    session: SessionDep,
    principal: WaitlistAccess,
) -> PromotionResult:
    """Makes the applicant a client with the fields they agreed to, then deletes the entry."""
    return waitlist_service.promote(
        session=session,
        vault=vault_of(request),
        principal=principal,
        profile=profile_of(request),
        entry=entry,
        data=data,
    )


@router.delete("/{entry_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def remove_waitlist_entry(
    entry: ValidWaitlistEntry, request: Request, session: SessionDep, principal: WaitlistAccess
) -> Response:
    """Removes the entry and shreds its data key."""
    waitlist_service.remove(
        session=session, vault=vault_of(request), principal=principal, entry=entry
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
