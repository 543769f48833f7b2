"""The planned jobs, and running one now by hand."""

from __future__ import annotations

from fastapi import APIRouter, Request

from vern.kit import audit
from vern.kit.db import SessionDep
from vern.kit.errors import Conflict, NotFound, problem_responses
from vern.scheduler.jobs import planner
from vern.scheduler.jobs.dependencies import JobsRead, JobsRun, ValidJob
from vern.scheduler.jobs.runner import JobBusy, JobRunner
from vern.scheduler.jobs.schemas import JobRead
from vern.scheduler.runs import service as run_service
from vern.scheduler.runs.models import RunTrigger
from vern.scheduler.runs.schemas import JobRunRead

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=list[JobRead])
def list_jobs(request: Request, _: JobsRead) -> list[JobRead]:
    """The planned jobs and when each runs next (Europe/Oslo)."""
    return [
        JobRead(
            id=job.id,
            description=job.description,
            schedule=job.schedule,
            next_run_at=planner.next_run_at(request.app, job.id),
        )
        for job in request.app.state.jobs.values()
    ]


@router.post(
    "/{job_id}/run", response_model=JobRunRead, responses=problem_responses(NotFound, Conflict)
)
def run_job(principal: JobsRun, job: ValidJob, request: Request, session: SessionDep) -> JobRunRead:
    """Runs a job now and records the run; a failed run is recorded and returned too."""
    runner: JobRunner = request.app.state.runner
    try:
        outcome = runner.execute(job.id)
    except JobBusy as exc:
        raise Conflict("the job is running; try again when it has finished") from exc
    run = run_service.record(session=session, outcome=outcome, trigger=RunTrigger.manual)
    audit.record(
        session, principal=principal, action="job.run", subject_type="job_run", subject_id=run.id
    )
    return run_service.to_read(run)
