"""Runs one job: times it, keeps two runs of it from overlapping (in this process, and on
PostgreSQL across replicas), turns any failure into a status code or an exception class, and
records scheduled runs: as running before the job starts (committed at once), then how it went.

A scheduler killed during a run leaves that run marked running. Whoever next holds the job's
locks knows no run of it is under way, so such a run is an orphan: the scheduler that becomes
active marks its job's orphans interrupted (and runs the job again at once, see the planner), and
every scheduled run first marks any orphan of its own job."""

from __future__ import annotations

import threading
import uuid
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from vern.kit.clock import now_utc
from vern.kit.http import ServiceClient
from vern.kit.logging import get_logger
from vern.kit.orgprofile import OrgProfile
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs.definitions import JobContext, JobDefinition, Skipped
from vern.scheduler.runs import service as run_service
from vern.scheduler.runs.models import RunStatus, RunTrigger
from vern.scheduler.runs.service import RunOutcome

log = get_logger(__name__)

# pg_try_advisory_lock(int, int): this key space holds one lock per job id.
_JOB_LOCK_SPACE = 0x56524E4A  # "VRNJ"


class JobBusy(Exception):
    """The job is already running, in this process or another replica."""


class JobRunner:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: SchedulerSettings,
        profile: OrgProfile,
        jobs: Mapping[str, JobDefinition],
        peers: Mapping[str, ServiceClient],
        may_fire: Callable[[], bool] = lambda: True,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.profile = profile
        self.jobs = jobs
        self.peers = peers
        self.may_fire = may_fire  # whether this replica fires scheduled jobs (holds the lock)
        self._locks = {job_id: threading.Lock() for job_id in jobs}

    def execute(
        self,
        job_id: str,
        *,
        session: Session,
        on_start: Callable[[uuid.UUID, datetime], None] | None = None,
    ) -> RunOutcome:
        """Runs the job now in the caller's transaction and says how it went (the caller records
        it there); raises `JobBusy` if it is already running. `on_start(run_id, started_at)` is
        called once the job's locks are held, before the job starts."""
        job = self.jobs[job_id]
        with self._job_locks(job_id) as free:
            if not free:
                raise JobBusy(job_id)
            run_id, started_at = uuid.uuid4(), now_utc()
            if on_start is not None:
                on_start(run_id, started_at)
            return self._execute(job, session, run_id=run_id, started_at=started_at)

    @contextmanager
    def _job_locks(self, job_id: str) -> Iterator[bool]:
        """Holds the job's lock in this process and, on PostgreSQL, across replicas; yields
        whether both were free."""
        lock = self._locks[job_id]
        if not lock.acquire(blocking=False):
            yield False
            return
        try:
            with _across_replicas(self.engine, job_id) as free:
                yield free
        finally:
            lock.release()

    def interrupt_orphans(self) -> list[str]:
        """Marks as interrupted the runs left marked running by a scheduler that stopped during
        them (each job's whose locks are free: a job running elsewhere is left alone); returns
        the jobs that had one. Called when this replica becomes the active one."""
        interrupted = []
        with Session(self.engine, expire_on_commit=False) as session:
            job_ids = run_service.running_job_ids(session=session)
            session.rollback()
            for job_id in job_ids:
                with self._job_locks(job_id) as free:
                    if not free:
                        continue
                    found = run_service.interrupt_orphans(
                        session=session, job_id=job_id, now=now_utc()
                    )
                    session.commit()
                if found:
                    log.warning("run found interrupted", job_id=job_id, runs=found)
                    interrupted.append(job_id)
        return interrupted

    def _execute(
        self, job: JobDefinition, session: Session, *, run_id: uuid.UUID, started_at: datetime
    ) -> RunOutcome:
        context = JobContext(
            peers=self.peers,
            settings=self.settings,
            profile=self.profile,
            session=session,
            run_id=str(run_id),
        )
        outcome = RunOutcome(
            id=run_id,
            job_id=job.id,
            service=job.service,
            started_at=started_at,
            finished_at=started_at,
            status=RunStatus.ok,
        )
        try:
            result = job.work(context)
        except Skipped as exc:
            log.info("job skipped", job_id=job.id, run_id=str(run_id), reason=str(exc))
            return outcome.finished(status=RunStatus.skipped, error=str(exc))
        except Exception as exc:  # a job must always leave a record of its run, however it fails
            error = _describe(exc)
            log.warning("job failed", job_id=job.id, run_id=str(run_id), error=error)
            return outcome.finished(status=RunStatus.failed, error=error)
        log.info("job ran", job_id=job.id, run_id=str(run_id), counts=result.counts)
        return outcome.finished(
            status=RunStatus.ok,
            counts=result.counts,
            dry_run=result.dry_run,
            deleted=result.deleted,
        )

    def run_scheduled(self, job_id: str) -> None:
        """A run fired by the schedule, recorded in a transaction of its own."""
        if not self.may_fire():
            log.warning("scheduled job not run: this replica does not hold the lock", job_id=job_id)
            return
        job = self.jobs[job_id]
        with Session(self.engine, expire_on_commit=False) as session:

            def started(run_id: uuid.UUID, started_at: datetime) -> None:
                # The job's locks are held: a run of it still marked running is an orphan.
                run_service.interrupt_orphans(session=session, job_id=job_id, now=started_at)
                run_service.start(
                    session=session, run_id=run_id, job_id=job_id, service=job.service,
                    trigger=RunTrigger.schedule, started_at=started_at,
                )  # fmt: skip
                session.commit()

            try:
                outcome = self.execute(job_id, session=session, on_start=started)
            except JobBusy:
                log.info("job skipped: still running", job_id=job_id)
                return
            run_service.record(session=session, outcome=outcome, trigger=RunTrigger.schedule)
            session.commit()


@contextmanager
def _across_replicas(engine: Engine, job_id: str) -> Iterator[bool]:
    """On PostgreSQL, holds a per-job advisory lock while the job runs, so that a run by hand on
    one replica and a scheduled run on another never overlap. SQLite runs one instance only."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = {"space": _JOB_LOCK_SPACE, "job": zlib.crc32(job_id.encode()) - 2**31}
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        free = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:space, :job)"), key).scalar()
        )
        try:
            yield free
        finally:
            if free:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:space, :job)"), key)
                except OperationalError:
                    # The server dropped the connection during the run, and the lock with it:
                    # there is nothing to release, and the run's outcome must still be recorded.
                    log.warning("job lock's connection lost during the run", job_id=job_id)


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
