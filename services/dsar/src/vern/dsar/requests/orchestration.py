"""Calls on the internal subject contract of the Vern services that hold personal data, and the
one function that builds an access package from their exports.

Each call goes through the kit's `ServiceClient`, which retries transport errors and 502/503/504
within the call; a call that still fails raises `CallFailed` and its task is retried later
(`vern.dsar.tasks`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from vern.dsar.packages.builder import build_package
from vern.dsar.requests.schemas import AccessPackage, PackageSubject
from vern.dsar.tasks.models import CallErrorKind
from vern.kit.contract import (
    ErasureReceipt,
    ExportResult,
    SubjectIdentifiers,
    SubjectSearch,
    SubjectSearchResult,
    SubjectsRequest,
)
from vern.kit.http import ServiceClient
from vern.kit.orgprofile import OrgProfile

Result = TypeVar("Result", bound=BaseModel)


class CallFailed(Exception):
    """A call did not go through; `error` names the store and the status or exception class,
    `kind` and `status` say the same for the task's record. Never any data."""

    def __init__(self, error: str, kind: CallErrorKind, status: int | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.kind = kind
        self.status = status

    @classmethod
    def of(cls, call: str, exc: httpx.HTTPError) -> CallFailed:
        """`call` (which store, which operation) failed with `exc`: its status or class only, as
        a response body could echo the identifiers sent."""
        if isinstance(exc, httpx.HTTPStatusError):
            code = exc.response.status_code
            kind = CallErrorKind.server_error if code >= 500 else CallErrorKind.client_error
            return cls(f"{call}: HTTP {code}", kind, code)
        if isinstance(exc, httpx.TimeoutException):
            kind = CallErrorKind.timeout
        elif isinstance(exc, httpx.ConnectError):
            kind = CallErrorKind.unreachable
        else:
            kind = CallErrorKind.network
        return cls(f"{call}: {type(exc).__name__}", kind)


def build_access_package(
    *,
    request_id: uuid.UUID,
    generated_at: datetime,
    subject: PackageSubject,
    exports: Mapping[str, ExportResult],
    profile: OrgProfile,
) -> AccessPackage:
    """The access package: every service's export of the subject, with the controller and the
    outside places the profile names, as one document."""
    return build_package(
        request_id=request_id,
        generated_at=generated_at,
        subject=subject,
        exports=exports,
        profile=profile,
    )


def search(client: ServiceClient, service: str, identifiers: SubjectIdentifiers) -> list[str]:
    """The ids under which `service` holds the subject."""
    body = SubjectSearch(identifiers=identifiers)
    found = _call(client, service, "subjects/search", body, SubjectSearchResult)
    return [match.subject_id for match in found.subjects]


def export(
    client: ServiceClient, service: str, request_id: uuid.UUID, subject_ids: list[str]
) -> ExportResult:
    """Everything `service` holds under `subject_ids` (an empty part when it holds nothing)."""
    if not subject_ids:  # nothing found here: an empty part, so the package shows it was asked
        return ExportResult(service=service, request_id=str(request_id), subjects=[])
    body = SubjectsRequest(request_id=str(request_id), subject_ids=subject_ids)
    return _call(client, service, "subjects/export", body, ExportResult)


def erase(
    client: ServiceClient,
    service: str,
    request_id: uuid.UUID,
    subject_ids: list[str],
) -> ErasureReceipt:
    """Erases the subject in `service` (idempotent per request id there) and gives its receipt.

    The service is asked even when the search found nothing: it may have erased the subject
    already under this request, its answer lost, and then repeats that receipt."""
    body = SubjectsRequest(request_id=str(request_id), subject_ids=subject_ids)
    return _call(client, service, "subjects/erase", body, ErasureReceipt)


def _call(
    client: ServiceClient, service: str, operation: str, body: BaseModel, result: type[Result]
) -> Result:
    path = f"/{service}/internal/{operation}"
    try:
        response = client.post(path, json=body.model_dump(mode="json"))
        return result.model_validate_json(response.content)
    except httpx.HTTPError as exc:
        raise CallFailed.of(f"{service} {operation}", exc) from exc
    except ValidationError as exc:
        raise CallFailed(
            f"{service} {operation}: unexpected response", CallErrorKind.bad_answer
        ) from exc
