"""The breach register (avvik, GDPR Art. 33(5)): every breach is kept, notified or not. Free text
written by staff is stored as AEAD ciphertext under the breach's own data key (subject id =
breach id); the timeline names the fields that changed, never their values."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Enum, ForeignKey, Text, Uuid
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class BreachRisk(StrEnum):
    """The risk to the people affected (Art. 33(1) and 34(1))."""

    none = "none"  # ingen risiko: recorded, not notified
    risk = "risk"  # risiko: Datatilsynet is told
    high_risk = "high_risk"  # høy risiko: the people are told as well


def _ciphertext() -> Column[str]:
    return Column(Text, nullable=True)


def _moment(*, nullable: bool, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Breach(SQLModel, table=True):
    """One breach of personal data security (brudd på personopplysningssikkerheten)."""

    __tablename__ = "breach"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    detected_at: datetime = Field(sa_column=_moment(nullable=False, index=True))
    reported_by: str = Field(max_length=255, index=True)  # the staff `sub` who registered it
    discovered_by_ct: str | None = Field(default=None, sa_column=_ciphertext())
    description_ct: str | None = Field(default=None, sa_column=_ciphertext())
    data_categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    affected_count: int | None = Field(default=None)
    records_count: int | None = Field(default=None)
    # Ids of Vern subjects, where known: ids are not personal data on their own here.
    affected_subject_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    risk: BreachRisk | None = Field(
        default=None,
        sa_column=Column(Enum(BreachRisk, native_enum=False, length=16), nullable=True),
    )
    risk_assessment_ct: str | None = Field(default=None, sa_column=_ciphertext())
    consequences_ct: str | None = Field(default=None, sa_column=_ciphertext())
    measures_ct: str | None = Field(default=None, sa_column=_ciphertext())
    authority_notified_at: datetime | None = Field(
        default=None, sa_column=_moment(nullable=True, index=True)
    )
    late_notification_reasons_ct: str | None = Field(default=None, sa_column=_ciphertext())
    subjects_notified_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    subjects_information_ct: str | None = Field(default=None, sa_column=_ciphertext())
    created_at: datetime = Field(sa_column=_moment(nullable=False))
    updated_at: datetime = Field(sa_column=_moment(nullable=False))


class BreachEvent(SQLModel, table=True):
    """One entry of a breach's timeline: who changed which fields when (append-only)."""

    __tablename__ = "breach_event"

    id: int | None = Field(default=None, primary_key=True)
    breach_id: uuid.UUID = Field(
        sa_column=Column(Uuid(), ForeignKey("breach.id"), nullable=False, index=True)
    )
    occurred_at: datetime = Field(sa_column=_moment(nullable=False))
    actor: str = Field(max_length=255)
    roles: str = Field(max_length=255)
    action: str = Field(max_length=32)
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
