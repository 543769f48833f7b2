"""Waiting-list entries. Every field about the applicant is stored encrypted under the entry's
own data key, so removing an entry (or promoting it) shreds every copy, backups included."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class AffectedAs(StrEnum):
    """ "Selv opplevd overgrep eller pårørende?"."""

    self_affected = "self_affected"
    relative = "relative"


class AbuseKind(StrEnum):
    """ "Type overgrep: enkeltstående eller komplekse?"."""

    single = "single"
    complex = "complex"


def _ciphertext() -> Column[str]:
    return Column(Text, nullable=True)


class WaitlistEntry(SQLModel, table=True):
    """Someone waiting for a counsellor. `*_ct` columns hold AEAD ciphertexts under the entry's
    data key; `*_bidx` columns keyed hashes for exact lookups (an access or erasure request)."""

    __tablename__ = "waitlist_entry"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    received_date: date = Field(index=True)
    full_name_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_ct: str | None = Field(default=None, sa_column=_ciphertext())
    phone_ct: str | None = Field(default=None, sa_column=_ciphertext())
    birth_date_ct: str | None = Field(default=None, sa_column=_ciphertext())
    gender_ct: str | None = Field(default=None, sa_column=_ciphertext())
    new_user_ct: str | None = Field(default=None, sa_column=_ciphertext())
    affected_as_ct: str | None = Field(default=None, sa_column=_ciphertext())
    abuse_kind_ct: str | None = Field(default=None, sa_column=_ciphertext())
    other_help_services_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_bidx: str | None = Field(default=None, max_length=64, index=True)
    phone_bidx: str | None = Field(default=None, max_length=64, index=True)
    assigned_counsellor_id: str | None = Field(
        default=None, max_length=255, index=True, foreign_key="counsellor.id"
    )
    counsellor_assigned_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    # Null until a counsellor is assigned: the 30-day clock starts then.
    retention_due_date: date | None = Field(default=None, index=True)
