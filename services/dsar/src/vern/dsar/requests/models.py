"""Data subject requests. Identifiers and the access package are stored encrypted under the
request's own data key, so that shredding the key leaves only dates, outcome and keyed hashes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, Text
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class RequestType(StrEnum):
    """The right the data subject exercises (GDPR Art. 15-18 and 21)."""

    access = "access"  # innsyn
    rectification = "rectification"  # retting
    erasure = "erasure"  # sletting
    restriction = "restriction"  # begrensning
    objection = "objection"  # protest


class Channel(StrEnum):
    self_service = "self_service"  # the client, logged in with BankID
    staff = "staff"  # staff on behalf of someone in front of them
    letter_email = "letter_email"  # staff registering a letter or an email


class RequestStatus(StrEnum):
    received = "received"
    in_progress = "in_progress"
    completed = "completed"
    failed = "failed"


def _label(enum: type[StrEnum], *, index: bool = False) -> Column[str]:
    # Plain strings rather than PostgreSQL enum types, so that a new status or channel is a code
    # change and not a schema change.
    return Column(Enum(enum, native_enum=False, length=32), nullable=False, index=index)


def _ciphertext() -> Column[str]:
    return Column(Text, nullable=True)


class DataRequest(SQLModel, table=True):
    """One request from a data subject. `*_ct` columns hold AEAD ciphertexts under the request's
    own data key (subject id = request id); `*_bidx` columns hold keyed hashes for lookups."""

    __tablename__ = "data_request"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    type: RequestType = Field(sa_column=_label(RequestType))
    channel: Channel = Field(sa_column=_label(Channel))
    status: RequestStatus = Field(sa_column=_label(RequestStatus, index=True))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    due_date: date = Field(index=True)
    completed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    handler: str | None = Field(default=None, max_length=255, index=True)  # the staff `sub`
    identity_verification_ct: str | None = Field(default=None, sa_column=_ciphertext())
    national_id_ct: str | None = Field(default=None, sa_column=_ciphertext())
    email_ct: str | None = Field(default=None, sa_column=_ciphertext())
    national_id_bidx: str | None = Field(default=None, max_length=64, index=True)
    email_bidx: str | None = Field(default=None, max_length=64, index=True)
    package_ct: str | None = Field(default=None, sa_column=_ciphertext())
    error: str | None = Field(default=None, max_length=255)  # status codes only, never data
