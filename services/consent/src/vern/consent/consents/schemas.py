"""What the API accepts and returns for consents. Errors name the field, never echo the value."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from vern.consent.consents.models import ConsentEventKind, ConsentSource
from vern.consent.identifiers import normalise_email
from vern.kit.clock import UtcMoment

# Clocks of the calling services may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


def _not_in_future(moment: datetime) -> datetime:
    if moment > datetime.now(UTC) + CLOCK_SKEW:
        raise ValueError("cannot be in the future")
    return moment


Email = Annotated[str, Field(max_length=254), AfterValidator(normalise_email)]
Purpose = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$", description='e.g. "newsletter"')]
SUBJECT_REF_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
ListId = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="a newsletter list of the org profile"),
]
SubjectRef = Annotated[
    str, Field(pattern=SUBJECT_REF_PATTERN, description="the registry person's id")
]
PastMoment = Annotated[UtcMoment, AfterValidator(_not_in_future)]


class ConsentEventCreate(BaseModel):
    """A consent given or withdrawn, as another Vern service reports it."""

    model_config = ConfigDict(extra="forbid")

    subject_ref: SubjectRef | None = None
    purpose: Purpose
    event: ConsentEventKind
    source: ConsentSource
    actor: str = Field(
        pattern=r"^[^\x00-\x1f\x7f]{1,255}$", description="the `sub` of who recorded it"
    )
    email: Email | None = None
    occurred_at: PastMoment | None = Field(
        default=None, description="when the consent was given or withdrawn; now if left out"
    )
    legal_text_hash: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the text shown"
    )
    legal_text: str | None = Field(
        default=None,
        min_length=1,
        max_length=20_000,
        description="the exact text shown; stored once, and its SHA-256 recorded",
    )
    list_id: ListId | None = Field(
        default=None,
        description="for the newsletter purpose: which list (the profile's first when left out)",
    )
    guardian_ref: SubjectRef | None = Field(
        default=None, description="for a minor: the registry's id of the guardian who consented"
    )

    @model_validator(mode="after")
    def _names_someone(self) -> ConsentEventCreate:
        if self.subject_ref is None and self.email is None:
            raise ValueError("email: is needed when there is no subject_ref")
        if self.legal_text is not None and self.legal_text_hash is not None:
            raise ValueError("legal_text_hash: give the text or its hash, not both")
        return self


class ConsentRecorded(BaseModel):
    """What recording did. Repeating the call with the same Idempotency-Key returns the same."""

    subscriber_id: uuid.UUID | None = Field(
        description="null for a withdrawal by someone consent holds nothing about"
    )
    consent_event_id: uuid.UUID | None
    purpose: str
    list_id: str | None = None
    state: ConsentEventKind = Field(description="the purpose's current state after this event")


class ConsentEventRead(BaseModel):
    id: uuid.UUID
    purpose: str
    list_id: str | None
    event: ConsentEventKind
    source: ConsentSource
    actor: str
    occurred_at: datetime
    recorded_at: datetime
    legal_text_hash: str | None
    guardian_ref: str | None


class ConsentState(BaseModel):
    """A purpose's current state: its latest event."""

    purpose: str
    list_id: str | None
    state: ConsentEventKind
    since: datetime
    source: ConsentSource


class SubscriberSummary(BaseModel):
    id: uuid.UUID
    subject_ref: str | None
    created_at: datetime


class SubscriberConsents(BaseModel):
    subscriber_id: uuid.UUID
    subject_ref: str | None
    current: list[ConsentState]
    history: list[ConsentEventRead] = Field(description="every event, oldest first")


class LegalTextRead(BaseModel):
    hash: str = Field(description="SHA-256 (hex) of the text, as the ledger cites it")
    text: str
