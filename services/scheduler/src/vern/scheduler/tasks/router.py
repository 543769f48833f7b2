"""Tasks for people: outside systems' retention and deadline reminders, and marking one done."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vern.kit import audit
from vern.kit.clock import now_utc, today_oslo
from vern.kit.db import SessionDep
from vern.kit.errors import Conflict, NotFound, problem_responses
from vern.kit.pagination import Limit, Offset
from vern.scheduler.tasks import service as task_service
from vern.scheduler.tasks.dependencies import TasksClose, TasksRead, ValidTask
from vern.scheduler.tasks.models import TaskKind, TaskStatus
from vern.scheduler.tasks.schemas import TaskRead

router = APIRouter(prefix="/tasks", tags=["tasks"])


@router.get("", response_model=list[TaskRead])
def list_tasks(
    session: SessionDep,
    _: TasksRead,
    status: Annotated[TaskStatus | None, Query()] = None,
    kind: Annotated[TaskKind | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[TaskRead]:
    """Tasks handed out to people, soonest due first, with who closed them and when."""
    today = today_oslo()
    tasks = task_service.list_tasks(
        session=session, status=status, kind=kind, limit=limit, offset=offset
    )
    return [task_service.to_read(task, today=today) for task in tasks]


@router.post(
    "/{task_id}/done", response_model=TaskRead, responses=problem_responses(NotFound, Conflict)
)
def mark_task_done(principal: TasksClose, task: ValidTask, session: SessionDep) -> TaskRead:
    """Marks a task done (its owner role or the manager); 409 if it already is."""
    task = task_service.mark_done(session=session, task=task, principal=principal, now=now_utc())
    audit.record(
        session, principal=principal, action="task.done", subject_type="task", subject_id=task.id
    )
    return task_service.to_read(task, today=today_oslo())
