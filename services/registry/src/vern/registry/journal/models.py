"""The link between a client and the journal vendor's record (journalsystem) of that client."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Text, Uuid
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class JournalLink(SQLModel, table=True):
    """The vendor's own reference for a client, given at its first lookup. Sealed under the
    client's key like every identifier, found through its keyed hash, and deleted with the client
    (ON DELETE CASCADE)."""

    __tablename__ = "journal_link"

    person_id: uuid.UUID = Field(
        sa_column=Column(Uuid(), ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    )
    vendor_reference_ct: str = Field(sa_column=Column(Text, nullable=False))
    vendor_reference_bidx: str = Field(max_length=64, unique=True)
    linked_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class JournalSessionReport(SQLModel, table=True):
    """A session the vendor reported under its own session id, kept so that a report the vendor
    sends again (a retry after a lost answer) is recorded once. Only a keyed hash of the id."""

    __tablename__ = "journal_session_report"

    session_bidx: str = Field(primary_key=True, max_length=64)
    person_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid(), ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    reported_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
