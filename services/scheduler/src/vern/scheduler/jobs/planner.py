"""The APScheduler that fires the jobs: started and stopped with the app."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI

from vern.kit.clock import OSLO
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs import runner
from vern.scheduler.jobs.definitions import JobDefinition

# A run missed while the process was down still happens when it comes back within this time
# (once: missed runs are coalesced).
MISFIRE_GRACE = timedelta(hours=12)
RUN_SCHEDULED = f"{runner.run_scheduled.__module__}:{runner.run_scheduled.__name__}"


def start(app: FastAPI) -> None:
    """Starts the scheduler, unless `start_jobs` is off, with the planned jobs in its store."""
    settings: SchedulerSettings = app.state.settings
    if not settings.start_jobs:
        return
    scheduler = AsyncIOScheduler(
        timezone=OSLO,
        # APScheduler owns the `apscheduler_jobs` table in the scheduler's database: it creates
        # it and keeps the planned jobs (next run times) there. Our migrations leave it alone.
        jobstores={"default": SQLAlchemyJobStore(engine=app.state.engine)},
        # The jobs are synchronous HTTP calls: they run in a thread pool, off the event loop.
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
        },
    )
    scheduler.start(paused=True)
    _store_plan(scheduler, app.state.jobs)
    runner.activate(app.state.runner)
    scheduler.resume()
    app.state.scheduler = scheduler


def _store_plan(scheduler: AsyncIOScheduler, jobs: Mapping[str, JobDefinition]) -> None:
    """Brings the job store in line with the plan. A stored job whose trigger has not changed is
    kept as it is, so that a run missed while the process was down is still made."""
    for job in jobs.values():
        stored = scheduler.get_job(job.id)
        if (
            stored is None
            or stored.func_ref != RUN_SCHEDULED
            or str(stored.trigger) != str(job.trigger)
        ):
            scheduler.add_job(
                RUN_SCHEDULED,
                trigger=job.trigger,
                args=[job.id],
                id=job.id,
                name=job.description,
                replace_existing=True,
            )
    for stored in scheduler.get_jobs():
        if stored.id not in jobs:
            stored.remove()


def stop(app: FastAPI) -> None:
    scheduler: AsyncIOScheduler | None = app.state.scheduler
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=True)
    app.state.scheduler = None
    runner.activate(None)


def next_run_at(app: FastAPI, job_id: str) -> datetime | None:
    """When the job runs next, or None if this process does not run the scheduler."""
    scheduler: AsyncIOScheduler | None = app.state.scheduler
    if scheduler is None or not scheduler.running:
        return None
    stored = scheduler.get_job(job_id)
    if stored is None or stored.next_run_time is None:
        return None
    next_run: datetime = stored.next_run_time
    return next_run
