"""Data subject requests: filed by staff on someone's behalf or by the client with BankID."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from fastapi import APIRouter, Request, status

from vern.dsar.requests import service as request_service
from vern.dsar.requests.dependencies import PackageRead, RequestsRead, RequestsWrite
from vern.dsar.requests.schemas import AccessPackage, DataRequestCreate, DataRequestRead
from vern.kit.crypto import Vault
from vern.kit.db import SessionDep
from vern.kit.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vern.kit.http import ServiceClient
from vern.kit.pagination import Limit, Offset

router = APIRouter(prefix="/requests", tags=["requests"])


def _vault(request: Request) -> Vault:
    vault: Vault = request.app.state.vault
    return vault


def _peers(request: Request) -> Mapping[str, ServiceClient]:
    peers: Mapping[str, ServiceClient] = request.app.state.peers
    return peers


@router.post(
    "",
    response_model=DataRequestRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput),
)
def create_request(
    data: DataRequestCreate, request: Request, session: SessionDep, principal: RequestsWrite
) -> DataRequestRead:
    """Registers a request. An access request is answered at once: its package is collected from
    every service; if one cannot be reached the request is kept with status `failed`."""
    vault = _vault(request)
    data_request = request_service.create(
        session=session, vault=vault, peers=_peers(request), principal=principal, data=data
    )
    return request_service.to_read(vault, data_request)


@router.get("", response_model=list[DataRequestRead])
def list_requests(
    request: Request,
    session: SessionDep,
    principal: RequestsRead,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[DataRequestRead]:
    """Requests the caller may see, newest first: all for managers and the DPO, the ones they
    handle for other staff, their own for a client."""
    vault = _vault(request)
    requests = request_service.list_visible(
        session=session, vault=vault, principal=principal, limit=limit, offset=offset
    )
    return [request_service.to_read(vault, r) for r in requests]


@router.get(
    "/{request_id}",
    response_model=DataRequestRead,
    responses=problem_responses(Forbidden, NotFound),
)
def get_request(
    request_id: uuid.UUID, request: Request, session: SessionDep, principal: RequestsRead
) -> DataRequestRead:
    """A request's status and dates."""
    vault = _vault(request)
    data_request = request_service.get_for_reading(
        session=session, vault=vault, principal=principal, request_id=request_id
    )
    return request_service.to_read(vault, data_request)


@router.get(
    "/{request_id}/package",
    response_model=AccessPackage,
    responses=problem_responses(Forbidden, NotFound),
)
def get_package(
    request_id: uuid.UUID, request: Request, session: SessionDep, principal: PackageRead
) -> AccessPackage:
    """The access package (innsyn): everything every service holds about the requester."""
    return request_service.read_package(
        session=session, vault=_vault(request), principal=principal, request_id=request_id
    )
