"""`GET /dsar/internal/deadlines`: the open deadlines, for the scheduler's reminder tasks."""

from __future__ import annotations

from fastapi import APIRouter, Request

from vern.dsar.deadlines import service as deadline_service
from vern.dsar.deadlines.dependencies import Internal
from vern.kit.contract import DeadlineList
from vern.kit.db import SessionDep
from vern.kit.orgprofile.schema import OrgProfile

router = APIRouter(prefix="/internal", tags=["internal"])


@router.get("/deadlines", response_model=DeadlineList)
def list_deadlines(request: Request, session: SessionDep, principal: Internal) -> DeadlineList:
    """Every open deadline of breaches and requests, earliest first (ids and times only)."""
    profile: OrgProfile = request.app.state.profile
    deadlines = deadline_service.open_deadlines(session=session, profile=profile)
    return DeadlineList(service="dsar", deadlines=deadlines)
