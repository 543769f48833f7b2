"""Who may use the waiting list: coordinators and managers (DESIGN.md section 2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require
from vern.kit.db import SessionDep
from vern.kit.errors import NotFound
from vern.registry.waitlist import repository as waitlist_repository
from vern.registry.waitlist.models import WaitlistEntry

WaitlistAccess = Annotated[Principal, Depends(require(roles={"coordinator", "manager"}))]


def valid_waitlist_entry_id(
    entry_id: uuid.UUID, session: SessionDep, principal: WaitlistAccess
) -> WaitlistEntry:
    """The entry named in the path; looked up only for those allowed to see the waiting list."""
    entry = waitlist_repository.get(session=session, entry_id=entry_id)
    if entry is None:
        raise NotFound("no such waiting-list entry")
    return entry


ValidWaitlistEntry = Annotated[WaitlistEntry, Depends(valid_waitlist_entry_id)]
