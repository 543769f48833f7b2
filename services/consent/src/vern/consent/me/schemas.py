"""What a client sees of their own newsletter consents. Never the address: the client knows it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class MySubscriptionState(StrEnum):
    subscribed = "subscribed"  # consent given and in force
    pending = "pending"  # asked for through the public form, waiting for the mailed link
    withdrawn = "withdrawn"  # consent withdrawn; the ledger keeps it while the address stays
    never = "never"  # nothing held for this list (never given, or the address was deleted)


class MySubscription(BaseModel):
    """One of the centre's newsletter lists and the proven address's state on it."""

    list_id: str
    name_nb: str
    frequency_nb: str | None
    state: MySubscriptionState
    since: datetime | None = Field(
        description="subscribed: when consent was given; pending: when it was asked for; "
        "withdrawn: when it was withdrawn"
    )
    legal_text: str = Field(description="the text a consent given now agrees to")
    legal_text_hash: str = Field(description="SHA-256 (hex) of `legal_text`")
    consented_text: str | None = Field(
        description="the exact text shown when the consent in force was given (null when none "
        "is in force, or it was recorded by staff without one)"
    )
