"""Contact events (kontakter): that a client and the centre were in touch, when, how. No content."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Uuid
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class ContactKind(StrEnum):
    session = "session"
    phone = "phone"
    email = "email"
    sms = "sms"
    video = "video"
    visit = "visit"


class ContactEvent(SQLModel, table=True):
    """One contact. Deleted with the client (ON DELETE CASCADE), so an erasure takes it too."""

    __tablename__ = "contact_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    person_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid(), ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: ContactKind = Field(
        sa_column=Column(SAEnum(ContactKind, native_enum=False, length=16), nullable=False)
    )
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    counsellor_id: str | None = Field(default=None, max_length=255, foreign_key="counsellor.id")
    # Who reported it: "staff" (the SPA) or "journal" (the journaling vendor's system).
    source: str = Field(max_length=32)
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    recorded_by: str = Field(max_length=255)
