"""What the API accepts and returns for contact events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from vern.kit.clock import UtcMoment, now_utc
from vern.registry.contacts.models import ContactKind


def _not_in_future(value: datetime) -> datetime:
    if value > now_utc():
        raise ValueError("cannot be in the future")
    return value


PastMoment = Annotated[UtcMoment, AfterValidator(_not_in_future)]


class ContactCreate(BaseModel):
    """A contact with a client: when and how, never what was said."""

    model_config = ConfigDict(extra="forbid")

    kind: ContactKind
    occurred_at: PastMoment
    counsellor_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="The counsellor the client was in touch with; a counsellor's own id if left out.",
    )


class ContactRead(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    kind: ContactKind
    occurred_at: datetime
    counsellor_id: str | None
    source: str
    recorded_at: datetime
