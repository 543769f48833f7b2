"""Recording job runs and reading them back."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from vern.scheduler.runs import repository as run_repository
from vern.scheduler.runs.models import JobRun, RunStatus, RunTrigger
from vern.scheduler.runs.schemas import JobRunRead


@dataclass(frozen=True)
class RunOutcome:
    """What one execution of a job did, before it is stored."""

    id: uuid.UUID
    job_id: str
    started_at: datetime
    finished_at: datetime
    status: RunStatus
    counts: dict[str, int] | None = None
    dry_run: bool | None = None
    error: str | None = None


def record(*, session: Session, outcome: RunOutcome, trigger: RunTrigger) -> JobRun:
    """Stores a run in the caller's transaction."""
    run = JobRun(
        id=outcome.id,
        job_id=outcome.job_id,
        trigger=trigger,
        started_at=outcome.started_at,
        finished_at=outcome.finished_at,
        status=outcome.status,
        counts_json=json.dumps(outcome.counts, sort_keys=True)
        if outcome.counts is not None
        else None,
        dry_run=outcome.dry_run,
        error=outcome.error,
    )
    run_repository.add(session=session, run=run)
    return run


def list_recent(*, session: Session, job_id: str | None, limit: int) -> Sequence[JobRun]:
    """The latest runs, newest first."""
    return run_repository.list_recent(session=session, job_id=job_id, limit=limit)


def to_read(run: JobRun) -> JobRunRead:
    return JobRunRead(
        id=run.id,
        job_id=run.job_id,
        trigger=run.trigger,
        started_at=run.started_at,
        finished_at=run.finished_at,
        status=run.status,
        counts=json.loads(run.counts_json) if run.counts_json is not None else None,
        dry_run=run.dry_run,
        error=run.error,
    )
