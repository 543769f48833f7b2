"""The internal contract every data-holding service implements (subjects and retention), and dsar calls."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from vern.kit.orgprofile.schema import ProcessingActivity, RetentionRule
from vern.kit.orgprofile.wording import RECIPIENT_ROLE_NB, legal_basis_nb, retention_nb


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
    subject_ids: list[str] = Field(
        max_length=100,
        description="Empty for an erase repeated after its answer was lost: the service answers "
        "the request's stored receipt (or an empty one), which names the subjects it erased.",
    )


class RecipientExport(BaseModel):
    """Who else gets a category's data, as the org profile names them: a processor
    (databehandler) or a recipient (mottaker), what for, and where the data is (e.g. "EU")."""

    name: str
    role: str = Field(description="`processor` (databehandler) or `recipient` (mottaker)")
    task: str
    location: str | None = None


class CategoryExport(BaseModel):
    """One category of data held about a subject, with the processing activity that keeps it.

    `recipients` is the readable list; `recipient_details`, `activity` and `retention` were added
    later and are empty when an older service answers."""

    category: str
    purpose: str
    legal_basis: str
    source: str
    recipients: list[str]
    retention_due_date: date | None
    data: dict[str, Any]
    activity: str | None = Field(default=None, description="the processing activity's name (nb)")
    recipient_details: list[RecipientExport] = Field(default_factory=list)
    retention: str | None = Field(
        default=None, description='the retention rule in words: "slettes 3 år etter ..."'
    )


class ActivityDescription(BaseModel):
    """What a category's processing activity says about it, in the org profile's words: the
    descriptive part of a `CategoryExport`, the same for every category the activity keeps."""

    activity: str
    purpose: str
    legal_basis: str
    source: str
    recipients: list[str]
    recipient_details: list[RecipientExport]
    retention: str | None


def describe_activity(
    activity: ProcessingActivity, rule: RetentionRule | None
) -> ActivityDescription:
    """The profile's description of a processing activity, for the categories it keeps."""
    return ActivityDescription(
        activity=activity.name_nb,
        purpose=activity.purpose_nb,
        legal_basis=legal_basis_nb(activity.legal_basis),
        source=activity.source_nb,
        recipients=[
            f"{r.name} ({RECIPIENT_ROLE_NB[r.role]}): {r.task_nb}" for r in activity.recipients
        ],
        recipient_details=[
            RecipientExport(name=r.name, role=r.role.value, task=r.task_nb, location=r.location)
            for r in activity.recipients
        ],
        retention=retention_nb(rule.clock_start, rule.period) if rule is not None else None,
    )


class AccessLogEntry(BaseModel):
    """One audit event about the subject: when, by what kind of actor in which roles, what.
    Ids and roles only: never the actor's name, nor the reason text of a break-glass read."""

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
