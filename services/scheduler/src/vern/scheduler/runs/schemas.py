"""What the API returns for job runs."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from vern.scheduler.runs.models import RunStatus, RunTrigger


class JobRunRead(BaseModel):
    id: uuid.UUID
    job_id: str
    service: str | None
    trigger: RunTrigger
    started_at: datetime
    finished_at: datetime | None = Field(
        description="When the run ended; none while it runs. For an interrupted run: when the "
        "scheduler that took over found it interrupted"
    )
    status: RunStatus
    counts: dict[str, int] | None = Field(
        description="What the job counted: for a sweep, rows per retention rule (deleted, or due in a dry run)"
    )
    dry_run: bool | None
    error: str | None
