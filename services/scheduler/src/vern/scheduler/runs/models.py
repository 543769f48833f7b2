"""Job runs. They hold counts and status codes, never personal data."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, Text
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class RunTrigger(StrEnum):
    schedule = "schedule"
    manual = "manual"


class RunStatus(StrEnum):
    running = "running"  # a scheduled run under way (recorded before the job starts)
    ok = "ok"
    failed = "failed"
    skipped = "skipped"  # the service does not offer the operation (yet): it answered 404
    # The scheduler stopped (killed, crashed, lost its machine) during the run; the scheduler that
    # takes over finds the run still marked running, marks it so, and runs the job again at once.
    interrupted = "interrupted"


def _label(enum: type[StrEnum]) -> Column[str]:
    # Plain strings rather than PostgreSQL enum types: a new value is a code change only.
    return Column(Enum(enum, native_enum=False, length=16), nullable=False)


class JobRun(SQLModel, table=True):
    """One run of a scheduled job, by the schedule or by hand."""

    __tablename__ = "job_run"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: str = Field(max_length=64, index=True)
    service: str | None = Field(default=None, max_length=32)  # the Vern service it called
    trigger: RunTrigger = Field(sa_column=_label(RunTrigger))
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )  # None while running
    status: RunStatus = Field(sa_column=_label(RunStatus))
    counts_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    dry_run: bool | None = None  # for sweeps: whether the service only counted what is due
    error: str | None = Field(default=None, max_length=255)  # status code or exception class


class RetentionDeletion(SQLModel, table=True):
    """How many rows one sweep deleted under one retention rule (counts only, never ids)."""

    __tablename__ = "retention_deletion"

    id: int | None = Field(default=None, primary_key=True)
    run_id: uuid.UUID = Field(foreign_key="job_run.id", index=True)
    service: str = Field(max_length=32)
    rule: str = Field(max_length=64)
    deleted: int = Field(ge=0)
