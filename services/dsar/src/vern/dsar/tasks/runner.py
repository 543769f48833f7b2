"""Makes a request's calls to the stores once its own transaction has committed, the outbox way:
the request and its tasks are stored first, so a store is never called about a task dsar may
lose.

Each call goes through three steps, and no transaction is open while a store answers:
1. claim (a short transaction, with the request's row locked): the task's next attempt moves a
   lease ahead (as long as a call may take with its retries: `task_service.claim_lease`) and its
   attempts go up by one, so no other run makes the same call meanwhile, and a retry on request
   leaves it alone while the lease runs;
2. call, with no transaction open (SQLite's write lock and PostgreSQL's row locks are free);
3. record (a short transaction): the outcome is stored on the task if it is still this claim's,
   with the request's row locked, and the request moves on (package, completion, receipt).

Every transaction that writes a task locks its request's row first (here, in
`request_service.record_call`, `request_service.lock_task` for staff and the vendor, and the
retry): taken in one order, two transactions never wait for each other's rows.

A run dying between the steps loses nothing: a task committed but never called, or called but
never recorded, is due again once its lease has run out, and the scheduler's redelivery
(`POST /dsar/internal/outbox/deliver`) makes it; the stores' calls are idempotent per request
id (a repeated erase answers with the receipt it gave the first time) and the vendor's webhook
keeps its id, so nothing is done twice.

These functions own their transactions: they commit the session they are given (the request's
own, from `SessionDep`), which services never do.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from vern.dsar.requests import repository as request_repository
from vern.dsar.requests import service as request_service
from vern.dsar.tasks import repository as task_repository
from vern.dsar.tasks import service as task_service
from vern.dsar.tasks.models import TaskStatus
from vern.dsar.tasks.service import ClaimedCall, Identifiers, Targets
from vern.kit.auth import Principal
from vern.kit.crypto import Vault
from vern.kit.logging import get_logger
from vern.kit.orgprofile import OrgProfile

log = get_logger(__name__)

Counts = dict[str, int]


def run_after_commit(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    request_id: uuid.UUID,
) -> None:
    """Commits the caller's work, then makes the request's due calls, so that the answer to the
    HTTP request shows what the stores did. A run that stops on an unexpected error is logged
    and left to redelivery: what the caller did is committed already."""
    session.commit()
    try:
        run_due(
            session=session,
            vault=vault,
            targets=targets,
            profile=profile,
            principal=principal,
            request_id=request_id,
        )
    except Exception as exc:
        session.rollback()
        log.error(
            "request task run stopped; redelivery makes what is left",
            data_request_id=str(request_id),
            error=type(exc).__name__,
        )
    session.expire_all()  # the caller reads what the run stored


def run_due(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    request_id: uuid.UUID,
) -> Counts:
    """Makes the request's calls whose time has come, each once, and the calls that become due
    as the tasks they depend on are done (consent and the vendor after the registry); returns
    counts of calls done (or handed to the vendor) and failed."""
    counts: Counts = {"delivered": 0, "failed": 0, "dropped": 0}
    tried: set[uuid.UUID] = set()
    identifiers: Identifiers | None = None
    while True:
        calls, identifiers = _claim(session, vault, targets, request_id, tried, identifiers)
        if not calls:
            return counts
        assert identifiers is not None
        for call in calls:
            tried.add(call.task_id)
            outcome = task_service.make_call(targets, call, identifiers, request_service.now())
            session.expire_all()  # recorded against what is stored now, not what was read
            recorded = request_service.record_call(
                session=session,
                vault=vault,
                targets=targets,
                profile=profile,
                principal=principal,
                call=call,
                outcome=outcome,
            )
            session.commit()
            if recorded:
                counts["failed" if outcome.status is TaskStatus.failed else "delivered"] += 1


def deliver_due(
    *,
    session: Session,
    vault: Vault,
    targets: Targets,
    profile: OrgProfile,
    principal: Principal,
    limit: int = 100,
) -> Counts:
    """Redelivery (the scheduler): the due calls of every request, failed calls after their
    backoff and calls left by a run that died; counts of calls done and failed."""
    request_ids = task_repository.requests_with_due_calls(
        session=session, now=request_service.now(), limit=limit
    )
    session.commit()
    counts: Counts = {"delivered": 0, "failed": 0, "dropped": 0}
    for request_id in request_ids:
        done = run_due(
            session=session,
            vault=vault,
            targets=targets,
            profile=profile,
            principal=principal,
            request_id=request_id,
        )
        for outcome, count in done.items():
            counts[outcome] += count
    return counts


def _claim(
    session: Session,
    vault: Vault,
    targets: Targets,
    request_id: uuid.UUID,
    tried: set[uuid.UUID],
    identifiers: Identifiers | None,
) -> tuple[list[ClaimedCall], Identifiers | None]:
    """Claims the request's due calls not yet tried in this run, in one short transaction."""
    session.expire_all()
    # The request is locked first, as on every path that writes its tasks (lock order).
    data_request = request_repository.get_for_update(session=session, request_id=request_id)
    if data_request is None:
        session.commit()
        return [], identifiers
    tasks = task_repository.for_request(session=session, request_id=request_id)
    now = request_service.now()
    calls: list[ClaimedCall] = []
    for task in task_service.due_calls(tasks, now):
        if task.id in tried:
            continue
        attempt = task_repository.claim(
            session=session, task_id=task.id, now=now, until=now + targets.lease
        )
        if attempt is not None:
            calls.append(task_service.claimed(vault, task, tasks, attempt))
    if calls and identifiers is None:
        identifiers = task_service.identifiers_of(vault, data_request)
    session.commit()
    return calls, identifiers
