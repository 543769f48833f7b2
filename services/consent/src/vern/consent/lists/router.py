"""Newsletter lists as staff see them: the profile's lists with counts, never addresses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from vern.consent.lists import service as list_service
from vern.consent.lists.schemas import NewsletterListRead
from vern.kit.auth import Principal, require
from vern.kit.db import SessionDep

router = APIRouter(prefix="/lists", tags=["lists"])
# Numbers only, yet still for the manager and the DPO: staff views of the newsletter are theirs.
ListsRead = Annotated[Principal, Depends(require(roles={"manager", "dpo"}))]


@router.get("", response_model=list[NewsletterListRead])
def list_lists(
    request: Request, session: SessionDep, principal: ListsRead
) -> list[NewsletterListRead]:
    """The centre's newsletter lists with their provider and how many confirmed and pending
    subscriptions each has."""
    return list_service.list_with_counts(
        session=session, profile=request.app.state.profile, principal=principal
    )
