"""Who may use activities: counsellors run their own; coordinators and managers all."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require
from vern.kit.db import SessionDep
from vern.kit.errors import NotFound
from vern.registry.activities import repository as activity_repository
from vern.registry.activities.models import Activity

ActivitiesAccess = Annotated[
    Principal, Depends(require(roles={"counsellor", "coordinator", "manager"}))
]


def valid_activity_id(
    activity_id: uuid.UUID, session: SessionDep, principal: ActivitiesAccess
) -> Activity:
    """The activity named in the path; looked up only for staff who may use activities."""
    activity = activity_repository.get(session=session, activity_id=activity_id)
    if activity is None:
        raise NotFound("no such activity")
    return activity


ValidActivity = Annotated[Activity, Depends(valid_activity_id)]
