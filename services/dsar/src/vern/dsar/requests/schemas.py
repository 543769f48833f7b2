"""What the API accepts and returns for data requests. Errors name the field, never echo the value."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from vern.dsar.identifiers import normalise_national_id
from vern.dsar.packages.schemas import AccessPackage as AccessPackage
from vern.dsar.packages.schemas import PackageSubject as PackageSubject
from vern.dsar.requests.models import (
    Approval,
    Channel,
    ExtensionReason,
    IdentityCheck,
    LetterChannel,
    RejectionReason,
    RequestStatus,
    RequestType,
)
from vern.dsar.tasks.schemas import TaskRead, TaskSummary
from vern.kit.identifiers import normalise_email

Email = Annotated[str, Field(max_length=254), AfterValidator(normalise_email)]
NationalId = Annotated[
    str, Field(min_length=11, max_length=11), AfterValidator(normalise_national_id)
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
CorrectedField = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
CorrectedValue = Annotated[str, StringConstraints(max_length=1000)]
StaffIdentityCheck = Literal[
    IdentityCheck.bankid_in_person,
    IdentityCheck.id_document,
    IdentityCheck.known_from_earlier_contact,
]


class DataRequestCreate(BaseModel):
    """A request registered by staff on someone's behalf (identifiers, how identity was checked)
    or by a client logged in with BankID (type and corrections only: the login says who they are)."""

    model_config = ConfigDict(extra="forbid")

    type: RequestType
    channel: Literal[Channel.staff, Channel.letter_email] | None = Field(
        default=None,
        description="Staff only: `staff` (the requester in front of you, the default) or "
        "`letter_email` (a letter or an email).",
    )
    name: Name | None = Field(default=None, description="Staff only: the requester's name.")
    national_id: NationalId | None = None
    email: Email | None = None
    identity_check: StaffIdentityCheck | None = Field(
        default=None,
        description="Staff only: how the requester's identity was checked; required for the "
        "`staff` channel, and for a letter or email once identity is proven.",
    )
    corrections: dict[CorrectedField, CorrectedValue] | None = Field(
        default=None,
        max_length=50,
        description="Rectification only: the field to correct and its new value.",
    )
    email_proof: str | None = Field(
        default=None,
        max_length=4096,
        description="Clients only: the proof of an e-mail address (`POST /dsar/me/email-proofs`), "
        "so that the request reaches what the stores hold under that address too.",
    )


class RequestTransition(BaseModel):
    """Moves a request to another status (see `vern.dsar.requests.lifecycle`)."""

    model_config = ConfigDict(extra="forbid")

    status: RequestStatus
    identity_check: StaffIdentityCheck | None = Field(
        default=None, description="Required when moving to `identity_verified`, unless recorded."
    )
    rejection_reason: RejectionReason | None = Field(
        default=None, description="Required when moving to `rejected`."
    )


class ExtensionCreate(BaseModel):
    """An extension of the deadline (Art. 12(3)), granted while the first deadline runs and told
    to the subject, with the reason, within that time."""

    model_config = ConfigDict(extra="forbid")

    months: int = Field(ge=1, le=12)
    reason: ExtensionReason
    letter_sent_date: date = Field(description="When the subject was told (Oslo date).")
    letter_sent_via: LetterChannel


class RequestSubject(BaseModel):
    """The identifiers the request named; empty once shredded after an erasure."""

    name: str | None
    national_id: str | None
    email: str | None


class ExtensionRead(BaseModel):
    months: int
    reason: ExtensionReason
    letter_sent_date: date
    letter_sent_via: LetterChannel
    extended_at: datetime


class ApprovalRead(BaseModel):
    kind: Approval
    approved_by: str | None = Field(description="The approving staff member; none if automatic.")
    approved_at: datetime


class _DataRequestState(BaseModel):
    """What both a request and a list of them show: status, dates, countdown and outcome."""

    id: uuid.UUID
    type: RequestType
    channel: Channel
    status: RequestStatus
    received_at: datetime
    first_due_date: date
    due_date: date
    days_left: int = Field(description="Calendar days (Oslo) until the due date; negative late.")
    overdue: bool = Field(description="Still open after its due date.")
    completed_at: datetime | None
    registered_by: str | None
    handler: str | None
    identity_check: IdentityCheck | None
    extension: ExtensionRead | None
    approval: ApprovalRead | None
    rejection_reason: RejectionReason | None
    identifiers_shredded: bool
    error: str | None
    open_tasks: int = Field(description="Tasks not yet done.")
    receipt_available: bool = Field(
        description="A completed erasure has a signed receipt at `/dsar/requests/{id}/receipt`."
    )


_TASKS = (
    "One per store: each Vern service, the journal vendor, each outside system. Planned once the "
    "request is carried out (an access or rectification in progress, an erasure once approved); "
    "the request completes when every task is done."
)


class DataRequestRead(_DataRequestState):
    """One request with the requester's identifiers, the corrections asked for and every
    task's checklist and note."""

    subject: RequestSubject
    corrections: dict[str, str] | None
    tasks: list[TaskRead] = Field(description=_TASKS)


class DataRequestSummary(_DataRequestState):
    """A request as a list shows it: no identifiers or corrections (a list decrypts nothing;
    `GET /dsar/requests/{id}` shows them) and each task's store and status only."""

    tasks: list[TaskSummary] = Field(description=_TASKS)


class DataRequestPage(BaseModel):
    items: list[DataRequestSummary]
    total: int
    limit: int
    offset: int
