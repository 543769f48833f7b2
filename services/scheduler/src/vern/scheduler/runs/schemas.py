"""What the API returns for job runs."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from vern.scheduler.runs.models import RunStatus, RunTrigger


class JobRunRead(BaseModel):
    id: uuid.UUID
    job_id: str
    trigger: RunTrigger
    started_at: datetime
    finished_at: datetime
    status: RunStatus
    counts: dict[str, int] | None
    dry_run: bool | None
    error: str | None
