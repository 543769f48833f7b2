"""The internal contract every data-holding service implements (subjects and retention), and dsar calls."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class SubjectIdentifiers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    national_id: str | None = Field(default=None, max_length=11)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    subject_refs: list[str] = Field(default_factory=list, max_length=100)


class SubjectSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    identifiers: SubjectIdentifiers


class SubjectMatch(BaseModel):
    subject_id: str
    matched_on: list[str]


class SubjectSearchResult(BaseModel):
    service: str
    subjects: list[SubjectMatch]


class SubjectsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(min_length=1, max_length=64)
    subject_ids: list[str] = Field(min_length=1, max_length=100)


class CategoryExport(BaseModel):
    category: str
    purpose: str
    legal_basis: str
    source: str
    recipients: list[str]
    retention_due_date: date | None
    data: dict[str, Any]


class AccessLogEntry(BaseModel):
    occurred_at: datetime
    actor_kind: str
    roles: str
    action: str
    break_glass: bool


class SubjectExport(BaseModel):
    subject_id: str
    categories: list[CategoryExport]
    access_log: list[AccessLogEntry]


class ExportResult(BaseModel):
    service: str
    request_id: str
    subjects: list[SubjectExport]


class ErasedItem(BaseModel):
    subject_id: str
    categories: list[str]


class KeptItem(BaseModel):
    category: str
    reason: str
    law: str | None = None


class ErasureReceipt(BaseModel):
    service: str
    request_id: str
    erased: list[ErasedItem]
    kept: list[KeptItem]
    completed_at: datetime


class SweepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dry_run: bool = True
    batch_size: int = Field(default=500, ge=1, le=10_000)


class SweepResult(BaseModel):
    service: str
    dry_run: bool
    on: date
    counts: dict[str, int]


class PreviewItem(BaseModel):
    rule: str
    subject_id: str
    due_date: date


class RetentionPreview(BaseModel):
    service: str
    until: date
    items: list[PreviewItem]


class OutboxDelivery(BaseModel):
    delivered: int
    failed: int
    dropped: int


class Deadline(BaseModel):
    """A deadline the dsar service keeps: a request's answer or a breach's notifications.

    `ref` is dsar's own id of the request or breach, never anything about the person.
    """

    kind: Literal[
        "request_answer", "request_extension_notice", "breach_authority", "breach_subjects"
    ]
    ref: str = Field(min_length=1, max_length=64)
    due_at: datetime
    owner_role: Literal["counsellor", "coordinator", "manager", "dpo"] = "manager"


class DeadlineList(BaseModel):
    """`GET /dsar/internal/deadlines`: the open deadlines (done ones are left out)."""

    service: str
    deadlines: list[Deadline]
