"""The retention preview: one view across services for the DPO and the manager."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from vern.kit.auth import Principal, require
from vern.kit.clock import today_oslo
from vern.kit.db import SessionDep
from vern.scheduler.retention import service as retention_service
from vern.scheduler.retention.schemas import RetentionOverview

router = APIRouter(prefix="/retention", tags=["retention"])

PreviewRead = Annotated[Principal, Depends(require(roles={"manager", "dpo"}))]


@router.get("/preview", response_model=RetentionOverview)
def preview_retention(
    request: Request,
    session: SessionDep,
    _: PreviewRead,
    days: Annotated[int, Query(ge=1, le=366, description="how many days ahead")] = 30,
) -> RetentionOverview:
    """How many rows each service will delete per rule and date in the next `days` days, and
    what its last sweeps deleted. Counts only, never names or ids; a service that does not
    answer is marked unavailable."""
    today = today_oslo()
    return retention_service.overview(
        session=session,
        peers=request.app.state.runner.peers,
        profile=request.app.state.profile,
        today=today,
        until=today + timedelta(days=days),
    )
