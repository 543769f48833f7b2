"""What the API accepts and returns for activities and their participants."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vern.kit.clock import UtcMoment
from vern.registry.activities.models import ActivityKind
from vern.registry.persons.schemas import Email, Phone


class ActivityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: ActivityKind
    starts_at: UtcMoment
    ends_at: UtcMoment
    counsellor_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="Who runs it; a counsellor creating an activity runs it themselves.",
    )

    @model_validator(mode="after")
    def _ends_after_start(self) -> ActivityCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at: must be after starts_at")
        return self


class ActivityRead(BaseModel):
    id: uuid.UUID
    name: str
    kind: ActivityKind
    starts_at: datetime
    ends_at: datetime
    counsellor_id: str
    held_at: datetime | None
    participants_deleted_on: date = Field(
        description="The participant list is deleted on this date (the day the activity ends)."
    )
    created_at: datetime


class RegistrationCreate(BaseModel):
    """A participant signed up by staff (påmelding)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=1, max_length=200)
    email: Email | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _reachable(self) -> RegistrationCreate:
        if not (self.email or self.phone):
            raise ValueError("email: give an email address or a phone number")
        return self


class RegistrationRead(BaseModel):
    id: uuid.UUID
    activity_id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    created_at: datetime
    retention_due_date: date
