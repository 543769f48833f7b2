"""What the API returns about newsletter lists: the profile's lists and numbers, never addresses."""

from __future__ import annotations

from pydantic import BaseModel, Field


class NewsletterListRead(BaseModel):
    id: str = Field(description="the list's key in the org profile, e.g. `general`")
    name_nb: str
    provider: str
    provider_list_id: str | None
    frequency_nb: str | None
    confirmed: int = Field(description="subscriptions confirmed by the address")
    pending: int = Field(description="subscriptions waiting for the address to confirm")
