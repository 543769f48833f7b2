"""What the API returns for job runs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel

from vern.scheduler.runs.models import RunStatus, RunTrigger


def _utc(value: datetime) -> datetime:
    # SQLite hands stored timestamps back without their zone; they are always UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]


class JobRunRead(BaseModel):
    id: uuid.UUID
    job_id: str
    trigger: RunTrigger
    started_at: UtcDatetime
    finished_at: UtcDatetime
    status: RunStatus
    counts: dict[str, int] | None
    dry_run: bool | None
    error: str | None
