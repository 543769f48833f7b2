"""The APScheduler that fires the jobs: running only while this replica holds the lock."""

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
from vern.scheduler.leadership import LeaderLock, Leadership, Role

# A run missed while no replica was active still happens when one is back within this time, and
# only once (missed runs are coalesced): a nightly sweep missed for a week runs once.
MISFIRE_GRACE = timedelta(days=7)
RUN_SCHEDULED = f"{runner.run_scheduled.__module__}:{runner.run_scheduled.__name__}"
# Every job: missed runs coalesce into one, and one instance at a time (in this process; the
# runner's advisory lock per job covers the other replicas).
JOB_DEFAULTS = {
    "coalesce": True,
    "max_instances": 1,
    "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
}


def start(app: FastAPI) -> None:
    """Competes for the lock (unless `start_jobs` is off); the scheduler runs while it is held."""
    settings: SchedulerSettings = app.state.settings
    app.state.scheduler = None
    if not settings.start_jobs:
        app.state.leadership = None
        return
    leadership = Leadership(
        LeaderLock(settings.database_url, settings.lock_key),
        retry_seconds=settings.lock_retry_seconds,
        on_active=lambda: _start_scheduler(app),
        on_standby=lambda: _stop_scheduler(app),
    )
    app.state.leadership = leadership
    app.state.runner.may_fire = lambda: leadership.role is Role.active
    leadership.start()


def stop(app: FastAPI) -> None:
    leadership: Leadership | None = getattr(app.state, "leadership", None)
    if leadership is not None:
        leadership.stop()
    app.state.leadership = None
    _stop_scheduler(app)


def role(app: FastAPI) -> Role:
    leadership: Leadership | None = getattr(app.state, "leadership", None)
    return Role.off if leadership is None else leadership.role


def _start_scheduler(app: FastAPI) -> None:
    scheduler = AsyncIOScheduler(
        timezone=OSLO,
        # APScheduler owns the `apscheduler_jobs` table in the scheduler's database: it creates
        # it and keeps the planned jobs (next run times) there. Our migrations leave it alone.
        jobstores={"default": SQLAlchemyJobStore(engine=app.state.engine)},
        # The jobs are synchronous HTTP calls: they run in a thread pool, off the event loop.
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults=JOB_DEFAULTS,
    )
    scheduler.start(paused=True)
    try:
        _store_plan(scheduler, app.state.jobs)
        _rerun_interrupted(scheduler, app.state.runner)
    except Exception:
        scheduler.shutdown(wait=False)
        raise
    runner.activate(app.state.runner)
    scheduler.resume()
    app.state.scheduler = scheduler


def _store_plan(scheduler: AsyncIOScheduler, jobs: Mapping[str, JobDefinition]) -> None:
    """Brings the job store in line with the plan. A stored job whose trigger has not changed is
    kept as it is, so that a run missed while no replica was active is still made (once)."""
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


def _rerun_interrupted(scheduler: AsyncIOScheduler, job_runner: runner.JobRunner) -> None:
    """Marks the runs a stopped scheduler left running as interrupted, and has each such job run
    again at once (once; then on its plan). The jobs are made to be run again: a sweep goes on
    from the batch it had reached, and deletes nothing twice."""
    now = datetime.now(OSLO)
    for job_id in job_runner.interrupt_orphans():
        if scheduler.get_job(job_id) is not None:
            scheduler.modify_job(job_id, next_run_time=now)


def _stop_scheduler(app: FastAPI) -> None:
    # Jobs already running finish in their threads; the next ones are another replica's.
    scheduler: AsyncIOScheduler | None = app.state.scheduler
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)
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
