"""Status (active or standby) and metrics: open like health, as they hold no personal data."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel, Field

from vern.kit.db import SessionDep
from vern.scheduler.jobs import planner
from vern.scheduler.leadership import Role
from vern.scheduler.monitoring.metrics import exposition

router = APIRouter(tags=["monitoring"])


class SchedulerStatus(BaseModel):
    service: str = "scheduler"
    role: str = Field(
        description="active: holds the lock and fires the jobs; standby: waits for it; "
        "off: this process fires no jobs"
    )
    single_instance: bool = Field(description="true on SQLite: no lock, one scheduler process only")


@router.get("/status", response_model=SchedulerStatus)
def scheduler_status(request: Request) -> SchedulerStatus:
    """Whether this replica is the active scheduler or stands by."""
    leadership = getattr(request.app.state, "leadership", None)
    single = leadership.lock.single_instance if leadership is not None else False
    return SchedulerStatus(role=planner.role(request.app).value, single_instance=single)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metrics(request: Request, session: SessionDep) -> Response:
    """Prometheus metrics: runs by job and status, failures, rows deleted by service and rule,
    overdue tasks, the last success of each job, and whether this replica is active."""
    active = planner.role(request.app) is Role.active
    return Response(
        content=exposition(session=session, is_active=active), media_type=CONTENT_TYPE_LATEST
    )
