"""The internal subject and retention contract as one router, served by every data-holding service.

A service hands in a `SubjectStore` (its `internal/service.py` module satisfies the protocol) and
the scope machines must hold; dsar and the scheduler call the same paths on every service.
(No `from __future__ import annotations` here: FastAPI must resolve the local `Machine` alias.)
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Protocol

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from vern.kit import metrics
from vern.kit.auth import Principal, require
from vern.kit.contract import (
    ErasureReceipt,
    ExportResult,
    PreviewItem,
    RetentionPreview,
    SubjectIdentifiers,
    SubjectMatch,
    SubjectSearch,
    SubjectSearchResult,
    SubjectsRequest,
    SweepRequest,
    SweepResult,
)
from vern.kit.crypto import Vault
from vern.kit.db import SessionDep


class SubjectStore(Protocol):
    """What a data-holding service implements for the contract."""

    SERVICE: str

    def search(
        self, *, session: Session, vault: Vault, identifiers: SubjectIdentifiers
    ) -> list[SubjectMatch]: ...

    def export(
        self, *, session: Session, vault: Vault, principal: Principal, request_id: str,
        subject_ids: list[str],
    ) -> ExportResult: ...  # fmt: skip

    def erase(
        self, *, session: Session, vault: Vault, principal: Principal, request_id: str,
        subject_ids: list[str],
    ) -> ErasureReceipt: ...  # fmt: skip

    def sweep(
        self, *, session: Session, vault: Vault, principal: Principal, dry_run: bool,
        batch_size: int,
    ) -> SweepResult: ...  # fmt: skip

    def preview(self, *, session: Session, until: date) -> list[PreviewItem]: ...


def subject_contract_router(
    store: SubjectStore | Callable[[Request], SubjectStore], *, scope: str
) -> APIRouter:
    """`/internal/subjects/{search,export,erase}` and `/internal/retention/{sweep,preview}`.

    `store` is the store itself, or a function of the request that gives one (a store that needs
    the app's state, such as the org profile)."""
    router = APIRouter(prefix="/internal", tags=["internal"])
    Machine = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={scope}))]  # noqa: N806

    def store_of(request: Request) -> SubjectStore:
        return store(request) if callable(store) else store

    def vault_of(request: Request) -> Vault:
        vault: Vault = request.app.state.vault
        return vault

    @router.post("/subjects/search", response_model=SubjectSearchResult)
    def search_subjects(
        body: SubjectSearch, request: Request, session: SessionDep, _: Machine
    ) -> SubjectSearchResult:
        """Finds the subjects an identifier belongs to (exact match through blind indexes)."""
        found = store_of(request)
        matches = found.search(
            session=session, vault=vault_of(request), identifiers=body.identifiers
        )
        return SubjectSearchResult(service=found.SERVICE, subjects=matches)

    @router.post("/subjects/export", response_model=ExportResult)
    def export_subjects(
        body: SubjectsRequest, request: Request, session: SessionDep, principal: Machine
    ) -> ExportResult:
        """Everything held about the subjects, with purposes and who has read it (access request)."""
        return store_of(request).export(
            session=session, vault=vault_of(request), principal=principal,
            request_id=body.request_id, subject_ids=body.subject_ids,
        )  # fmt: skip

    @router.post("/subjects/erase", response_model=ErasureReceipt)
    def erase_subjects(
        body: SubjectsRequest, request: Request, session: SessionDep, principal: Machine
    ) -> ErasureReceipt:
        """Erases the subjects (rows and keys); idempotent per request id."""
        receipt = store_of(request).erase(
            session=session, vault=vault_of(request), principal=principal,
            request_id=body.request_id, subject_ids=body.subject_ids,
        )  # fmt: skip
        metrics.ERASURE_CALLS.labels(receipt.service).inc()
        return receipt

    @router.post("/retention/sweep", response_model=SweepResult)
    def sweep_retention(
        body: SweepRequest, request: Request, session: SessionDep, principal: Machine
    ) -> SweepResult:
        """Deletes what the retention rules say is due today (or counts it, with `dry_run`)."""
        result = store_of(request).sweep(
            session=session, vault=vault_of(request), principal=principal,
            dry_run=body.dry_run, batch_size=body.batch_size,
        )  # fmt: skip
        metrics.count_sweep(result)
        return result

    @router.get("/retention/preview", response_model=RetentionPreview)
    def preview_retention(
        request: Request,
        session: SessionDep,
        _: Machine,
        until: Annotated[date, Query(description="last due date to include")],
    ) -> RetentionPreview:
        """What will be deleted, and when, up to `until` (ids and dates, never names)."""
        found = store_of(request)
        items = found.preview(session=session, until=until)
        return RetentionPreview(service=found.SERVICE, until=until, items=items)

    return router
