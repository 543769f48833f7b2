"""What the public subscription API accepts and answers. The answer never says whether the
address was known."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vern.consent.consents.schemas import Email, ListId


class SubscriptionRequest(BaseModel):
    """A request from the centre's website form to receive a newsletter."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    list_id: ListId


class SubscriptionRequested(BaseModel):
    """The same answer whatever the address's state: a confirmation e-mail is on its way."""

    status: Literal["confirmation_sent"] = "confirmation_sent"
    detail: str = Field(
        default=(
            "Hvis adressen kan motta nyhetsbrevet, får den nå en e-post med en lenke for å "
            "bekrefte påmeldingen."
        )
    )


class UnsubscribeHeaders(BaseModel):
    """Header values for one recipient's newsletters (RFC 2369, RFC 8058)."""

    model_config = ConfigDict(populate_by_name=True)

    list_unsubscribe: str = Field(alias="List-Unsubscribe")
    list_unsubscribe_post: str = Field(alias="List-Unsubscribe-Post")
