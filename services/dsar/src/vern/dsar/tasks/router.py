"""A request's tasks: staff mark manual tasks done and retry failed calls; the journal vendor
answers its erasure webhook; the scheduler redelivers the calls whose time has come."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, status

from vern.dsar.deadlines.dependencies import Internal
from vern.dsar.peers import targets_of
from vern.dsar.problems import TASK_DONE_PROBLEMS
from vern.dsar.requests import service as request_service
from vern.dsar.requests import views
from vern.dsar.requests.dependencies import RequestsHandle
from vern.dsar.requests.schemas import DataRequestRead
from vern.dsar.tasks import runner as task_runner
from vern.dsar.tasks import service as task_service
from vern.dsar.tasks.dependencies import JournalVendor
from vern.dsar.tasks.models import TaskStatus
from vern.dsar.tasks.schemas import TaskDone, VendorResult
from vern.kit import audit
from vern.kit.clock import oslo_date
from vern.kit.contract import OutboxDelivery
from vern.kit.db import SessionDep
from vern.kit.dependencies import ProfileDep, VaultDep
from vern.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, problem_responses

router = APIRouter(prefix="/requests/{request_id}/tasks", tags=["requests"])
vendor_router = APIRouter(prefix="/vendor", tags=["vendor"])
internal_router = APIRouter(prefix="/internal", tags=["internal"])


@router.post(
    "/{task_id}/done",
    response_model=DataRequestRead,
    responses=problem_responses(NotFound, Conflict, InvalidInput, types=TASK_DONE_PROBLEMS),
)
def mark_task_done(
    request_id: uuid.UUID,
    task_id: uuid.UUID,
    data: TaskDone,
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: RequestsHandle,
) -> DataRequestRead:
    """Marks an outside system's manual task done, with a note of what was done (and, for an
    erasure, what had to be kept under which law). The request completes with its last task."""
    targets = targets_of(request)
    data_request, task = request_service.lock_task(
        session=session, task_id=task_id, request_id=request_id
    )
    task_service.mark_done(
        vault=vault, principal=principal, task=task, data=data, now=request_service.now()
    )
    request_service.task_finished(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        data_request=data_request,
        task=task,
    )
    task_runner.run_after_commit(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        request_id=request_id,
    )
    return views.read(session, vault, profile, data_request, today=oslo_date(request_service.now()))


@router.post(
    "/retry",
    response_model=DataRequestRead,
    responses=problem_responses(Forbidden, NotFound, Conflict),
)
def retry_tasks(
    request_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: RequestsHandle,
) -> DataRequestRead:
    """Makes a request's open calls again now (failed ones and those waiting for their backoff);
    tasks already done are not run again. A call that a run is making right now (claimed, its
    lease still running) is not made a second time: it is left to that run, and is due again
    only if its answer is not recorded by the end of the lease. The calls are made once that is
    stored, and the answer shows what they came to."""
    targets = targets_of(request)
    data_request = request_service.get_for_reading(
        session=session, vault=vault, principal=principal, request_id=request_id, lock=True
    )
    request_service.carry_out(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        data_request=data_request,
        force=True,
    )
    task_runner.run_after_commit(
        session=session,
        vault=vault,
        targets=targets,
        profile=profile,
        principal=principal,
        request_id=request_id,
    )
    return views.read(session, vault, profile, data_request, today=oslo_date(request_service.now()))


@vendor_router.post(
    "/tasks/{task_id}/result",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, InvalidInput),
)
def vendor_result(
    task_id: uuid.UUID,
    data: VendorResult,
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: JournalVendor,
) -> None:
    """The journal vendor's answer to `subject.erasure_requested`: what it erased and what it
    keeps under which law. Sending it again changes nothing."""
    data_request, task = request_service.lock_task(session=session, task_id=task_id)
    already_done = task.status is TaskStatus.done
    task_service.vendor_answered(
        vault=vault, principal=principal, task=task, data=data, now=request_service.now()
    )
    if already_done:
        audit.record(
            session,
            principal=principal,
            action="data_request.vendor_result_repeated",
            subject_type="data_request",
            subject_id=task.request_id,
        )
        return
    request_service.task_finished(
        session=session,
        vault=vault,
        targets=targets_of(request),
        profile=profile,
        principal=principal,
        data_request=data_request,
        task=task,
    )


@internal_router.post("/outbox/deliver", response_model=OutboxDelivery)
def deliver_outbox(
    request: Request,
    session: SessionDep,
    vault: VaultDep,
    profile: ProfileDep,
    principal: Internal,
) -> OutboxDelivery:
    """Makes the requests' calls whose time has come (called by the scheduler): failed calls
    after their backoff, and calls left when dsar stopped half-way (committed but never made,
    or made but never recorded: made again once their claim's lease has run out)."""
    counts = task_runner.deliver_due(
        session=session,
        vault=vault,
        targets=targets_of(request),
        profile=profile,
        principal=principal,
    )
    return OutboxDelivery(**counts)
