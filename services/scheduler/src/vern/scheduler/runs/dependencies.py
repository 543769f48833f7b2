"""Who may read the record of job runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require

RunsRead = Annotated[Principal, Depends(require(roles={"manager", "dpo"}))]
