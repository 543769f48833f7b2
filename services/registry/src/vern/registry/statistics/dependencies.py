"""Who may see the statistics: the manager (DESIGN.md section 2) and the data protection officer,
who oversees that they stay anonymous; only the manager says when a year is no longer needed."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require

StatisticsRead = Annotated[Principal, Depends(require(roles={"manager", "dpo"}))]
StatisticsManage = Annotated[Principal, Depends(require(roles={"manager"}))]
