"""What every service's app holds once (`create_service_app`), as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vern.kit.crypto import Vault
from vern.kit.orgprofile import OrgProfile


def vault_of(request: Request) -> Vault:
    """The service's vault (subject keys in the key store, blind indexes)."""
    vault: Vault = request.app.state.vault
    return vault


def profile_of(request: Request) -> OrgProfile:
    """The org profile the service loaded and checked at start-up."""
    profile: OrgProfile = request.app.state.profile
    return profile


VaultDep = Annotated[Vault, Depends(vault_of)]
ProfileDep = Annotated[OrgProfile, Depends(profile_of)]
