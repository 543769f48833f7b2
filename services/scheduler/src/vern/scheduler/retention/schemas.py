"""What the retention preview returns: counts per service, rule and date, never who."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from vern.scheduler.runs.models import RunStatus


class DueCount(BaseModel):
    rule: str
    what_nb: str | None = Field(description="The rule's description in the org profile")
    due_date: date = Field(description="The Oslo date on which the sweep deletes them")
    count: int


class RuleCount(BaseModel):
    rule: str
    what_nb: str | None
    count: int


class SweepRecord(BaseModel):
    run_id: uuid.UUID
    started_at: datetime
    status: RunStatus
    dry_run: bool | None
    deleted: list[RuleCount] = Field(description="Rows deleted per rule (due, in a dry run)")


class ServicePreview(BaseModel):
    service: str
    available: bool = Field(description="false: the service did not answer; counts are unknown")
    error: str | None = Field(description="Why it is unavailable: a status code or error class")
    due: list[DueCount]
    recent_sweeps: list[SweepRecord]


class RetentionOverview(BaseModel):
    today: date
    until: date
    services: list[ServicePreview]
