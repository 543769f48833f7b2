"""What the API accepts and returns for clients. Errors name the field, never echo the value.

These checks hold for every centre; which fields a centre collects, anonymity, the partner and the
guardian rules depend on the org profile and are checked in `persons.rules`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from vern.kit.clock import today_oslo
from vern.kit.identifiers import parse_national_id
from vern.registry.identifiers import normalise_email, normalise_national_id, normalise_phone
from vern.registry.persons.models import Gender, HeardAbout


def _not_in_future(value: date) -> date:
    if value > today_oslo():
        raise ValueError("cannot be in the future")
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(normalise_email)]
Phone = Annotated[str, Field(max_length=32), AfterValidator(normalise_phone)]
NationalId = Annotated[
    str,
    Field(min_length=11, max_length=13, description="Fødselsnummer, D-nummer or H-nummer"),
    AfterValidator(normalise_national_id),
]
PastDate = Annotated[date, AfterValidator(_not_in_future)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ConfidentialityDeclaration(_Input):
    """The signed confidentiality declaration (taushetserklæring): when, and which version."""

    signed_date: PastDate
    version: str = Field(min_length=1, max_length=64)


class Partner(_Input):
    """The client's partner (Tryggere: "navn og telefonnummer til brukernes partnere")."""

    name: Name
    phone: Phone | None = None


class Guardian(_Input):
    """The guardian (omsorgsgiver) of a client under the profile's age limit, who consented."""

    name: Name
    phone: Phone | None = None
    email: Email | None = None
    consent_date: PastDate = Field(description="When the guardian gave consent")

    @model_validator(mode="after")
    def _reachable(self) -> Guardian:
        if not (self.phone or self.email):
            raise ValueError("guardian: needs a phone number or an email address")
        return self


class PersonFields(_Input):
    """The client's own data; any of it may be switched off by the centre's profile."""

    full_name: Name | None = None
    address: str | None = Field(default=None, min_length=1, max_length=300)
    email: Email | None = None
    phone: Phone | None = None
    birth_date: PastDate | None = None
    national_id: NationalId | None = None
    gender: Gender | None = None
    heard_about: HeardAbout | None = None
    intake_date: PastDate | None = None
    confidentiality_declaration: ConfidentialityDeclaration | None = None
    partner: Partner | None = None
    guardian: Guardian | None = None
    journal_consent: bool = Field(
        default=False, description="The client consents to the journaling vendor's system"
    )

    @model_validator(mode="after")
    def _consistent(self) -> PersonFields:
        national_id, born = self.national_id, self.birth_date
        if national_id and born and not parse_national_id(national_id).agrees_with(born):
            raise ValueError("birth_date: does not match the national id")
        return self


class PersonCreate(PersonFields):
    """A client registered at intake (by a coordinator or manager). Unless anonymous (where the
    centre allows it) a client gives a name and a phone number or an email address."""

    anonymous: bool = Field(
        default=False, description="Registered without name or contact data (if the centre allows)"
    )
    assigned_counsellor_id: str | None = Field(default=None, min_length=1, max_length=255)
    newsletter_opt_in: bool = Field(
        default=False, description="Passed on to the consent service, which keeps the consent"
    )

    @model_validator(mode="after")
    def _newsletter_needs_email(self) -> PersonCreate:
        if self.newsletter_opt_in and not self.email:
            raise ValueError("email: is needed for the newsletter")
        return self


class PersonUpdate(PersonFields):
    """Changes to a client's data; only the fields sent change (null clears one). The newsletter
    consent is changed in the consent service, the counsellor through the assignment."""


class CounsellorAssignment(_Input):
    counsellor_id: str | None = Field(
        min_length=1, max_length=255, description="The counsellor to assign; null unassigns"
    )


class CounsellingEnded(_Input):
    ended_at: datetime | None = Field(default=None, description="When it ended; now if left out")


class BreakGlass(_Input):
    """Why a staff member without a need to know reads a client's record ("break glass")."""

    reason: str = Field(min_length=10, max_length=500)


class PersonSearch(_Input):
    """Find clients by name (a part of it, any case) or exactly by email, phone or national id."""

    name: str | None = Field(default=None, min_length=2, max_length=200)
    email: Email | None = None
    phone: Phone | None = None
    national_id: NationalId | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=10_000)

    @model_validator(mode="after")
    def _one_criterion(self) -> PersonSearch:
        given = [x for x in (self.name, self.email, self.phone, self.national_id) if x]
        if len(given) != 1:
            raise ValueError("name: give exactly one of name, email, phone or national_id")
        return self


class PersonSummary(BaseModel):
    id: uuid.UUID
    anonymous: bool
    full_name: str | None = None
    assigned_counsellor_id: str | None
    intake_date: date | None = None
    retention_due_date: date


class PartnerRead(BaseModel):
    name: str | None
    phone: str | None


class GuardianRead(BaseModel):
    name: str | None
    phone: str | None
    email: str | None
    consent_date: date | None


class PersonRead(PersonSummary):
    """A client's record. Fields the centre's profile switches off are left out."""

    address: str | None = None
    email: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    national_id: str | None = None
    gender: Gender | None = None
    heard_about: HeardAbout | None = None
    confidentiality_declaration: ConfidentialityDeclaration | None = None
    newsletter_opt_in: bool | None = None
    partner: PartnerRead | None = None
    guardian: GuardianRead | None = None
    journal_consent: bool | None = None
    journal_consent_at: datetime | None = None
    counsellor_assigned_at: datetime | None
    last_counsellor_contact_at: datetime | None
    counselling_ended_at: datetime | None
    created_at: datetime
