"""Who may do what with clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from vern.kit.auth import Principal, require

PersonsCreate = Annotated[Principal, Depends(require(roles={"coordinator", "manager"}))]
PersonsList = Annotated[Principal, Depends(require(roles={"counsellor", "coordinator", "manager"}))]
PersonsRead = Annotated[
    Principal, Depends(require(roles={"counsellor", "coordinator", "manager", "dpo"}))
]
AccessReason = Annotated[
    str | None,
    Header(
        alias="X-Access-Reason",
        max_length=500,
        description="Why a staff member without a need to know reads this record (break glass).",
    ),
]
