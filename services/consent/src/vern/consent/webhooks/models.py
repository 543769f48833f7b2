"""Provider events already handled, kept by id only so that a redelivery changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from vern.kit.db import UTCDateTime


class ProcessedWebhookEvent(SQLModel, table=True):
    """One provider event id (e.g. SendGrid's `sg_event_id`) that Vern has acted on. Holds no
    address and no payload; rows older than `webhook_event_retention_days` are deleted."""

    __tablename__ = "processed_webhook_event"

    provider: str = Field(primary_key=True, max_length=16)
    event_id: str = Field(primary_key=True, max_length=255)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
