"""Runs one job: times it, keeps two runs of it from overlapping in this process, turns any
failure into a status code or an exception class, and records scheduled runs."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from vern.kit.clock import now_utc
from vern.kit.http import ServiceClient
from vern.kit.logging import get_logger
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs.definitions import JobDefinition
from vern.scheduler.runs import service as run_service
from vern.scheduler.runs.models import RunStatus, RunTrigger
from vern.scheduler.runs.service import RunOutcome

log = get_logger(__name__)


class JobBusy(Exception):
    """The job is already running in this process."""


class JobRunner:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: SchedulerSettings,
        jobs: Mapping[str, JobDefinition],
        peers: Mapping[str, ServiceClient],
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.jobs = jobs
        self.peers = peers
        self._locks = {job_id: threading.Lock() for job_id in jobs}

    def execute(self, job_id: str) -> RunOutcome:
        """Runs the job now and says how it went; raises `JobBusy` if it is already running."""
        job = self.jobs[job_id]
        lock = self._locks[job_id]
        if not lock.acquire(blocking=False):
            raise JobBusy(job_id)
        try:
            return self._execute(job)
        finally:
            lock.release()

    def _execute(self, job: JobDefinition) -> RunOutcome:
        run_id, started_at = uuid.uuid4(), now_utc()
        try:
            result = job.work(self.peers, self.settings, str(run_id))
        except Exception as exc:  # a job must always leave a record of its run, however it fails
            error = _describe(exc)
            log.warning("job failed", job_id=job.id, run_id=str(run_id), error=error)
            return RunOutcome(
                id=run_id,
                job_id=job.id,
                started_at=started_at,
                finished_at=now_utc(),
                status=RunStatus.failed,
                error=error,
            )
        log.info("job ran", job_id=job.id, run_id=str(run_id), counts=result.counts)
        return RunOutcome(
            id=run_id,
            job_id=job.id,
            started_at=started_at,
            finished_at=now_utc(),
            status=RunStatus.ok,
            counts=result.counts,
            dry_run=result.dry_run,
        )

    def run_scheduled(self, job_id: str) -> None:
        """A run fired by the schedule, recorded in a transaction of its own."""
        try:
            outcome = self.execute(job_id)
        except JobBusy:
            log.info("job skipped: still running", job_id=job_id)
            return
        with Session(self.engine) as session:
            run_service.record(session=session, outcome=outcome, trigger=RunTrigger.schedule)
            session.commit()


def _describe(exc: Exception) -> str:
    # Status codes and exception classes only: messages and bodies could carry personal data.
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__


# APScheduler keeps its jobs in the database, so what it calls must be importable by name and take
# only plain arguments: `run_scheduled(job_id)` finds this process's runner here.
_active: JobRunner | None = None


def activate(runner: JobRunner | None) -> None:
    global _active
    _active = runner


def run_scheduled(job_id: str) -> None:
    """The entry point APScheduler stores for every job."""
    runner = _active
    if runner is None or job_id not in runner.jobs:
        log.warning("scheduled job not run: no runner for it in this process", job_id=job_id)
        return
    runner.run_scheduled(job_id)
