"""Data subject requests: filed by the client with BankID or by staff on someone's behalf, handled
by managers and the DPO through the status lifecycle."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from vern.dsar.packages import rendering as package_rendering
from vern.dsar.peers import targets_of
from vern.dsar.problems import EXTENSION_PROBLEMS, TRANSITION_PROBLEMS
from vern.dsar.requests import repository as request_repository
from vern.dsar.requests import service as request_service
from vern.dsar.requests import views
from vern.dsar.requests.dependencies import PackageRead, RequestsHandle, RequestsRead, RequestsWrite
from vern.dsar.requests.models import DataRequest, RequestStatus, RequestType
from vern.dsar.requests.schemas import (
    AccessPackage,
    DataRequestCreate,
    DataRequestPage,
    DataRequestRead,
    ExtensionCreate,
    RequestTransition,
)
from vern.dsar.tasks import runner as task_runner
from vern.kit.clock import oslo_date
from vern.kit.crypto import Vault
from vern.kit.db import SessionDep
from vern.kit.dependencies import ProfileDep, VaultDep
from vern.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, problem_responses
from vern.kit.orgprofile import OrgProfile
from vern.kit.pagination import Limit, Offset

router = APIRouter(prefix="/requests", tags=["requests"])


def _read(
    session: Session, vault: Vault, profile: OrgProfile, data_request: DataRequest
) -> DataRequestRead:
    return views.read(session, vault, profile, data_request, today=oslo_date(request_service.now()))


@router.post(
    "",
    response_model=DataRequestRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(InvalidInput),
)
def create_request(
    data: DataRequestCreate,
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: RequestsWrite,
) -> DataRequestRead:
    """Registers a request, due one calendar month after receipt (or earlier, per the centre's
    notice). Once identity is proven an access request is carried out at once (and an erasure
    where the centre grants erasure at once): the request and its tasks are stored first, then
    the stores are called, and the answer shows each task as it stands after that first run (a
    store that could not be reached: its task `failed`, retried with backoff)."""
    targets = targets_of(request)
    data_request = request_service.create(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        data=data,
    )
    task_runner.run_after_commit(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        request_id=data_request.id,
    )
    return _read(session, vault, profile, data_request)


@router.get("", response_model=DataRequestPage)
def list_requests(
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: RequestsRead,
    status_: Annotated[list[RequestStatus] | None, Query(alias="status")] = None,
    type_: Annotated[list[RequestType] | None, Query(alias="type")] = None,
    overdue: Annotated[bool | None, Query(description="only open requests past due")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> DataRequestPage:
    """The queue, earliest due first: every request for managers and the DPO, the ones they
    registered for other staff, their own for a client. Each says its days left and how far
    each store's task is; the requester's identifiers and the tasks' checklists and notes are
    in `GET /dsar/requests/{id}`."""
    today = oslo_date(request_service.now())
    filters = request_repository.Filters(
        statuses=status_ or (), types=type_ or (), overdue=overdue, today=today
    )
    found, tasks, total = request_service.list_visible(
        session=session,
        vault=vault,
        principal=principal,
        filters=filters,
        limit=limit,
        offset=offset,
    )
    return views.page(profile, found, tasks, today=today, total=total, limit=limit, offset=offset)


@router.get(
    "/{request_id}",
    response_model=DataRequestRead,
    responses=problem_responses(Forbidden, NotFound),
)
def get_request(
    request_id: uuid.UUID,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: RequestsRead,
) -> DataRequestRead:
    """A request's status, dates and countdown, and its tasks: one per store, each with its
    status, owner, checklist and due date, and the error of a call that failed."""
    data_request = request_service.get_for_reading(
        session=session, vault=vault, principal=principal, request_id=request_id
    )
    return _read(session, vault, profile, data_request)


@router.post(
    "/{request_id}/transitions",
    response_model=DataRequestRead,
    responses=problem_responses(
        Forbidden, NotFound, Conflict, InvalidInput, types=TRANSITION_PROBLEMS
    ),
)
def transition_request(
    request_id: uuid.UUID,
    data: RequestTransition,
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: RequestsHandle,
) -> DataRequestRead:
    """Moves a request on (managers and the DPO). A move the lifecycle does not allow is 409; an
    erasure under four-eyes approval is carried out only after a second staff member approves.
    A move that makes calls due (an approval, a request back in progress) is stored first; the
    calls follow, and the answer shows the tasks as they stand after them."""
    targets = targets_of(request)
    data_request = request_service.transition(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        request_id=request_id,
        data=data,
    )
    task_runner.run_after_commit(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        request_id=request_id,
    )
    return _read(session, vault, profile, data_request)


@router.post(
    "/{request_id}/extension",
    response_model=DataRequestRead,
    responses=problem_responses(NotFound, Conflict, InvalidInput, types=EXTENSION_PROBLEMS),
)
def extend_request(
    request_id: uuid.UUID,
    data: ExtensionCreate,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: RequestsHandle,
) -> DataRequestRead:
    """Extends the deadline (Art. 12(3)) with a reason, while the first deadline runs, recording
    when and how the subject was told."""
    data_request = request_service.extend(
        session=session,
        profile=profile,
        principal=principal,
        request_id=request_id,
        data=data,
    )
    return _read(session, vault, profile, data_request)


@router.get(
    "/{request_id}/package",
    response_model=AccessPackage,
    responses=problem_responses(Forbidden, NotFound),
)
def get_package(
    request_id: uuid.UUID, session: SessionDep, vault: VaultDep, principal: PackageRead
) -> AccessPackage:
    """The access package (innsyn): everything every service holds about the requester."""
    return request_service.read_package(
        session=session, vault=vault, principal=principal, request_id=request_id
    )


@router.get(
    "/{request_id}/package.html",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        **problem_responses(Forbidden, NotFound),
    },
)
def get_package_page(
    request_id: uuid.UUID, session: SessionDep, vault: VaultDep, principal: PackageRead
) -> HTMLResponse:
    """The access package as a readable page in Norwegian (bokmål), for the same readers."""
    package = request_service.read_package(
        session=session, vault=vault, principal=principal, request_id=request_id
    )
    # Shown in the browser; saved under a name that holds the request's id and nothing else.
    headers = {
        "Cache-Control": "no-store",
        "Content-Disposition": f'inline; filename="innsyn-{request_id}.html"',
    }
    return HTMLResponse(package_rendering.render_html(package), headers=headers)
