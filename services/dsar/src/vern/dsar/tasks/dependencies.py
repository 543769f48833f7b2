"""Who may act on a request's tasks: handlers (managers and the DPO) mark manual tasks done and
retry failed calls; the journal vendor answers its webhook; the scheduler redelivers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vern.kit.auth import Principal, require
from vern.kit.errors import NotFound
from vern.kit.orgprofile import OrgProfile

JOURNAL_SCOPE = "journal"

_journal_machine = require(kinds={"machine"}, scopes={JOURNAL_SCOPE})


def journal_vendor(
    request: Request, principal: Annotated[Principal, Depends(_journal_machine)]
) -> Principal:
    """The journal vendor's system (client credentials, scope `journal`); 404 at a centre
    without a journal vendor."""
    profile: OrgProfile = request.app.state.profile
    if not profile.modules.journal_vendor:
        raise NotFound("not found")
    return principal


JournalVendor = Annotated[Principal, Depends(journal_vendor)]
