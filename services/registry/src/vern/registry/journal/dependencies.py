"""Who may call the journal API: the journal vendor's system, and only where the module is on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vern.kit.auth import Principal, require
from vern.kit.errors import NotFound
from vern.kit.orgprofile import OrgProfile

JOURNAL_SCOPE = "journal"

# A machine holding the `journal` scope (client credentials; the dev IdP's `journal-vendor`).
JournalVendor = Annotated[Principal, Depends(require(scopes={JOURNAL_SCOPE}, kinds=("machine",)))]


def journal_module_on(request: Request) -> None:
    """A centre without a journal vendor (profile module `journal_vendor` off) has no journal API:
    every path answers 404, before any token is looked at."""
    profile: OrgProfile = request.app.state.profile
    if not profile.modules.journal_vendor:
        raise NotFound("not found")
