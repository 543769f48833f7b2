"""Addresses Vern has pushed to a newsletter provider, remembered by the provider's own id."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class ProviderContact(SQLModel, table=True):
    """One address on one list at the provider. It holds no address: only the address's keyed
    hash (as the suppression list does) and the provider's id for the contact, which is all the
    removal call needs once Vern has deleted the address. The row goes when the provider has
    removed the contact."""

    __tablename__ = "provider_contact"
    __table_args__ = (UniqueConstraint("email_bidx", "list_key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email_bidx: str = Field(max_length=64, index=True)
    list_key: str = Field(max_length=64)  # the list's key in the org profile
    provider: str = Field(max_length=16)
    provider_list_id: str = Field(max_length=255)
    # SendGrid's contact id, or Mailchimp's member contact_id; null until the provider has it.
    provider_ref: str | None = Field(default=None, max_length=255)
    pushed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    removal_attempts: int = 0
    last_error: str | None = Field(default=None, max_length=255)
