"""Internal operations for other Vern services: recording consents, and the subject contract."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, status

from vern.consent.consents import service as consent_service
from vern.consent.consents.dependencies import IdempotencyKey
from vern.consent.consents.schemas import ConsentEventCreate, ConsentRecorded
from vern.consent.internal import service as internal_service
from vern.kit.auth import Principal, require
from vern.kit.db import SessionDep
from vern.kit.errors import Conflict, InvalidInput, problem_responses
from vern.kit.subjects import subject_contract_router

SCOPE = "consent:internal"
Internal = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={SCOPE}))]
# The subject contract (search, export, erase, retention) plus consent's own internal operation.
router = subject_contract_router(internal_service, scope=SCOPE)


@router.post(
    "/consents",
    response_model=ConsentRecorded,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput, Conflict),
)
def record_consent(
    body: ConsentEventCreate,
    request: Request,
    session: SessionDep,
    principal: Internal,
    idempotency_key: IdempotencyKey,
) -> ConsentRecorded:
    """Records a consent given or withdrawn (e.g. a newsletter opt-in at intake in the registry).
    Idempotent per `Idempotency-Key`: a repeat returns the same answer and records nothing."""
    return consent_service.record(
        session=session, vault=request.app.state.vault, principal=principal,
        idempotency_key=idempotency_key, data=body,
    )  # fmt: skip
