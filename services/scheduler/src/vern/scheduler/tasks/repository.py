"""Every query on tasks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from vern.scheduler.tasks.models import Task, TaskKind, TaskStatus


def add(*, session: Session, task: Task) -> None:
    session.add(task)
    session.flush()


def get(*, session: Session, task_id: uuid.UUID) -> Task | None:
    return session.get(Task, task_id)


def get_by_key(*, session: Session, key: str) -> Task | None:
    return session.exec(select(Task).where(Task.key == key)).first()


def latest_outside_system_task(*, session: Session, rule: str, outside_system: str) -> Task | None:
    """The most recent task handed out for this rule and outside system."""
    query = (
        select(Task)
        .where(Task.kind == TaskKind.outside_system_retention)
        .where(Task.rule == rule, Task.outside_system == outside_system)
        .order_by(col(Task.period_start_date).desc())
        .limit(1)
    )
    return session.exec(query).first()


def open_deadline_tasks(*, session: Session) -> Sequence[Task]:
    query = select(Task).where(
        col(Task.kind).in_([TaskKind.request_deadline, TaskKind.breach_deadline]),
        Task.status == TaskStatus.open,
    )
    return session.exec(query).all()


def list_tasks(
    *,
    session: Session,
    status: TaskStatus | None,
    kind: TaskKind | None,
    limit: int,
    offset: int,
) -> Sequence[Task]:
    """Tasks by due date (soonest first), then by when they were handed out."""
    query = select(Task).order_by(col(Task.due_date), col(Task.created_at), col(Task.id))
    if status is not None:
        query = query.where(Task.status == status)
    if kind is not None:
        query = query.where(Task.kind == kind)
    return session.exec(query.offset(offset).limit(limit)).all()


def count_overdue(*, session: Session, today: date) -> int:
    query = select(func.count()).where(Task.status == TaskStatus.open, col(Task.due_date) < today)
    return int(session.exec(query).one())
