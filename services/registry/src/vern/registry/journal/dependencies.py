"""Who may call the journal API: the journal vendor's system, and only where the module is on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vern.kit.auth import Principal, require
from vern.kit.errors import NotFound
from vern.kit.orgprofile import OrgProfile

JOURNAL_SCOPE = "journal"

_machine_with_journal_scope = require(scopes={JOURNAL_SCOPE}, kinds=("machine",))


def journal_vendor(
    request: Request, principal: Annotated[Principal, Depends(_machine_with_journal_scope)]
) -> Principal:
    """A machine holding the `journal` scope (client credentials; the dev IdP's `journal-vendor`).

    At a centre without a journal vendor (profile module `journal_vendor` off) every path answers
    the vendor 404. Tokens are checked first, like on every other operation: 401 without one.
    """
    profile: OrgProfile = request.app.state.profile
    if not profile.modules.journal_vendor:
        raise NotFound("not found")
    return principal


JournalVendor = Annotated[Principal, Depends(journal_vendor)]
