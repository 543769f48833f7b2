"""The client record's fields as the org profile turns them on."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RecordFieldsRead(BaseModel):
    """What a registration form asks for at this centre; anything else the API refuses (422)."""

    fields: list[str] = Field(
        description="`PersonCreate` properties the centre collects, in the schema's order."
    )
    anonymous_clients_allowed: bool = Field(
        description="Whether a client may be registered without name or contact data."
    )
    guardian_consent_under: int | None = Field(
        description="Below this age a client needs a guardian's consent (`guardian`); null: never."
    )
