"""Who may see and run the jobs, and the check that a job exists."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from vern.kit.auth import Principal, require
from vern.kit.errors import NotFound
from vern.scheduler.jobs.definitions import JobDefinition

JobsRead = Annotated[Principal, Depends(require(roles={"manager", "dpo"}))]
JobsRun = Annotated[
    Principal,
    Depends(require(roles={"manager"}, scopes={"scheduler"}, kinds={"staff", "machine"})),
]


def valid_job_id(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> JobDefinition:
    """The planned job with this id, or 404."""
    job: JobDefinition | None = request.app.state.jobs.get(job_id)
    if job is None:
        raise NotFound("no such job")
    return job


ValidJob = Annotated[JobDefinition, Depends(valid_job_id)]
