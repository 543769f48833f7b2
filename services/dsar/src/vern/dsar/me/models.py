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
    client's national id; the code is compared by its keyed hash. The address, the national id
    and the code are sealed under the proof's own data key (subject id = proof id), so that the
    keyed hashes can be made again under a new blind-index key (`vern.dsar.reindex`); the key
    is destroyed with the proof."""

    __tablename__ = "email_proof"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subject_bidx: str = Field(max_length=64, index=True)
    email_ct: str = Field(sa_column=Column(Text, nullable=False))
    code_hash: str = Field(max_length=64)
    # Sealed for re-indexing only; empty on proofs started before they were kept.
    national_id_ct: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    code_ct: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = 0
    confirmed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
