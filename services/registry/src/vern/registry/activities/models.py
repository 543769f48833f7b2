"""Activities and registrations. A participant's name and contact data are stored encrypted under
the registration's own data key, shredded when the list is deleted after the activity."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class ActivityKind(StrEnum):
    course = "course"  # kurs
    lecture = "lecture"  # foredrag
    group = "group"  # gruppe


class Activity(SQLModel, table=True):
    """A course, lecture or group, run by one counsellor. Holds no personal data of participants."""

    __tablename__ = "activity"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    name: str = Field(max_length=200)
    kind: ActivityKind = Field(
        sa_column=Column(SAEnum(ActivityKind, native_enum=False, length=16), nullable=False)
    )
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    counsellor_id: str = Field(max_length=255, index=True, foreign_key="counsellor.id")
    # When someone confirmed it took place; it is counted for the statistics then, once.
    held_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


def _ciphertext() -> Column[str]:
    return Column(Text, nullable=True)


class ActivityRegistration(SQLModel, table=True):
    """One participant on an activity's list (deltakerliste)."""

    __tablename__ = "activity_registration"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    activity_id: uuid.UUID = Field(index=True, foreign_key="activity.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    full_name_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_ct: str | None = Field(default=None, sa_column=_ciphertext())
    phone_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_bidx: str | None = Field(default=None, max_length=64, index=True)
    phone_bidx: str | None = Field(default=None, max_length=64, index=True)
    # The Oslo date the activity ends: "Disse listene makuleres når aktiviteten er gjennomført".
    retention_due_date: date = Field(index=True)
