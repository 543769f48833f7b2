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


def record(*, session: Session, outcome: RunOutcome, trigger: RunTrigger) -> JobRun:
    """Stores a run, and what a sweep deleted per rule, in the caller's transaction."""
    run = JobRun(
        id=outcome.id,
        job_id=outcome.job_id,
        service=outcome.service,
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
