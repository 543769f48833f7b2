"""The erasure receipt: per store what was erased and what was kept, with the law that requires it.
Ids, category names and laws only, so the receipt outlives the shredding of the identifiers."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from vern.dsar.tasks.models import TaskKind
from vern.kit.contract import ErasedItem, KeptItem


class StoreReceipt(BaseModel):
    target: str = Field(description="`registry`, `consent`, or an outside system's id.")
    name: str
    kind: TaskKind
    erased: list[ErasedItem] = Field(description="Per subject id in that store, the categories.")
    kept: list[KeptItem] = Field(description="What the store keeps, and under which law.")
    completed_at: datetime
    confirmed_by: str | None = Field(
        description="Who marked a manual task done (staff id) or answered (vendor's client id)."
    )


class ErasureReceiptClaims(BaseModel):
    """The signed claims: `iss` dsar's audience, `sub` the request id, `iat` the signing time."""

    iss: str
    sub: uuid.UUID
    iat: int
    org: str
    received_at: datetime
    completed_at: datetime
    stores: list[StoreReceipt]


class SignedErasureReceipt(BaseModel):
    """The receipt as a compact JWS (ES256), and its claims as they were signed."""

    jws: str = Field(
        description="Verify with the key named by `kid` at /dsar/.well-known/jwks.json."
    )
    receipt: ErasureReceiptClaims


class Jwks(BaseModel):
    keys: list[dict[str, str]]
