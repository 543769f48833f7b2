"""What a provider sync run answers: counts only."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SyncResult(BaseModel):
    pushed: int = Field(description="addresses newly subscribed at a provider")
    resolved: int = Field(description="contact ids learnt for addresses pushed before")
    removed: int = Field(description="contacts taken off a provider's list by their id")
    failed: int = Field(description="calls that failed; they are repeated on the next run")
    skipped: int = Field(
        description="confirmed subscriptions to a list not connected to a provider, or suppressed"
    )
