"""Who may do what with clients (DESIGN.md section 2). Need to know for one client, on top of the
role, is checked in `persons.access`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require

STAFF = {"counsellor", "coordinator", "manager", "dpo"}
WORKS_WITH_CLIENTS = {"counsellor", "coordinator", "manager"}

PersonsCreate = Annotated[Principal, Depends(require(roles={"coordinator", "manager"}))]
PersonsAssign = Annotated[Principal, Depends(require(roles={"coordinator", "manager"}))]
PersonsWork = Annotated[Principal, Depends(require(roles=WORKS_WITH_CLIENTS))]
# The DPO is admitted to be told to state a reason (break glass), never to read without one.
PersonsRead = Annotated[Principal, Depends(require(roles=STAFF))]
PersonsBreakGlass = Annotated[Principal, Depends(require(roles=STAFF))]
