"""What the journal vendor sends and receives: the API it calls and the webhooks Vern sends it.

Only ids, the vendor's own reference and dates cross to the vendor: never a name or contact data.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from vern.kit.clock import UtcMoment, now_utc
from vern.registry.identifiers import normalise_national_id


def _not_in_future(value: datetime) -> datetime:
    if value > now_utc():
        raise ValueError("cannot be in the future")
    return value


PastMoment = Annotated[UtcMoment, AfterValidator(_not_in_future)]


def _not_a_national_id(value: str) -> str:
    try:
        normalise_national_id(value)
    except ValueError:
        return value
    raise ValueError("must be the vendor's own reference, not a national id")


NationalId = Annotated[
    str, Field(min_length=11, max_length=11), AfterValidator(normalise_national_id)
]
# An id of the vendor's own (letters, digits, . _ : -), never a national id.
VendorReference = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"),
    AfterValidator(_not_a_national_id),
]


class ClientLookup(BaseModel):
    """Find a client by national id, by the vendor's reference, or both. Given both, and the client
    has no reference yet, the reference is stored so later lookups and events can use it."""

    model_config = ConfigDict(extra="forbid")

    national_id: NationalId | None = None
    vendor_reference: VendorReference | None = Field(
        default=None,
        description="The vendor's own id for the client's journal (letters, digits, . _ : -).",
    )

    @model_validator(mode="after")
    def _one_identifier(self) -> ClientLookup:
        if self.national_id is None and self.vendor_reference is None:
            raise ValueError("national_id: give a national id or a vendor reference")
        return self


class JournalClient(BaseModel):
    """A consenting client as the vendor sees it: ids and dates only."""

    client_id: uuid.UUID
    vendor_reference: str | None
    journal_consent_at: datetime | None
    assigned_counsellor_id: str | None
    last_counsellor_contact_at: datetime | None
    counselling_ended_at: datetime | None
    retention_due_date: date = Field(
        description="The date the client's contact data and session notes are due for deletion."
    )


class SessionKind(StrEnum):
    """How a counselling session (veiledningssamtale) was held."""

    session = "session"
    video = "video"
    phone = "phone"


class SessionReport(BaseModel):
    """A counselling session held; it moves the client's retention clock."""

    model_config = ConfigDict(extra="forbid")

    held_at: PastMoment
    kind: SessionKind = SessionKind.session
    session_id: VendorReference | None = Field(
        default=None,
        description="The vendor's own id of the session: a report sent again with the same id "
        "is recorded once.",
    )
    counsellor_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="Vern's id of the counsellor; the client's assigned counsellor when absent.",
    )


class CounsellingEndedReport(BaseModel):
    """The client has ended counselling ("avsluttet veiledningen"): the 3-year clock starts."""

    model_config = ConfigDict(extra="forbid")

    ended_at: PastMoment


# -- webhooks Vern sends to the vendor (Standard Webhooks envelope: type, timestamp, data) ------

ErasureReason = Literal["erasure_request", "retention_expired"]


class SubjectErasedData(BaseModel):
    client_id: uuid.UUID
    vendor_reference: str | None
    reason: ErasureReason = Field(
        description="erasure_request: the client asked to be erased (GDPR Art. 17); "
        "retention_expired: the retention period has run out."
    )
    erased_on: date


class SubjectErased(BaseModel):
    """The client is erased in Vern: erase the client's journal too."""

    type: Literal["subject.erased"] = "subject.erased"
    timestamp: datetime
    data: SubjectErasedData


class RetentionDueData(BaseModel):
    client_id: uuid.UUID
    vendor_reference: str | None
    due_date: date = Field(description="The day the journal's notes must be gone (makuleres).")


class RetentionDue(BaseModel):
    """The client's retention due date has come: the journal's session notes must go."""

    type: Literal["journal.retention_due"] = "journal.retention_due"
    timestamp: datetime
    data: RetentionDueData
