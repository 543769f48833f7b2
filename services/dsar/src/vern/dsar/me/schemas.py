"""What the e-mail proof endpoints accept and return. Errors name the field, never the value."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from vern.kit.identifiers import normalise_email

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    Field(max_length=254),
    AfterValidator(normalise_email),
]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$"),
    Field(description="The 6-digit code from the e-mail."),
]


class EmailProofCreate(BaseModel):
    """The address the client wants to prove is theirs."""

    model_config = ConfigDict(extra="forbid")

    email: Email


class EmailProofStarted(BaseModel):
    """A code is on its way (the answer is the same whatever Vern holds about the address)."""

    id: uuid.UUID
    expires_at: datetime = Field(description="The code can be used until then (15 minutes).")


class EmailProofConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code


class EmailProofConfirmed(BaseModel):
    """The proof: a JWS signed by dsar (typ `vern-email-proof+jwt`, audiences dsar and consent),
    to send with a self-service request (`email_proof`) or to consent (`Vern-Email-Proof`)."""

    proof: str = Field(description="Compact JWS; keep it in memory only.")
    email: str = Field(description="The proven address, normalised.")
    expires_at: datetime = Field(description="The proof's `exp` (30 minutes after confirming).")
