"""What the API shows of a request's tasks, and what staff and the journal vendor send back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from vern.dsar.tasks.models import CallErrorKind, TaskKind, TaskOperation, TaskStatus
from vern.kit.contract import KeptItem

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Category = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class TaskSummary(BaseModel):
    """One store's part of a request as a list shows it: which store, and how far it is."""

    id: uuid.UUID
    target: str = Field(description="`registry`, `consent`, or an outside system's id.")
    name: str = Field(description="The store's name (the org profile's, for outside systems).")
    kind: TaskKind
    operation: TaskOperation
    status: TaskStatus


class TaskRead(TaskSummary):
    """One store's part of a request, for a progress view per store."""

    owner_role: str | None = Field(description="Manual tasks: the role that carries it out.")
    checklist: list[str] = Field(description="Manual tasks: the steps, in Norwegian.")
    due_date: date = Field(description="The request's due date.")
    attempts: int
    next_attempt_at: datetime | None = Field(description="When a failed call is tried again.")
    error: str | None = Field(
        description="Why the last attempt failed, in English for the log (status codes only)."
    )
    error_kind: CallErrorKind | None = Field(
        description="What kind of failure the last attempt came to, for a client to say in "
        "its own words: no answer in time, no connection, the connection broke off, the store "
        "answered 5xx or refused the call (4xx), an answer dsar could not read, no address."
    )
    error_status: int | None = Field(
        description="The HTTP status the store answered the last attempt with, if any."
    )
    done_at: datetime | None
    done_by: str | None
    note: str | None = Field(description="What staff wrote when marking it done.")
    note_removed: bool = Field(
        description=(
            "The note staff wrote was destroyed with the request's identifiers after an erasure "
            "(free text may name the person); when and by whom the task was done stay, and what "
            "had to be kept under which law stays in the signed receipt."
        )
    )


class TaskDone(BaseModel):
    """Staff mark a manual task done, saying what they did (and what had to be kept, and why)."""

    model_config = ConfigDict(extra="forbid")

    note: Note
    kept: list[KeptItem] = Field(
        default_factory=list,
        max_length=20,
        description="Erasure: what had to be kept, with the law that requires it.",
    )


class VendorResult(BaseModel):
    """The journal vendor's answer to `subject.erasure_requested`: which categories it erased
    and what it keeps under which law. Ids and category names only."""

    model_config = ConfigDict(extra="forbid")

    erased: list[Category] = Field(default_factory=list, max_length=50)
    kept: list[KeptItem] = Field(default_factory=list, max_length=20)


class ErasureRequestedData(BaseModel):
    request_id: uuid.UUID
    task_id: uuid.UUID
    client_ids: list[str] = Field(description="The registry's ids of the client.")
    callback_path: str = Field(description="Where to post the `VendorResult` (path on dsar).")


class ErasureRequested(BaseModel):
    """The webhook dsar sends the journal vendor for an erasure (Standard Webhooks)."""

    type: str = "subject.erasure_requested"
    timestamp: datetime
    data: ErasureRequestedData
