"""The breach register (avvik): reported by any staff member, handled by managers and the DPO."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse

from vern.dsar.breaches import notification
from vern.dsar.breaches import service as breach_service
from vern.dsar.breaches.dependencies import BreachesManage, BreachesReport, Profile
from vern.dsar.breaches.schemas import (
    BreachCreate,
    BreachEventRead,
    BreachNotificationDraft,
    BreachRead,
    BreachUpdate,
)
from vern.kit.db import SessionDep
from vern.kit.dependencies import vault_of
from vern.kit.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vern.kit.pagination import Limit, Offset

router = APIRouter(prefix="/breaches", tags=["breaches"])


@router.post(
    "",
    response_model=BreachRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput, NotFound),
)
def create_breach(
    data: BreachCreate,
    request: Request,
    session: SessionDep,
    principal: BreachesReport,
    profile: Profile,
) -> BreachRead:
    """Registers a breach or a suspected one; the 72-hour clock runs from `detected_at`."""
    vault = vault_of(request)
    breach = breach_service.create(
        session=session, vault=vault, profile=profile, principal=principal, data=data
    )
    return breach_service.to_read(vault, profile, breach)


@router.get("", response_model=list[BreachRead], responses=problem_responses(NotFound))
def list_breaches(
    request: Request,
    session: SessionDep,
    principal: BreachesReport,
    profile: Profile,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[BreachRead]:
    """Breaches, most recently detected first: all for managers and the DPO, the ones they
    reported for other staff."""
    vault = vault_of(request)
    breaches = breach_service.list_visible(
        session=session, principal=principal, limit=limit, offset=offset
    )
    return [breach_service.to_read(vault, profile, b) for b in breaches]


@router.get(
    "/{breach_id}", response_model=BreachRead, responses=problem_responses(Forbidden, NotFound)
)
def get_breach(
    breach_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: BreachesReport,
    profile: Profile,
) -> BreachRead:
    """One breach with its deadlines."""
    breach = breach_service.get_for_reading(
        session=session, principal=principal, breach_id=breach_id
    )
    return breach_service.to_read(vault_of(request), profile, breach)


@router.patch(
    "/{breach_id}",
    response_model=BreachRead,
    responses=problem_responses(Forbidden, NotFound, InvalidInput),
)
def update_breach(
    breach_id: uuid.UUID,
    data: BreachUpdate,
    request: Request,
    session: SessionDep,
    principal: BreachesManage,
    profile: Profile,
) -> BreachRead:
    """Changes a breach: risk, measures, notifications. A notification to Datatilsynet after the
    deadline needs `late_notification_reasons`."""
    vault = vault_of(request)
    breach = breach_service.update(
        session=session,
        vault=vault,
        profile=profile,
        principal=principal,
        breach_id=breach_id,
        data=data,
    )
    return breach_service.to_read(vault, profile, breach)


@router.get(
    "/{breach_id}/timeline",
    response_model=list[BreachEventRead],
    responses=problem_responses(Forbidden, NotFound),
)
def get_timeline(
    breach_id: uuid.UUID, session: SessionDep, principal: BreachesManage, profile: Profile
) -> list[BreachEventRead]:
    """Every change to the breach: who, when and which fields (never the values)."""
    breach = breach_service.get_for_reading(
        session=session, principal=principal, breach_id=breach_id, action="breach.timeline.read"
    )
    return breach_service.timeline(session=session, breach_id=breach.id)


@router.get(
    "/{breach_id}/notification",
    response_model=BreachNotificationDraft,
    responses=problem_responses(Forbidden, NotFound),
)
def get_notification_draft(
    breach_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: BreachesManage,
    profile: Profile,
) -> BreachNotificationDraft:
    """A draft of the notification to Datatilsynet, with the fields its form asks for."""
    breach = breach_service.get_for_reading(
        session=session, principal=principal, breach_id=breach_id, action="breach.draft.read"
    )
    return notification.draft(vault_of(request), profile, breach)


@router.get(
    "/{breach_id}/notification.html",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        **problem_responses(Forbidden, NotFound),
    },
)
def get_notification_page(
    breach_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: BreachesManage,
    profile: Profile,
) -> HTMLResponse:
    """The draft notification as a readable page in Norwegian (bokmål)."""
    breach = breach_service.get_for_reading(
        session=session, principal=principal, breach_id=breach_id, action="breach.draft.read"
    )
    draft = notification.draft(vault_of(request), profile, breach)
    return HTMLResponse(notification.render_html(draft), headers={"Cache-Control": "no-store"})
