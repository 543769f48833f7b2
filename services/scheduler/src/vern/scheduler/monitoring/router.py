"""Status (active or standby): open like health, as it holds no personal data. The metrics are
the kit's `GET /scheduler/metrics`, with `monitoring.metrics.scheduler_collector` added."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from vern.scheduler.jobs import planner

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
