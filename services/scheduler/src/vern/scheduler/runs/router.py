"""The record of job runs, for managers and the data protection officer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vern.kit.db import SessionDep
from vern.kit.pagination import Limit, Offset
from vern.scheduler.runs import service as run_service
from vern.scheduler.runs.dependencies import RunsRead
from vern.scheduler.runs.models import RunStatus
from vern.scheduler.runs.schemas import JobRunRead

router = APIRouter(prefix="/runs", tags=["runs"])


@router.get("", response_model=list[JobRunRead])
def list_runs(
    session: SessionDep,
    _: RunsRead,
    job_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[RunStatus | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[JobRunRead]:
    """The latest job runs, newest first: when they ran, how they went, the counts per rule."""
    runs = run_service.list_recent(
        session=session, job_id=job_id, status=status, limit=limit, offset=offset
    )
    return [run_service.to_read(run) for run in runs]
