"""E-mail proofs: a client logged in with BankID proves an address by a code mailed to it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime

MAX_ATTEMPTS = 5


class EmailProof(SQLModel, table=True):
    """One code mailed to an address a client named. The subject is the keyed hash of the
    client's national id; the address is sealed under the proof's own data key (subject id =
    proof id); the code is kept only as a keyed hash."""

    __tablename__ = "email_proof"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subject_bidx: str = Field(max_length=64, index=True)
    email_ct: str = Field(sa_column=Column(Text, nullable=False))
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = 0
    confirmed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
