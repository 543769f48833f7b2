"""Internal operations for other Vern services: subjects, retention, outbox redelivery."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from vern.kit.auth import Principal, require
from vern.kit.contract import (
    ErasureReceipt,
    ExportResult,
    OutboxDelivery,
    RetentionPreview,
    SubjectSearch,
    SubjectSearchResult,
    SubjectsRequest,
    SweepRequest,
    SweepResult,
)
from vern.kit.db import SessionDep
from vern.registry import outbox
from vern.registry.internal import service as internal_service

router = APIRouter(prefix="/internal", tags=["internal"])
Internal = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={"registry:internal"}))]


@router.post("/subjects/search", response_model=SubjectSearchResult)
def search_subjects(
    body: SubjectSearch, request: Request, session: SessionDep, _: Internal
) -> SubjectSearchResult:
    """Finds the clients an identifier belongs to (exact match through blind indexes)."""
    matches = internal_service.search(
        session=session, vault=request.app.state.vault, identifiers=body.identifiers
    )
    return SubjectSearchResult(service=internal_service.SERVICE, subjects=matches)


@router.post("/subjects/export", response_model=ExportResult)
def export_subjects(
    body: SubjectsRequest, request: Request, session: SessionDep, principal: Internal
) -> ExportResult:
    """Everything held about the subjects, for an access request."""
    return internal_service.export(
        session=session,
        vault=request.app.state.vault,
        principal=principal,
        request_id=body.request_id,
        subject_ids=body.subject_ids,
    )


@router.post("/subjects/erase", response_model=ErasureReceipt)
def erase_subjects(
    body: SubjectsRequest, request: Request, session: SessionDep, principal: Internal
) -> ErasureReceipt:
    """Erases the subjects (rows and keys); idempotent per request id."""
    return internal_service.erase(
        session=session,
        vault=request.app.state.vault,
        principal=principal,
        request_id=body.request_id,
        subject_ids=body.subject_ids,
    )


@router.post("/retention/sweep", response_model=SweepResult)
def sweep_retention(
    body: SweepRequest, request: Request, session: SessionDep, principal: Internal
) -> SweepResult:
    """Deletes what the retention rules say is due today (or counts it, with `dry_run`)."""
    return internal_service.sweep(
        session=session,
        vault=request.app.state.vault,
        principal=principal,
        dry_run=body.dry_run,
        batch_size=body.batch_size,
    )


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


@router.post("/outbox/deliver", response_model=OutboxDelivery)
def deliver_outbox(request: Request, _: Internal) -> OutboxDelivery:
    """Delivers outbox messages whose time has come (called by the scheduler)."""
    return OutboxDelivery(**outbox.deliver(request.app))
