"""The erasure receipt of a completed erasure, for its subject and for staff, and the public key
set it is verified with."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from vern.dsar.receipts import service as receipt_service
from vern.dsar.receipts.schemas import Jwks, SignedErasureReceipt
from vern.dsar.receipts.signing import ReceiptSigner
from vern.dsar.requests import service as request_service
from vern.dsar.requests.dependencies import PackageRead
from vern.kit import audit
from vern.kit.db import SessionDep
from vern.kit.dependencies import VaultDep
from vern.kit.errors import Forbidden, NotFound, TooManyRequests, problem_responses
from vern.kit.ratelimit import RateLimited

router = APIRouter(prefix="/requests", tags=["requests"])
jwks_router = APIRouter(prefix="/.well-known", tags=["receipts"])


@router.get(
    "/{request_id}/receipt",
    response_model=SignedErasureReceipt,
    responses=problem_responses(Forbidden, NotFound),
)
def get_receipt(
    request_id: uuid.UUID, session: SessionDep, vault: VaultDep, principal: PackageRead
) -> SignedErasureReceipt:
    """The signed receipt of a completed erasure (its subject, managers and the DPO): per store
    what was erased and what was kept under which law. Verify `jws` against the JWKS."""
    data_request = request_service.get_for_reading(
        session=session, vault=vault, principal=principal, request_id=request_id
    )
    if data_request.receipt_jws is None:
        raise NotFound("this request has no erasure receipt")
    audit.record(
        session,
        principal=principal,
        action="data_request.receipt_read",
        subject_type="data_request",
        subject_id=request_id,
    )
    return SignedErasureReceipt(
        jws=data_request.receipt_jws, receipt=receipt_service.claims_of(data_request.receipt_jws)
    )


@jwks_router.get(
    "/jwks.json",
    response_model=Jwks,
    responses=problem_responses(TooManyRequests),
    dependencies=[RateLimited("public")],
)
def get_jwks(request: Request) -> Jwks:
    """The public keys erasure receipts are signed with (ES256), by `kid`."""
    signer: ReceiptSigner = request.app.state.receipt_signer
    return Jwks.model_validate(signer.jwks())
