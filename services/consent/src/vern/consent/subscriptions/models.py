"""Newsletter subscriptions (abonnementer): one per subscriber and list, pending until the address
confirms (double opt-in). Tokens are stored only as keyed hashes; the IP only truncated."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, UniqueConstraint
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class SubscriptionStatus(StrEnum):
    pending = "pending"  # asked for, waiting for the address to confirm
    confirmed = "confirmed"


class Subscription(SQLModel, table=True):
    """A subscriber's subscription to one list of the org profile (`newsletter_lists`)."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("subscriber_id", "list_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subscriber_id: uuid.UUID = Field(foreign_key="subscriber.id", index=True)
    list_id: str = Field(max_length=64, index=True)  # a key of the profile's newsletter_lists
    status: SubscriptionStatus = Field(
        sa_column=Column(Enum(SubscriptionStatus, native_enum=False, length=16), nullable=False)
    )
    # Keyed hashes (vern.kit.crypto.Vault.blind_index) of the tokens; the tokens are never stored.
    confirmation_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    confirmation_expires_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )
    unsubscribe_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    requested_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    confirmed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    # The requesting address truncated to its network (/24 for IPv4, /48 for IPv6), never whole.
    ip_network: str | None = Field(default=None, max_length=64)
