"""What the API accepts and returns for clients. Errors name the field, never echo the value."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from vern.kit.clock import today_oslo
from vern.registry.identifiers import (
    birth_date_of,
    normalise_email,
    normalise_national_id,
    normalise_phone,
)
from vern.registry.persons.models import Gender, HeardAbout


def _not_in_future(value: date) -> date:
    if value > today_oslo():
        raise ValueError("cannot be in the future")
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(normalise_email)]
Phone = Annotated[str, Field(max_length=32), AfterValidator(normalise_phone)]
NationalId = Annotated[
    str, Field(min_length=11, max_length=11), AfterValidator(normalise_national_id)
]
PastDate = Annotated[date, AfterValidator(_not_in_future)]


class PersonCreate(BaseModel):
    """A client registered at intake (by a coordinator or manager)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=1, max_length=200)
    email: Email | None = None
    phone: Phone | None = None
    birth_date: PastDate | None = None
    national_id: NationalId | None = None
    gender: Gender | None = None
    heard_about: HeardAbout | None = None
    intake_date: PastDate | None = None
    assigned_counsellor_id: str | None = Field(default=None, min_length=1, max_length=255)
    newsletter_opt_in: bool = False

    @model_validator(mode="after")
    def _birth_date_matches_national_id(self) -> PersonCreate:
        if (
            self.national_id
            and self.birth_date
            and birth_date_of(self.national_id) != self.birth_date
        ):
            raise ValueError("birth_date: does not match the national id")
        if self.newsletter_opt_in and not self.email:
            raise ValueError("email: is needed for the newsletter")
        return self


class PersonSummary(BaseModel):
    id: uuid.UUID
    full_name: str
    assigned_counsellor_id: str | None
    intake_date: date
    retention_due_date: date


class PersonRead(PersonSummary):
    email: str | None
    phone: str | None
    birth_date: date | None
    national_id: str | None
    gender: Gender | None
    heard_about: HeardAbout | None
    newsletter_opt_in: bool
    last_counsellor_contact_at: datetime | None
    counselling_ended_at: datetime | None
    created_at: datetime
