"""Activities (courses, lectures, groups) and their participant lists."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response, status

from vern.kit.clock import now_utc
from vern.kit.db import SessionDep
from vern.kit.dependencies import profile_of, vault_of
from vern.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, problem_responses
from vern.kit.orgprofile import Module
from vern.kit.pagination import Limit, Offset
from vern.registry.activities import service as activity_service
from vern.registry.activities.dependencies import ActivitiesAccess, ValidActivity
from vern.registry.activities.schemas import (
    ActivityCreate,
    ActivityRead,
    RegistrationCreate,
    RegistrationRead,
)
from vern.registry.modules import module_on

router = APIRouter(
    prefix="/activities",
    tags=["activities"],
    dependencies=[Depends(module_on(Module.activities, "activities"))],
    responses=problem_responses(NotFound),
)


@router.post(
    "",
    response_model=ActivityRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput, Forbidden),
)
def create_activity(
    data: ActivityCreate, request: Request, session: SessionDep, principal: ActivitiesAccess
) -> ActivityRead:
    """Plans a course, lecture or group."""
    activity = activity_service.create(session=session, principal=principal, data=data)
    return activity_service.to_read(profile_of(request), activity)


@router.get("", response_model=list[ActivityRead])
def list_activities(
    request: Request,
    session: SessionDep,
    principal: ActivitiesAccess,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[ActivityRead]:
    """A counsellor's own activities, or all of them for coordinators and managers."""
    activities = activity_service.list_visible(
        session=session, principal=principal, limit=limit, offset=offset
    )
    profile = profile_of(request)
    return [activity_service.to_read(profile, a) for a in activities]


@router.get("/{activity_id}", response_model=ActivityRead, responses=problem_responses(Forbidden))
def get_activity(
    activity: ValidActivity, request: Request, principal: ActivitiesAccess
) -> ActivityRead:
    """One activity."""
    activity = activity_service.read(principal=principal, activity=activity)
    return activity_service.to_read(profile_of(request), activity)


@router.post(
    "/{activity_id}/held",
    response_model=ActivityRead,
    responses=problem_responses(Forbidden, Conflict),
)
def mark_activity_held(
    activity: ValidActivity, request: Request, session: SessionDep, principal: ActivitiesAccess
) -> ActivityRead:
    """Confirms the activity took place; it is counted once in the statistics."""
    profile = profile_of(request)
    activity = activity_service.mark_held(
        session=session, principal=principal, profile=profile, activity=activity, at=now_utc()
    )
    return activity_service.to_read(profile, activity)


@router.delete(
    "/{activity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(Forbidden),
)
def remove_activity(
    activity: ValidActivity, request: Request, session: SessionDep, principal: ActivitiesAccess
) -> Response:
    """Cancels the activity and deletes its participant list."""
    activity_service.remove(
        session=session, vault=vault_of(request), principal=principal, activity=activity
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{activity_id}/registrations",
    response_model=RegistrationRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput, Forbidden, Conflict),
)
def register_participant(
    data: RegistrationCreate,
    activity: ValidActivity,
    request: Request,
    session: SessionDep,
    principal: ActivitiesAccess,
) -> RegistrationRead:
    """Signs a participant up; their name and contact data are deleted when the activity ends."""
    vault = vault_of(request)
    registration = activity_service.register(
        session=session,
        vault=vault,
        principal=principal,
        profile=profile_of(request),
        activity=activity,
        data=data,
        at=now_utc(),
    )
    return activity_service.to_registration_read(vault, registration)


@router.get(
    "/{activity_id}/registrations",
    response_model=list[RegistrationRead],
    responses=problem_responses(Forbidden),
)
def list_registrations(
    activity: ValidActivity,
    request: Request,
    session: SessionDep,
    principal: ActivitiesAccess,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[RegistrationRead]:
    """The participant list."""
    vault = vault_of(request)
    registrations = activity_service.list_registrations(
        session=session, principal=principal, activity=activity, limit=limit, offset=offset
    )
    return [activity_service.to_registration_read(vault, r) for r in registrations]


@router.delete(
    "/{activity_id}/registrations/{registration_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(Forbidden),
)
def unregister_participant(
    registration_id: uuid.UUID,
    activity: ValidActivity,
    request: Request,
    session: SessionDep,
    principal: ActivitiesAccess,
) -> Response:
    """Takes a participant off the list."""
    activity_service.unregister(
        session=session,
        vault=vault_of(request),
        principal=principal,
        activity=activity,
        registration_id=registration_id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
