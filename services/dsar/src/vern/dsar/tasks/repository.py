"""Every query on request tasks."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlmodel import Session, col, select

from vern.dsar.tasks.models import RequestTask, TaskKind, TaskOperation, TaskStatus


def add_all(*, session: Session, tasks: Sequence[RequestTask]) -> None:
    session.add_all(tasks)
    session.flush()


def get(*, session: Session, task_id: uuid.UUID) -> RequestTask | None:
    """Gets a task by its id."""
    return session.get(RequestTask, task_id)


def for_request(*, session: Session, request_id: uuid.UUID) -> list[RequestTask]:
    """A request's tasks, in the order they were planned."""
    query = (
        select(RequestTask)
        .where(RequestTask.request_id == request_id)
        .order_by(col(RequestTask.created_at), col(RequestTask.target))
    )
    return list(session.exec(query).all())


def for_requests(
    *, session: Session, request_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[RequestTask]]:
    """The tasks of several requests at once, by request."""
    found: dict[uuid.UUID, list[RequestTask]] = {rid: [] for rid in request_ids}
    if not request_ids:
        return found
    query = (
        select(RequestTask)
        .where(col(RequestTask.request_id).in_(list(request_ids)))
        .order_by(col(RequestTask.created_at), col(RequestTask.target))
    )
    for task in session.exec(query).all():
        found[task.request_id].append(task)
    return found


class TaskProgress(NamedTuple):
    """What a list of requests shows of a task: its store, kind and status (a plain tuple: a
    page builds hundreds)."""

    id: uuid.UUID
    request_id: uuid.UUID
    target: str
    kind: TaskKind
    operation: TaskOperation
    status: TaskStatus


def progress_of_requests(
    *, session: Session, request_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[TaskProgress]]:
    """The progress of several requests' tasks at once, by request, in the order they were
    planned: plain rows of the columns a list shows, not whole tasks (a task's sealed answer
    from its store can be large, and building each task object costs more than the rest of a
    page)."""
    found: dict[uuid.UUID, list[TaskProgress]] = {rid: [] for rid in request_ids}
    if not request_ids:
        return found
    query = (
        sa_select(
            col(RequestTask.id),
            col(RequestTask.request_id),
            col(RequestTask.target),
            col(RequestTask.kind),
            col(RequestTask.operation),
            col(RequestTask.status),
        )
        .where(col(RequestTask.request_id).in_(list(request_ids)))
        .order_by(col(RequestTask.created_at), col(RequestTask.target))
    )
    for row in session.execute(query).all():
        found[row[1]].append(TaskProgress._make(row))
    return found


def requests_with_due_calls(*, session: Session, now: datetime, limit: int) -> list[uuid.UUID]:
    """Requests with a call whose time has come (pending or failed, at or after its backoff or
    an abandoned claim's lease). Nothing is locked: each call is claimed on its own (`claim`)."""
    query = (
        select(RequestTask.request_id)
        .where(col(RequestTask.kind).in_([TaskKind.service, TaskKind.vendor]))
        .where(col(RequestTask.status).in_([TaskStatus.pending, TaskStatus.failed]))
        .where(col(RequestTask.next_attempt_at) <= now)
        .order_by(col(RequestTask.next_attempt_at))
        .limit(limit)
    )
    return list(dict.fromkeys(session.exec(query).all()))


def claim(*, session: Session, task_id: uuid.UUID, now: datetime, until: datetime) -> int | None:
    """Claims a due call for one attempt: its next attempt moves to `until` (the lease, kept in
    `claimed_until` too until the outcome is recorded) and its attempts go up by one, which it
    returns; None if the call is no longer due (done, or claimed
    by another run: on PostgreSQL a concurrent claim waits for this row and then finds it no
    longer due; SQLite has one writer at a time)."""
    claimed = session.execute(
        update(RequestTask)
        .where(col(RequestTask.id) == task_id)
        .where(col(RequestTask.status).in_([TaskStatus.pending, TaskStatus.failed]))
        .where(col(RequestTask.next_attempt_at) <= now)
        .values(next_attempt_at=until, claimed_until=until, attempts=col(RequestTask.attempts) + 1)
        .returning(col(RequestTask.attempts))
        .execution_options(synchronize_session=False)
    )
    attempt = claimed.scalar_one_or_none()
    return int(attempt) if attempt is not None else None
