"""Machines with dsar's internal scope (the scheduler) read deadlines and trigger reminders."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require

Internal = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={"dsar:internal"}))]
