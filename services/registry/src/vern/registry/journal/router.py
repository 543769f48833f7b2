"""The journal vendor's API (`/registry/journal/...`): find a consenting client, report a session
held, report counselling ended. OAuth2 client credentials with the `journal` scope."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from vern.kit.db import SessionDep
from vern.kit.dependencies import profile_of, vault_of
from vern.kit.errors import Conflict, InvalidInput, NotFound, problem_response, problem_responses
from vern.registry.journal import service as journal_service
from vern.registry.journal.dependencies import JournalVendor
from vern.registry.journal.schemas import (
    ClientLookup,
    CounsellingEndedReport,
    JournalClient,
    SessionReport,
)

router = APIRouter(
    prefix="/journal",
    tags=["journal"],
    responses=problem_responses(NotFound),
)


def _answer(client: JournalClient | None) -> JournalClient | JSONResponse:
    # A miss is answered, not raised, so that the session commits the miss's audit event.
    if client is None:
        return problem_response(NotFound(journal_service.NOT_FOUND).problem())
    return client


@router.post(
    "/clients/lookup",
    response_model=JournalClient,
    responses=problem_responses(Conflict, InvalidInput),
)
def lookup_client(
    data: ClientLookup, request: Request, session: SessionDep, principal: JournalVendor
) -> JournalClient | JSONResponse:
    """Finds a client who consented to the journal, by national id (in the body, never the URL)
    and/or the vendor's reference. Any other person, client or not, is 404."""
    return _answer(
        journal_service.lookup(
            session=session, vault=vault_of(request), principal=principal, data=data
        )
    )


@router.post(
    "/clients/{client_id}/sessions",
    response_model=JournalClient,
    responses=problem_responses(InvalidInput),
)
def report_session(
    client_id: uuid.UUID,
    data: SessionReport,
    request: Request,
    session: SessionDep,
    principal: JournalVendor,
) -> JournalClient | JSONResponse:
    """Reports a counselling session held; it moves the last counsellor contact and with it the
    date the client's data is due for deletion."""
    return _answer(
        journal_service.report_session(
            session=session,
            vault=vault_of(request),
            profile=profile_of(request),
            principal=principal,
            person_id=client_id,
            data=data,
        )
    )


@router.post(
    "/clients/{client_id}/counselling-ended",
    response_model=JournalClient,
    responses=problem_responses(InvalidInput),
)
def report_counselling_ended(
    client_id: uuid.UUID,
    data: CounsellingEndedReport,
    request: Request,
    session: SessionDep,
    principal: JournalVendor,
) -> JournalClient | JSONResponse:
    """Reports that the client ended counselling: the retention clock (3 years) starts."""
    return _answer(
        journal_service.report_counselling_ended(
            session=session,
            vault=vault_of(request),
            profile=profile_of(request),
            principal=principal,
            person_id=client_id,
            data=data,
        )
    )
