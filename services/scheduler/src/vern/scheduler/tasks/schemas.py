"""What the API returns for tasks."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from vern.scheduler.tasks.models import TaskKind, TaskStatus


class TaskRead(BaseModel):
    id: uuid.UUID
    kind: TaskKind
    title_nb: str = Field(description="What to do, in Norwegian (bokmål)")
    rule: str | None = Field(description="The org profile's retention rule, for retention tasks")
    outside_system: str | None
    ref: str | None = Field(description="dsar's id of the request or breach, for deadlines")
    owner_role: str
    period_start_date: date | None
    due_date: date = Field(description="Europe/Oslo calendar date")
    due_at: datetime | None = Field(description="The exact deadline, for requests and breaches")
    created_at: datetime
    status: TaskStatus
    overdue: bool
    closed_at: datetime | None
    closed_by: str | None = Field(description='Who marked it done (a user id), or "dsar"')
