"""`/dsar/me/email-proofs`: a client proves an e-mail address by a code mailed to it, and gets a
signed proof that dsar and consent accept (so their data is found by that address too)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from vern.dsar.mail import smtp_server_of
from vern.dsar.me import service as proof_service
from vern.dsar.me.dependencies import ClientOnly
from vern.dsar.me.schemas import (
    EmailProofConfirm,
    EmailProofConfirmed,
    EmailProofCreate,
    EmailProofStarted,
)
from vern.kit.db import SessionDep
from vern.kit.dependencies import VaultDep
from vern.kit.errors import (
    FieldError,
    InvalidInput,
    NotFound,
    Problem,
    TooManyRequests,
    UpstreamUnavailable,
    problem_response,
    problem_responses,
)

router = APIRouter(prefix="/me/email-proofs", tags=["me"])


@router.post(
    "",
    response_model=EmailProofStarted,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(InvalidInput, TooManyRequests, UpstreamUnavailable),
)
def start_email_proof(
    data: EmailProofCreate,
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    principal: ClientOnly,
) -> EmailProofStarted:
    """Mails a 6-digit code to the address, valid for 15 minutes. The answer is the same
    whether or not Vern holds anything about the address; at most 5 codes an hour."""
    return proof_service.start(
        session=session,
        vault=vault,
        mailer=smtp_server_of(request.app.state.settings),
        principal=principal,
        email=data.email,
    )


@router.post(
    "/{proof_id}/confirm",
    response_model=EmailProofConfirmed,
    responses=problem_responses(InvalidInput, NotFound, proof_service.ProofGone),
)
def confirm_email_proof(
    proof_id: uuid.UUID,
    data: EmailProofConfirm,
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    principal: ClientOnly,
) -> EmailProofConfirmed | JSONResponse:
    """The signed proof (JWS, 30 minutes) for the right code. A wrong code is 422 with the
    attempts left; after 5 wrong codes, or once the code has expired or been used, 410."""
    outcome = proof_service.confirm(
        session=session,
        vault=vault,
        signer=request.app.state.receipt_signer,
        principal=principal,
        proof_id=proof_id,
        code=data.code,
    )
    if isinstance(outcome, proof_service.WrongCode):
        # Answered rather than raised: raising would roll back the count of wrong codes.
        message = f"is not the code we sent; {outcome.attempts_left} attempts left"
        return problem_response(
            Problem(
                title=InvalidInput.title,
                status=InvalidInput.status_code,
                detail=f"code: {message}",
                errors=[FieldError(field="code", message=message)],
            )
        )
    return outcome
