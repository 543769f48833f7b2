"""The planned jobs and what runs when, and running one now by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from vern.kit import audit
from vern.kit.clock import OSLO, now_utc
from vern.kit.db import SessionDep
from vern.kit.errors import Conflict, NotFound, problem_responses
from vern.scheduler.jobs import planner
from vern.scheduler.jobs import service as job_service
from vern.scheduler.jobs.dependencies import JobsRead, JobsRun, ValidJob
from vern.scheduler.jobs.runner import JobBusy, JobRunner
from vern.scheduler.jobs.schemas import JobRead, Plan
from vern.scheduler.runs import service as run_service
from vern.scheduler.runs.models import RunTrigger
from vern.scheduler.runs.schemas import JobRunRead

router = APIRouter(prefix="/jobs", tags=["jobs"])
plan_router = APIRouter(prefix="/plan", tags=["plan"])


@router.get("", response_model=list[JobRead])
def list_jobs(request: Request, _: JobsRead) -> list[JobRead]:
    """The planned jobs and when each runs next (Europe/Oslo)."""
    return [
        JobRead(
            id=job.id,
            description=job.description,
            schedule=job.schedule,
            service=job.service,
            next_run_at=planner.next_run_at(request.app, job.id),
        )
        for job in request.app.state.jobs.values()
    ]


@router.post(
    "/{job_id}/run", response_model=JobRunRead, responses=problem_responses(NotFound, Conflict)
)
def run_job(principal: JobsRun, job: ValidJob, request: Request, session: SessionDep) -> JobRunRead:
    """Runs a job now and records the run; a failed run is recorded and returned too.
    409 while the same job runs (here or on another replica)."""
    runner: JobRunner = request.app.state.runner
    try:
        outcome = runner.execute(job.id, session=session)
    except JobBusy as exc:
        raise Conflict("the job is running; try again when it has finished") from exc
    run = run_service.record(session=session, outcome=outcome, trigger=RunTrigger.manual)
    audit.record(
        session, principal=principal, action="job.run", subject_type="job_run", subject_id=run.id
    )
    return run_service.to_read(run)


@plan_router.get("", response_model=Plan)
def show_plan(
    request: Request,
    session: SessionDep,
    _: JobsRead,
    days: Annotated[int, Query(ge=1, le=366, description="how many days ahead")] = 7,
) -> Plan:
    """What runs when in the next `days` days (Europe/Oslo), and when each outside system's
    retention task is handed out next."""
    start = now_utc().astimezone(OSLO)
    until = start + timedelta(days=days)
    return Plan(
        role=planner.role(request.app).value,
        from_=start,
        until=until,
        jobs=job_service.planned_runs(request.app.state.jobs, start=start, until=until),
        tasks=job_service.planned_tasks(
            session=session, profile=request.app.state.profile, start=start
        ),
    )
