"""Who may prove an e-mail address: a client logged in with BankID, for themselves only."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vern.kit.auth import Principal, require

ClientOnly = Annotated[Principal, Depends(require(kinds={"client"}))]
