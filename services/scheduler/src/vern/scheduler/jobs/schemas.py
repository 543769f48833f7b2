"""What the API returns for jobs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class JobRead(BaseModel):
    id: str
    description: str
    schedule: str
    next_run_at: datetime | None = Field(
        description="When the job runs next; null when this process does not run the scheduler."
    )
