"""Reminders sent about a deadline, so that each is sent once."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, UniqueConstraint
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class ReminderStage(StrEnum):
    approaching = "approaching"  # 48 hours before a breach's, 7 days before a request's
    overdue = "overdue"


class DeadlineReminder(SQLModel, table=True):
    """One reminder sent: for which deadline (kind, dsar's id, due time) and at which stage.
    A moved due time (an extension) is a new deadline and gets its own reminders."""

    __tablename__ = "deadline_reminder"
    __table_args__ = (UniqueConstraint("kind", "ref", "stage", "due_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(max_length=32)
    ref: str = Field(max_length=64, index=True)
    stage: ReminderStage = Field(
        sa_column=Column(Enum(ReminderStage, native_enum=False, length=16), nullable=False)
    )
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
