"""What the webhook endpoints answer: counts only, never an address."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WebhookResult(BaseModel):
    """What one webhook call did."""

    received: int = Field(description="events in the call")
    ignored: int = Field(description="events that do not delete an address (opens, soft blocks...)")
    duplicates: int = Field(description="events already handled in an earlier delivery")
    removed: int = Field(description="subscriptions deleted (an address goes with its last one)")
    suppressed: int = Field(description="address hashes newly put on the suppression list")


class WebhookValidated(BaseModel):
    """The answer to Mailchimp's check that the webhook URL exists."""

    status: str = "ok"
