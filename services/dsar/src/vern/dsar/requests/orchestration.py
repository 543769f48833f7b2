"""Collects an access request's data from every Vern service that holds personal data.

For now the calls are made synchronously, one service after the other; each goes through the kit's
`ServiceClient`, which retries transport errors and 502/503/504 before giving up.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from vern.dsar.packages.builder import build_package
from vern.dsar.peers import CONSENT, REGISTRY
from vern.dsar.requests.schemas import AccessPackage, PackageSubject
from vern.kit.contract import (
    ExportResult,
    SubjectIdentifiers,
    SubjectSearch,
    SubjectSearchResult,
    SubjectsRequest,
)
from vern.kit.http import ServiceClient
from vern.kit.orgprofile import OrgProfile

Result = TypeVar("Result", bound=BaseModel)


class CollectionFailed(Exception):
    """A service did not answer; `error` names the service and the status, never any data."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def collect_access_package(
    *,
    peers: Mapping[str, ServiceClient],
    profile: OrgProfile,
    request_id: uuid.UUID,
    subject: PackageSubject,
) -> AccessPackage:
    """Finds the subject in the registry, then in consent (by email and by the registry's subject
    ids), and gathers both services' exports into one package."""
    registry_ids = _search(
        peers[REGISTRY],
        REGISTRY,
        SubjectIdentifiers(national_id=subject.national_id, email=subject.email),
    )
    consent_ids = _search(
        peers[CONSENT], CONSENT, SubjectIdentifiers(email=subject.email, subject_refs=registry_ids)
    )
    return build_package(
        request_id=request_id,
        subject=subject,
        exports={
            REGISTRY: _export(peers[REGISTRY], REGISTRY, request_id, registry_ids),
            CONSENT: _export(peers[CONSENT], CONSENT, request_id, consent_ids),
        },
        profile=profile,
    )


def _search(client: ServiceClient, service: str, identifiers: SubjectIdentifiers) -> list[str]:
    body = SubjectSearch(identifiers=identifiers)
    found = _call(client, service, "subjects/search", body, SubjectSearchResult)
    return [match.subject_id for match in found.subjects]


def _export(
    client: ServiceClient, service: str, request_id: uuid.UUID, subject_ids: list[str]
) -> ExportResult:
    if not subject_ids:  # nothing found here: an empty part, so the package shows it was asked
        return ExportResult(service=service, request_id=str(request_id), subjects=[])
    body = SubjectsRequest(request_id=str(request_id), subject_ids=subject_ids)
    return _call(client, service, "subjects/export", body, ExportResult)


def _call(
    client: ServiceClient, service: str, operation: str, body: BaseModel, result: type[Result]
) -> Result:
    path = f"/{service}/internal/{operation}"
    try:
        response = client.post(path, json=body.model_dump(mode="json"))
        return result.model_validate_json(response.content)
    except httpx.HTTPStatusError as exc:
        # Status codes only: a response body could echo the identifiers we sent.
        raise CollectionFailed(f"{service} {operation}: HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise CollectionFailed(f"{service} {operation}: {type(exc).__name__}") from exc
    except ValidationError as exc:
        raise CollectionFailed(f"{service} {operation}: unexpected response") from exc
