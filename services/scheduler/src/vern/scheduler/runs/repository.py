"""Every query on job runs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from vern.scheduler.runs.models import JobRun


def add(*, session: Session, run: JobRun) -> None:
    session.add(run)
    session.flush()


def list_recent(*, session: Session, job_id: str | None, limit: int) -> Sequence[JobRun]:
    """The latest runs, newest first, of one job or of all."""
    query = select(JobRun).order_by(col(JobRun.started_at).desc()).limit(limit)
    if job_id is not None:
        query = query.where(JobRun.job_id == job_id)
    return session.exec(query).all()
