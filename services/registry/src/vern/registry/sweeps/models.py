"""What a retention sweep records so that a crashed sweep can be finished by the next one."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class RetentionSweep(SQLModel, table=True):
    """One sweep, committed batch by batch: `counts_json` holds the rows deleted so far per rule.
    A sweep that never reached `finished_at` (killed half-way) is continued by the next one."""

    __tablename__ = "retention_sweep"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    on_date: date
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )
    batches: int = 0
    counts_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class PendingShred(SQLModel, table=True):
    """The subjects of one committed batch, whose rows are deleted but whose data keys may still
    exist in the key store (another database). The sweep destroys the keys after the commit and
    clears the entry in its next transaction; whatever a crash leaves here the next sweep shreds
    first. Ids only, as a JSON list."""

    __tablename__ = "pending_shred"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subject_ids_json: str = Field(sa_column=Column(Text, nullable=False))
    queued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
