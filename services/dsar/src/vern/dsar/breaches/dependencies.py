"""Who may use the breach register, and whether the centre has it switched on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vern.kit.auth import Principal, require
from vern.kit.errors import NotFound
from vern.kit.orgprofile.schema import OrgProfile

ANY_STAFF = {"counsellor", "coordinator", "manager", "dpo"}
HANDLES_BREACHES = ("manager", "dpo")


def register_enabled(request: Request) -> OrgProfile:
    """The centre's profile, when its breach register is on (`modules.breaches`)."""
    profile: OrgProfile = request.app.state.profile
    if not profile.modules.breaches:
        raise NotFound("the breach register is not switched on for this centre")
    return profile


Profile = Annotated[OrgProfile, Depends(register_enabled)]
# Any staff member may report a suspected breach and see what they reported.
BreachesReport = Annotated[Principal, Depends(require(roles=ANY_STAFF))]
BreachesManage = Annotated[Principal, Depends(require(roles=HANDLES_BREACHES))]
