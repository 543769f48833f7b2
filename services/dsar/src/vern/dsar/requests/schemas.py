"""What the API accepts and returns for data requests. Errors name the field, never echo the value."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from vern.dsar.identifiers import normalise_national_id
from vern.dsar.requests.models import Channel, RequestStatus, RequestType
from vern.kit.contract import ExportResult
from vern.kit.identifiers import normalise_email

Email = Annotated[str, Field(max_length=254), AfterValidator(normalise_email)]
NationalId = Annotated[
    str, Field(min_length=11, max_length=11), AfterValidator(normalise_national_id)
]


class DataRequestCreate(BaseModel):
    """A request registered by staff on someone's behalf (identifiers, how identity was checked)
    or by a client logged in with BankID (the type only: the login says who they are)."""

    model_config = ConfigDict(extra="forbid")

    type: RequestType
    channel: Literal[Channel.staff, Channel.letter_email] | None = Field(
        default=None, description="Staff only: how the request came in (default `staff`)."
    )
    national_id: NationalId | None = None
    email: Email | None = None
    identity_verification: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="Staff only: how the requester's identity was checked.",
    )


class DataRequestRead(BaseModel):
    id: uuid.UUID
    type: RequestType
    channel: Channel
    status: RequestStatus
    received_at: datetime
    due_date: date
    completed_at: datetime | None
    handler: str | None
    identity_verification: str | None
    error: str | None


class PackageSubject(BaseModel):
    """The identifiers the request named, as the data subject gave them."""

    national_id: str | None
    email: str | None


class AccessPackage(BaseModel):
    """Everything Vern's services hold about the data subject, in one machine-readable document."""

    request_id: uuid.UUID
    generated_at: datetime
    subject: PackageSubject
    services: dict[str, ExportResult]
