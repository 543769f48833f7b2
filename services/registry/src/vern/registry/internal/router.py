"""Internal operations for other Vern services: the subject contract and outbox redelivery."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vern.kit.auth import Principal, require
from vern.kit.contract import OutboxDelivery
from vern.kit.subjects import subject_contract_router
from vern.registry import outbox
from vern.registry.internal import service as internal_service

SCOPE = "registry:internal"
Internal = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={SCOPE}))]


def _store(request: Request) -> internal_service.RegistryStore:
    return internal_service.RegistryStore(request.app.state.profile)


router = subject_contract_router(_store, scope=SCOPE)


@router.post("/outbox/deliver", response_model=OutboxDelivery)
def deliver_outbox(request: Request, _: Internal) -> OutboxDelivery:
    """Delivers outbox messages whose time has come (called by the scheduler)."""
    return OutboxDelivery(**outbox.deliver(request.app))
