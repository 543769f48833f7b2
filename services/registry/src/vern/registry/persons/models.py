"""The contact register's clients (brukere). Every direct identifier is stored encrypted."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class Gender(StrEnum):
    female = "female"
    male = "male"
    other = "other"
    unknown = "unknown"


class HeardAbout(StrEnum):
    """How the client heard of the centre (for the statistics Bufdir asks for)."""

    friends_family = "friends_family"
    help_services = "help_services"
    internet = "internet"
    brochure = "brochure"
    other = "other"


def _ciphertext() -> Column[str]:
    return Column(Text, nullable=True)


class Person(SQLModel, table=True):
    """A client. `*_ct` columns hold AEAD ciphertexts under the client's own data key;
    `*_bidx` columns hold keyed hashes for exact lookups."""

    __tablename__ = "person"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    intake_date: date
    anonymous: bool = False
    full_name_ct: str | None = Field(default=None, sa_column=_ciphertext())
    address_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_ct: str | None = Field(default=None, sa_column=_ciphertext())
    phone_ct: str | None = Field(default=None, sa_column=_ciphertext())
    birth_date_ct: str | None = Field(default=None, sa_column=_ciphertext())
    national_id_ct: str | None = Field(default=None, sa_column=_ciphertext())
    gender_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_bidx: str | None = Field(default=None, max_length=64, index=True)
    phone_bidx: str | None = Field(default=None, max_length=64, index=True)
    national_id_bidx: str | None = Field(default=None, max_length=64, index=True)
    heard_about: HeardAbout | None = Field(
        default=None,
        sa_column=Column(SAEnum(HeardAbout, native_enum=False, length=32), nullable=True),
    )
    assigned_counsellor_id: str | None = Field(
        default=None, max_length=255, index=True, foreign_key="counsellor.id"
    )
    newsletter_opt_in: bool = False
    confidentiality_declaration_signed_date: date | None = None
    confidentiality_declaration_version: str | None = Field(default=None, max_length=64)
    # Related persons (Tryggere: the partner's name and phone; a guardian for a client under
    # the profile's age limit), sealed under the client's own key so an erasure shreds them too.
    partner_name_ct: str | None = Field(default=None, sa_column=_ciphertext())
    partner_phone_ct: str | None = Field(default=None, sa_column=_ciphertext())
    guardian_name_ct: str | None = Field(default=None, sa_column=_ciphertext())
    guardian_phone_ct: str | None = Field(default=None, sa_column=_ciphertext())
    guardian_email_ct: str | None = Field(default=None, sa_column=_ciphertext())
    guardian_consent_date: date | None = None
    # Consent to the journaling vendor's system (journal API); withdrawn: flag off, date kept.
    journal_consent: bool = False
    journal_consent_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    counsellor_assigned_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    last_counsellor_contact_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    counselling_ended_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    retention_due_date: date = Field(index=True)


class ErasureReceipt(SQLModel, table=True):
    """What an erasure request did here, kept so that repeating the request repeats the answer."""

    __tablename__ = "erasure_receipt"

    request_id: str = Field(primary_key=True, max_length=64)
    receipt_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
