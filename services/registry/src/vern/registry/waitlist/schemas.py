"""What the API accepts and returns for the waiting list. Errors name the field, never the value."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vern.registry.persons.models import Gender
from vern.registry.persons.schemas import Email, PastDate, Phone
from vern.registry.waitlist.models import AbuseKind, AffectedAs


class WaitlistEntryCreate(BaseModel):
    """A new user put on the waiting list (by a coordinator or manager)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=1, max_length=200)
    email: Email | None = None
    phone: Phone | None = None
    received_date: PastDate | None = Field(
        default=None, description="Mottatt dato; today (Oslo) when left out."
    )
    gender: Gender | None = None
    new_user: bool | None = Field(default=None, description="Ny bruker: never used the centre.")
    affected_as: AffectedAs | None = Field(
        default=None, description="Selv opplevd overgrep or pårørende."
    )
    birth_date: PastDate | None = None
    abuse_kind: AbuseKind | None = Field(default=None, description="Enkeltstående or komplekse.")
    other_help_services: bool | None = Field(
        default=None, description="In contact with other help services (øvrig hjelpeapparat)."
    )

    @model_validator(mode="after")
    def _reachable(self) -> WaitlistEntryCreate:
        if not (self.email or self.phone):
            raise ValueError("email: give an email address or a phone number")
        if self.birth_date and self.received_date and self.birth_date > self.received_date:
            raise ValueError("birth_date: cannot be after the received date")
        return self


class WaitlistEntrySummary(BaseModel):
    id: uuid.UUID
    full_name: str
    received_date: date
    assigned_counsellor_id: str | None
    counsellor_assigned_at: datetime | None
    retention_due_date: date | None = Field(
        description="The entry is deleted on this date (30 days after a counsellor is assigned); "
        "null until one is."
    )


class WaitlistEntryRead(WaitlistEntrySummary):
    email: str | None
    phone: str | None
    gender: Gender | None
    new_user: bool | None
    affected_as: AffectedAs | None
    birth_date: date | None
    abuse_kind: AbuseKind | None
    other_help_services: bool | None
    created_at: datetime


class CounsellorAssignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    counsellor_id: str = Field(min_length=1, max_length=255)


class PromotedField(StrEnum):
    """A waiting-list field the applicant may agree to carry over to the contact register."""

    full_name = "full_name"
    email = "email"
    phone = "phone"
    birth_date = "birth_date"
    gender = "gender"


class WaitlistPromotion(BaseModel):
    """Makes the applicant a client. Only `agreed_fields` are copied, and of those only the ones
    the centre's client record has; the rest is deleted with the entry."""

    model_config = ConfigDict(extra="forbid")

    agreed_fields: list[PromotedField] = Field(max_length=len(PromotedField))
    intake_date: PastDate | None = Field(
        default=None, description="Innmeldingsdato; today (Oslo) when left out."
    )

    @model_validator(mode="after")
    def _unique(self) -> WaitlistPromotion:
        if len(set(self.agreed_fields)) != len(self.agreed_fields):
            raise ValueError("agreed_fields: lists a field twice")
        return self


class PromotionResult(BaseModel):
    person_id: uuid.UUID
    copied_fields: list[PromotedField]
    not_copied_fields: list[PromotedField] = Field(
        description="Agreed to, but the centre's client record does not keep them."
    )
