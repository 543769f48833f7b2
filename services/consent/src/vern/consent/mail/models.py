"""E-mail waiting to be sent (confirmation and unsubscribe links): stored in the request's
transaction, sent after it commits, retried until the SMTP server takes it, then deleted."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class MailMessage(SQLModel, table=True):
    """One e-mail to a subscriber. The recipient and body are sealed with the subscriber's key, so
    deleting or erasing the subscriber makes an unsent message unreadable too."""

    __tablename__ = "mail_message"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subscriber_id: uuid.UUID = Field(foreign_key="subscriber.id", index=True)
    kind: str = Field(max_length=32)  # e.g. "confirmation", "unsubscribe_links"
    sealed: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    last_error: str | None = Field(default=None, max_length=255)
