"""Who may do what with data requests."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require

ANY_STAFF = {"counsellor", "coordinator", "manager", "dpo"}
SEES_EVERY_REQUEST = ("manager", "dpo")

# Clients are admitted too; the service lets them see only the requests naming their national id.
RequestsWrite = Annotated[Principal, Depends(require(roles=ANY_STAFF, kinds={"staff", "client"}))]
RequestsRead = Annotated[Principal, Depends(require(roles=ANY_STAFF, kinds={"staff", "client"}))]
PackageRead = Annotated[
    Principal, Depends(require(roles=SEES_EVERY_REQUEST, kinds={"staff", "client"}))
]
