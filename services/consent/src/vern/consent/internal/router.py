"""Internal operations for other Vern services: recording consents, subjects, retention."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from vern.consent.consents import service as consent_service
from vern.consent.consents.dependencies import IdempotencyKey
from vern.consent.consents.schemas import ConsentEventCreate, ConsentRecorded
from vern.consent.internal import service as internal_service
from vern.kit.auth import Principal, require
from vern.kit.contract import (
    ErasureReceipt,
    ExportResult,
    RetentionPreview,
    SubjectSearch,
    SubjectSearchResult,
    SubjectsRequest,
    SweepRequest,
    SweepResult,
)
from vern.kit.db import SessionDep
from vern.kit.errors import Conflict, InvalidInput, problem_responses

router = APIRouter(prefix="/internal", tags=["internal"])
Internal = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={"consent:internal"}))]


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


@router.post("/subjects/search", response_model=SubjectSearchResult)
def search_subjects(
    body: SubjectSearch, request: Request, session: SessionDep, _: Internal
) -> SubjectSearchResult:
    """Finds the subscribers an identifier belongs to (exact match through the blind index)."""
    matches = internal_service.search(
        session=session, vault=request.app.state.vault, identifiers=body.identifiers
    )
    return SubjectSearchResult(service=internal_service.SERVICE, subjects=matches)


@router.post("/subjects/export", response_model=ExportResult)
def export_subjects(
    body: SubjectsRequest, request: Request, session: SessionDep, principal: Internal
) -> ExportResult:
    """Everything held about the subscribers, for an access request."""
    return internal_service.export(
        session=session, vault=request.app.state.vault, principal=principal,
        request_id=body.request_id, subject_ids=body.subject_ids,
    )  # fmt: skip


@router.post("/subjects/erase", response_model=ErasureReceipt)
def erase_subjects(
    body: SubjectsRequest, request: Request, session: SessionDep, principal: Internal
) -> ErasureReceipt:
    """Erases the subscribers (rows and keys); idempotent per request id."""
    return internal_service.erase(
        session=session, vault=request.app.state.vault, principal=principal,
        request_id=body.request_id, subject_ids=body.subject_ids,
    )  # fmt: skip


@router.post("/retention/sweep", response_model=SweepResult)
def sweep_retention(
    body: SweepRequest, request: Request, session: SessionDep, principal: Internal
) -> SweepResult:
    """Deletes what the retention rules say is due today (or counts it, with `dry_run`)."""
    return internal_service.sweep(
        session=session, vault=request.app.state.vault, principal=principal,
        dry_run=body.dry_run, batch_size=body.batch_size,
    )  # fmt: skip


@router.get("/retention/preview", response_model=RetentionPreview)
def preview_retention(
    session: SessionDep,
    _: Internal,
    until: Annotated[date, Query(description="last due date to include")],
) -> RetentionPreview:
    """What will be deleted, and when, up to `until`."""
    return RetentionPreview(
        service=internal_service.SERVICE,
        until=until,
        items=internal_service.preview(session=session, until=until),
    )
