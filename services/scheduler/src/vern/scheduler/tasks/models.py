"""Tasks for people. They hold ids from the org profile and dsar, never personal data."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Enum
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class TaskKind(StrEnum):
    outside_system_retention = "outside_system_retention"  # delete what is due in an outside system
    request_deadline = "request_deadline"  # answer a data request in time
    breach_deadline = "breach_deadline"  # notify a breach in time (72 hours)


class TaskStatus(StrEnum):
    open = "open"
    done = "done"


def _label(enum: type[StrEnum], length: int) -> Column[str]:
    return Column(Enum(enum, native_enum=False, length=length), nullable=False, index=True)


class Task(SQLModel, table=True):
    """One task with an owner role and a due date ("oppgave")."""

    __tablename__ = "task"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # One task per occasion: `<rule>:<outside system>:<period start>` or `<deadline kind>:<ref>`.
    key: str = Field(max_length=200, unique=True)
    kind: TaskKind = Field(sa_column=_label(TaskKind, 32))
    title_nb: str = Field(max_length=500)
    rule: str | None = Field(default=None, max_length=64)  # retention rule id in the profile
    outside_system: str | None = Field(default=None, max_length=64)
    ref: str | None = Field(default=None, max_length=64)  # dsar's id of the request or breach
    owner_role: str = Field(max_length=32)
    period_start_date: date | None = None
    due_date: date = Field(index=True)
    due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: TaskStatus = Field(sa_column=_label(TaskStatus, 16))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    closed_by: str | None = Field(default=None, max_length=255)  # who: a token subject, or "dsar"
