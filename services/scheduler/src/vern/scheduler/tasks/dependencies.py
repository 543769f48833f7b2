"""Who may see and close tasks, and the check that a task exists."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path

from vern.kit.auth import Principal, require
from vern.kit.db import SessionDep
from vern.kit.errors import NotFound
from vern.scheduler.tasks import service as task_service
from vern.scheduler.tasks.models import Task

TasksRead = Annotated[Principal, Depends(require(roles={"manager", "dpo"}))]
# Any staff role may try; the service admits the task's owner role and the manager.
TasksClose = Annotated[
    Principal, Depends(require(roles={"counsellor", "coordinator", "manager", "dpo"}))
]


def valid_task_id(task_id: Annotated[uuid.UUID, Path()], session: SessionDep) -> Task:
    """The task with this id, or 404."""
    task = task_service.get(session=session, task_id=task_id)
    if task is None:
        raise NotFound("no such task")
    return task


ValidTask = Annotated[Task, Depends(valid_task_id)]
