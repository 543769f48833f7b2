"""Who may do what with consents."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from vern.kit.auth import Principal, require

# Who consented to what, and the history, is for the manager and the DPO only.
ConsentsRead = Annotated[Principal, Depends(require(roles={"manager", "dpo"}))]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[\x21-\x7e]{1,255}$",
        description="Makes a retried call safe: a repeat returns the first answer.",
    ),
]
