"""Who may do what with data requests.

- clients file and see their own requests (matched by the national id of their BankID login);
- counsellors and coordinators register requests on someone's behalf (a counsellor for a client,
  a coordinator for a letter or an email at intake: DESIGN.md gives coordinators the contact data
  of all clients, not requests) and see only what they registered;
- managers and the DPO see every request and handle them: transitions, extensions, approvals.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require

ANY_STAFF = {"counsellor", "coordinator", "manager", "dpo"}
HANDLERS = ("manager", "dpo")
SEES_EVERY_REQUEST = HANDLERS

# Clients are admitted too; the service lets them see only the requests naming their national id.
RequestsWrite = Annotated[Principal, Depends(require(roles=ANY_STAFF, kinds={"staff", "client"}))]
RequestsRead = Annotated[Principal, Depends(require(roles=ANY_STAFF, kinds={"staff", "client"}))]
RequestsHandle = Annotated[Principal, Depends(require(roles=HANDLERS, kinds={"staff"}))]
PackageRead = Annotated[
    Principal, Depends(require(roles=SEES_EVERY_REQUEST, kinds={"staff", "client"}))
]
