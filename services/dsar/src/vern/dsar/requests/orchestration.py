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
    """A service did not answer; `error` names the service and the status, never any data."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


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
    except httpx.HTTPStatusError as exc:
        # Status codes only: a response body could echo the identifiers we sent.
        raise CallFailed(f"{service} {operation}: HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise CallFailed(f"{service} {operation}: {type(exc).__name__}") from exc
    except ValidationError as exc:
        raise CallFailed(f"{service} {operation}: unexpected response") from exc
