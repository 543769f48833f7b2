"""Recording job runs and reading them back."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from vern.kit.clock import now_utc
from vern.scheduler.runs import repository as run_repository
from vern.scheduler.runs.models import JobRun, RetentionDeletion, RunStatus, RunTrigger
from vern.scheduler.runs.schemas import JobRunRead


@dataclass(frozen=True)
class RunOutcome:
    """What one execution of a job did, before it is stored."""

    id: uuid.UUID
    job_id: str
    started_at: datetime
    finished_at: datetime
    status: RunStatus
    service: str | None = None
    counts: dict[str, int] | None = None
    dry_run: bool | None = None
    error: str | None = None
    deleted: dict[str, int] = field(default_factory=dict)  # rows a sweep deleted, per rule

    def finished(self, **changes: Any) -> RunOutcome:
        return dataclasses.replace(self, finished_at=now_utc(), **changes)


def start(
    *,
    session: Session,
    run_id: uuid.UUID,
    job_id: str,
    service: str | None,
    trigger: RunTrigger,
    started_at: datetime,
) -> JobRun:
    """Records a run as running, before its job starts (the caller commits it at once, so that a
    run the scheduler does not live to finish is still on record)."""
    run = JobRun(
        id=run_id,
        job_id=job_id,
        service=service,
        trigger=trigger,
        started_at=started_at,
        finished_at=None,
        status=RunStatus.running,
    )
    run_repository.add(session=session, run=run)
    return run


def interrupt_orphans(*, session: Session, job_id: str, now: datetime) -> int:
    """Marks the job's runs still recorded as running as interrupted; returns how many. The
    caller holds the job's locks (in this process and across replicas), so no run of it is
    under way: a run still marked running was left by a scheduler that stopped during it."""
    orphans = run_repository.running_of(session=session, job_id=job_id)
    for run in orphans:
        run.status = RunStatus.interrupted
        run.finished_at = now
        run_repository.add(session=session, run=run)
    return len(orphans)


def running_job_ids(*, session: Session) -> Sequence[str]:
    return run_repository.running_job_ids(session=session)


def record(*, session: Session, outcome: RunOutcome, trigger: RunTrigger) -> JobRun:
    """Stores a run (or completes the one `start` recorded), and what a sweep deleted per rule,
    in the caller's transaction."""
    run = run_repository.get(session=session, run_id=outcome.id) or JobRun(
        id=outcome.id, job_id=outcome.job_id, trigger=trigger, started_at=outcome.started_at,
        status=outcome.status,
    )  # fmt: skip
    run.service = outcome.service
    run.finished_at = outcome.finished_at
    run.status = outcome.status
    run.counts_json = (
        json.dumps(outcome.counts, sort_keys=True) if outcome.counts is not None else None
    )
    run.dry_run = outcome.dry_run
    run.error = outcome.error
    run_repository.add(session=session, run=run)
    for rule, deleted in sorted(outcome.deleted.items()):
        run_repository.add_deletion(
            session=session,
            deletion=RetentionDeletion(
                run_id=run.id, service=outcome.service or "", rule=rule, deleted=deleted
            ),
        )
    return run


def list_recent(
    *, session: Session, job_id: str | None, status: RunStatus | None, limit: int, offset: int
) -> Sequence[JobRun]:
    """The latest runs, newest first."""
    return run_repository.list_recent(
        session=session, job_id=job_id, status=status, limit=limit, offset=offset
    )


def to_read(run: JobRun) -> JobRunRead:
    return JobRunRead(
        id=run.id,
        job_id=run.job_id,
        service=run.service,
        trigger=run.trigger,
        started_at=run.started_at,
        finished_at=run.finished_at,
        status=run.status,
        counts=json.loads(run.counts_json) if run.counts_json is not None else None,
        dry_run=run.dry_run,
        error=run.error,
    )
