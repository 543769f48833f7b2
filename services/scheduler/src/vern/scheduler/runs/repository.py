"""Every query on job runs and the rows their sweeps deleted."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from vern.scheduler.runs.models import JobRun, RetentionDeletion, RunStatus


def add(*, session: Session, run: JobRun) -> None:
    session.add(run)
    session.flush()


def get(*, session: Session, run_id: uuid.UUID) -> JobRun | None:
    return session.get(JobRun, run_id)


def running_job_ids(*, session: Session) -> Sequence[str]:
    """The jobs with a run recorded as running (here, on another replica, or orphaned)."""
    query = select(JobRun.job_id).where(JobRun.status == RunStatus.running).distinct()
    return list(session.exec(query).all())


def running_of(*, session: Session, job_id: str) -> Sequence[JobRun]:
    query = select(JobRun).where(JobRun.job_id == job_id, JobRun.status == RunStatus.running)
    return session.exec(query.with_for_update()).all()


def add_deletion(*, session: Session, deletion: RetentionDeletion) -> None:
    session.add(deletion)
    session.flush()


def list_recent(
    *, session: Session, job_id: str | None, status: RunStatus | None, limit: int, offset: int
) -> Sequence[JobRun]:
    """The latest runs, newest first, of one job or of all."""
    query = select(JobRun).order_by(col(JobRun.started_at).desc(), col(JobRun.id))
    if job_id is not None:
        query = query.where(JobRun.job_id == job_id)
    if status is not None:
        query = query.where(JobRun.status == status)
    return session.exec(query.offset(offset).limit(limit)).all()


def runs_by_job_and_status(*, session: Session) -> Sequence[tuple[str, str, int]]:
    query = select(JobRun.job_id, JobRun.status, func.count()).group_by(
        col(JobRun.job_id), col(JobRun.status)
    )
    return [(job, str(status), int(n)) for job, status, n in session.exec(query).all()]


def last_success_by_job(*, session: Session) -> Sequence[tuple[str, datetime]]:
    query = (
        select(JobRun.job_id, func.max(JobRun.finished_at))
        .where(JobRun.status == RunStatus.ok)
        .group_by(col(JobRun.job_id))
    )
    return [(job, at) for job, at in session.exec(query).all() if at is not None]


def deleted_by_service_and_rule(*, session: Session) -> Sequence[tuple[str, str, int]]:
    query = select(
        RetentionDeletion.service, RetentionDeletion.rule, func.sum(RetentionDeletion.deleted)
    ).group_by(col(RetentionDeletion.service), col(RetentionDeletion.rule))
    return [(service, rule, int(n or 0)) for service, rule, n in session.exec(query).all()]


def recent_sweeps(*, session: Session, service: str, limit: int) -> Sequence[JobRun]:
    """A service's latest sweep runs that really deleted (not dry runs), newest first."""
    query = (
        select(JobRun)
        .where(JobRun.service == service, JobRun.job_id == f"{service}-retention-sweep")
        .order_by(col(JobRun.started_at).desc())
        .limit(limit)
    )
    return session.exec(query).all()


def deletions_of(*, session: Session, run_ids: Sequence[object]) -> Sequence[RetentionDeletion]:
    if not run_ids:
        return []
    query = select(RetentionDeletion).where(col(RetentionDeletion.run_id).in_(run_ids))
    return session.exec(query).all()
