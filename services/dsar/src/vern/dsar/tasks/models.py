"""The tasks that carry out a data request: one per store that may hold the person's data."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, ForeignKey, Text, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class TaskKind(StrEnum):
    service = "service"  # a Vern service, through its internal subject contract
    vendor = "vendor"  # the journal vendor: a signed webhook, answered through a callback
    manual = "manual"  # an outside system: staff do it by hand and mark it done


class TaskOperation(StrEnum):
    export = "export"  # access: what the store holds
    erase = "erase"  # erasure
    rectify = "rectify"  # rectification: the corrections applied where the data is kept


class TaskStatus(StrEnum):
    pending = "pending"  # to be run (a call) or done by staff (a manual task)
    awaiting_vendor = "awaiting_vendor"  # the vendor was told; its answer has not come yet
    failed = "failed"  # the last attempt failed; retried with backoff, or at once on request
    done = "done"


class CallErrorKind(StrEnum):
    """What kind of failure a call's last attempt came to, for staff to be told in their own
    words; with `last_status` the only other thing kept of it (never an answer's body)."""

    timeout = "timeout"  # no answer in time
    unreachable = "unreachable"  # no connection: refused, or the address does not resolve
    network = "network"  # the connection broke off otherwise
    server_error = "server_error"  # the store answered 5xx
    client_error = "client_error"  # the store refused the call (4xx)
    bad_answer = "bad_answer"  # an answer dsar could not read
    not_configured = "not_configured"  # dsar has no address for the store


OPEN = frozenset({TaskStatus.pending, TaskStatus.awaiting_vendor, TaskStatus.failed})


def _label(enum: type[StrEnum]) -> Column[str]:
    return Column(Enum(enum, native_enum=False, length=32), nullable=False)


class RequestTask(SQLModel, table=True):
    """One target of one request. `target` is a Vern service (`registry`, `consent`) or an outside
    system's id from the org profile; `result_ct` (what the store answered) and `note_ct` (what
    staff wrote, free text that may name the person) are sealed under the request's key and go
    when its identifiers are shredded; who did a task and when stay.
    `last_error` holds status codes and exception classes only, never data; `last_error_kind`
    and `last_status` say the same for a client to put in words."""

    __tablename__ = "request_task"
    __table_args__ = (UniqueConstraint("request_id", "target"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    request_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid(), ForeignKey("data_request.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    target: str = Field(max_length=64)
    kind: TaskKind = Field(sa_column=_label(TaskKind))
    operation: TaskOperation = Field(sa_column=_label(TaskOperation))
    status: TaskStatus = Field(
        sa_column=Column(Enum(TaskStatus, native_enum=False, length=32), nullable=False, index=True)
    )
    depends_on: str | None = Field(default=None, max_length=64)  # runs once that target is done
    owner_role: str | None = Field(default=None, max_length=32)
    checklist: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = 0
    next_attempt_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )
    # Until when a run holds the call it claimed (its lease), cleared once its outcome is
    # recorded: a retry on request leaves such a call to the run making it.
    claimed_until: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    last_error: str | None = Field(default=None, max_length=255)
    last_error_kind: CallErrorKind | None = Field(
        default=None, sa_column=Column(Enum(CallErrorKind, native_enum=False, length=32))
    )
    last_status: int | None = None  # the HTTP status of the last failed attempt, if it had one
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    done_by: str | None = Field(default=None, max_length=255)
    result_ct: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    note_ct: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
