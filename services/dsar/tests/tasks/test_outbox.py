"""dsar calls the stores only after its own commit: a request and its tasks are stored before any
store is called, no transaction is open in dsar while a store answers, and a dsar that dies
between its commit and a call, or between a store's answer and its record, loses nothing and
does nothing twice."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from vern.dsar.requests import repository as request_repository
from vern.dsar.requests import service as request_service
from vern.dsar.requests.models import DataRequest
from vern.dsar.requests.orchestration import CallFailed
from vern.dsar.tasks import runner as task_runner
from vern.dsar.tasks.models import CallErrorKind, RequestTask, TaskKind, TaskOperation, TaskStatus
from vern.dsar.tasks.service import (
    CLAIM_LEASE,
    CallOutcome,
    ClaimedCall,
    Targets,
    record,
    retry,
)
from vern.kit.auth import Principal
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import SOLVEIG
from ..fakes import Peers
from ..requests.conftest import STAFF_BODY, Clock, file_request, finish_tasks, move
from .test_orchestration import (
    HANDLER,
    REGISTRY_ID,
    SECOND,
    approved_erasure,
    by_target,
    hold_solveig,
)

pytestmark = pytest.mark.anyio


def _count_open_transactions(services: Peers, session: Session) -> list[bool]:
    """Notes, at every call a store receives, whether dsar's session has a transaction open."""
    seen: list[bool] = []
    for store in (services.registry, services.consent):
        answer = store.handle

        def noting(request: httpx.Request, answer: Any = answer) -> httpx.Response:
            seen.append(session.in_transaction())
            response: httpx.Response = answer(request)
            return response

        store.handle = noting  # type: ignore[method-assign]
    return seen


async def test_no_transaction_is_open_in_dsar_while_a_store_answers(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    nokbergen: OrgProfile,
    db_session: Session,
) -> None:
    hold_solveig(services)
    services.consent.fail_with = 503
    seen = _count_open_transactions(services, db_session)
    created = await file_request(client, auth.client(SOLVEIG["national_id"]), type="erasure")
    assert by_target(created)["consent"]["status"] == "failed"
    services.consent.fail_with = None
    retried = await client.post(
        f"/dsar/requests/{created['id']}/tasks/retry", headers=auth.staff("manager")
    )
    assert by_target(retried.json())["consent"]["status"] == "done"
    assert len(seen) >= 4  # registry search and erase, consent's calls on both runs
    assert not any(seen)


async def test_a_request_whose_dsar_dies_after_its_commit_is_completed_by_redelivery(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    nokbergen: OrgProfile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nok. Bergen grants erasure at once: the request and its tasks are committed, then dsar
    stops before its first call. Nothing was erased yet, and the scheduler's redelivery
    carries the erasure out."""
    hold_solveig(services)

    def dies(**_: Any) -> dict[str, int]:
        raise SystemError("dsar stopped")

    monkeypatch.setattr(task_runner, "run_due", dies)
    created = await file_request(client, auth.client(SOLVEIG["national_id"]), type="erasure")
    monkeypatch.undo()
    assert created["status"] == "approved"
    tasks = by_target(created)
    assert (tasks["registry"]["status"], tasks["consent"]["status"]) == ("pending", "pending")
    assert services.registry.calls == services.consent.calls == []
    scheduler = auth.machine("dsar:internal", client_id="vern-scheduler")
    delivered = await client.post("/dsar/internal/outbox/deliver", headers=scheduler)
    assert delivered.json() == {"delivered": 2, "failed": 0, "dropped": 0}
    assert services.registry.subjects == {}
    done = await finish_tasks(client, created["id"], auth.staff("manager"))
    assert (done["status"], done["identifiers_shredded"]) == ("completed", True)
    assert len(services.registry.bodies("/subjects/erase")) == 1
    assert len(services.consent.bodies("/subjects/erase")) == 1


async def test_a_call_answered_but_never_recorded_is_made_again_after_its_lease_and_done_once(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The registry erases, then dsar dies before recording its answer. The task stays claimed
    until its lease (a minute or so) runs out; redelivery then asks again, the registry answers with the receipt
    it gave the first time, and consent and the journal vendor are each told once."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock.set(start)
    hold_solveig(services)
    record = request_service.record_call

    def dies_before_recording(**kwargs: Any) -> bool:
        raise SystemError("dsar stopped")

    monkeypatch.setattr(request_service, "record_call", dies_before_recording)
    approved = await approved_erasure(client, auth)
    monkeypatch.setattr(request_service, "record_call", record)
    registry = by_target(approved)["registry"]
    assert (registry["status"], registry["attempts"]) == ("pending", 1)
    assert REGISTRY_ID not in services.registry.subjects  # erased, the answer lost
    assert services.consent.calls == []
    scheduler = auth.machine("dsar:internal", client_id="vern-scheduler")
    during_lease = await client.post("/dsar/internal/outbox/deliver", headers=scheduler)
    assert during_lease.json()["delivered"] == 0
    clock.set(start + timedelta(hours=1))  # past any lease
    delivered = await client.post("/dsar/internal/outbox/deliver", headers=scheduler)
    assert delivered.json() == {"delivered": 3, "failed": 0, "dropped": 0}
    read = await client.get(f"/dsar/requests/{approved['id']}", headers=auth.staff("dpo"))
    tasks = by_target(read.json())
    assert (tasks["registry"]["status"], tasks["registry"]["attempts"]) == ("done", 2)
    first, again = services.registry.bodies("/subjects/erase")
    assert first["request_id"] == again["request_id"] == approved["id"]
    assert services.registry.receipts[approved["id"]].erased[0].subject_id == REGISTRY_ID
    assert len(services.consent.bodies("/subjects/erase")) == 1
    assert services.vendor is not None
    assert [e["data"]["client_ids"] for e in services.vendor.events] == [[REGISTRY_ID]]
    assert tasks["aspit_journal"]["status"] == "awaiting_vendor"


def test_an_answer_is_recorded_only_for_the_attempt_that_holds_the_task(
    vern_app: FastAPI,
) -> None:
    """A call claimed again (a retry on request, or a lease run out) while an earlier attempt
    was still under way: the earlier attempt's late answer is not recorded over the later one,
    nor on a task done meanwhile."""
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    task = RequestTask(
        request_id=uuid.uuid4(),
        target="consent",
        kind=TaskKind.service,
        operation=TaskOperation.erase,
        status=TaskStatus.pending,
        created_at=now,
        attempts=2,
        next_attempt_at=now + CLAIM_LEASE,
    )

    def call(attempt: int) -> ClaimedCall:
        return ClaimedCall(
            task_id=task.id,
            request_id=task.request_id,
            target=task.target,
            kind=task.kind,
            operation=task.operation,
            attempt=attempt,
            found_before=[],
        )

    vault = vern_app.state.vault
    vault.create_subject_key(str(task.request_id))
    timed_out = CallFailed("consent subjects/search: ReadTimeout", CallErrorKind.timeout)
    late = CallOutcome(status=TaskStatus.failed, failure=timed_out)
    assert not record(vault, task, call(1), late, now)
    assert (task.status, task.last_error) == (TaskStatus.pending, None)
    answered = CallOutcome(status=TaskStatus.done, result={"subject_ids": []})
    assert record(vault, task, call(2), answered, now)
    assert task.status is TaskStatus.done
    assert not record(vault, task, call(2), late, now)
    assert task.status is TaskStatus.done


def _stored(engine: Engine) -> dict[str, list[str]]:
    """What another connection sees of dsar's requests: each one's tasks by target."""
    with Session(engine) as session:
        tasks = session.exec(select(RequestTask).order_by(col(RequestTask.target))).all()
        found: dict[str, list[str]] = {}
        for task in tasks:
            found.setdefault(str(task.request_id), []).append(task.target)
        return found


async def test_a_new_request_and_its_tasks_are_committed_before_a_store_is_called(
    committed: httpx.AsyncClient,
    vern_app: FastAPI,
    auth: Tokens,
    services: Peers,
    nokbergen: OrgProfile,
) -> None:
    hold_solveig(services)
    seen: list[dict[str, list[str]]] = []
    answer = services.registry.handle

    def looking(request: httpx.Request) -> httpx.Response:
        seen.append(_stored(vern_app.state.engine))
        return answer(request)

    services.registry.handle = looking  # type: ignore[method-assign]
    created = await file_request(committed, auth.client(SOLVEIG["national_id"]), type="erasure")
    assert seen  # the registry was called during the request
    planned = sorted(task["target"] for task in created["tasks"])
    assert all(stored == {created["id"]: planned} for stored in seen)
    assert by_target(created)["registry"]["status"] == "done"


async def test_a_store_answering_slowly_does_not_hold_up_another_request(
    committed: httpx.AsyncClient,
    vern_app: FastAPI,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
) -> None:
    """An approval's erase call hangs in the registry; meanwhile another request is stored in
    dsar (on SQLite: dsar's write lock is free while the store answers)."""
    hold_solveig(services)

    async def file_another(client: httpx.AsyncClient, request_id: str) -> httpx.Response:
        letter = {"type": "access", "channel": "letter_email", "email": "kari@example.org"}
        return await client.post("/dsar/requests", json=letter, headers=auth.staff("manager"))

    approval, other, still_hanging = await _while_the_registry_erases(
        committed, auth, services, file_another
    )
    assert other.status_code == 201, other.text
    assert still_hanging
    assert approval.status_code == 200
    assert by_target(approval.json())["registry"]["status"] == "done"


During = Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]


async def _while_the_registry_erases(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, during: During
) -> tuple[httpx.Response, httpx.Response, bool]:
    """A Tryggere erasure approved while the registry's first erase call hangs: `during` runs
    once the approval's run has claimed that call and waits for its answer, which comes after.
    The approval's answer, what `during` got, and whether the approval was still waiting."""
    entered, release = threading.Event(), threading.Event()
    answer = services.registry.handle

    def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/subjects/erase") and not entered.is_set():
            entered.set()
            release.wait(timeout=60)  # only so that a failing test ends
        return answer(request)

    services.registry.handle = slow  # type: ignore[method-assign]
    created = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    handler, second = auth.staff("manager", sub=HANDLER), auth.staff("dpo", sub=SECOND)
    for status in ("in_progress", "awaiting_approval"):
        assert (await move(client, created["id"], handler, status)).status_code == 200
    approval: list[httpx.Response] = []

    async def approve() -> None:
        approval.append(await move(client, created["id"], second, "approved"))

    async with anyio.create_task_group() as group:
        group.start_soon(approve)
        assert await anyio.to_thread.run_sync(entered.wait, 60)
        try:
            meanwhile = await during(client, created["id"])
            still_waiting = not approval
        finally:
            release.set()
    return approval[0], meanwhile, still_waiting


async def test_two_runs_at_once_make_each_call_once(
    committed: httpx.AsyncClient,
    vern_app: FastAPI,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two runs (say the request's own and the scheduler's on another replica) claim the same
    approved erasure's calls at once: each store is asked once."""
    hold_solveig(services)
    run_due = task_runner.run_due
    monkeypatch.setattr(task_runner, "run_due", lambda **_: {})  # the approval makes no call
    created = await file_request(committed, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    handler, second = auth.staff("manager", sub=HANDLER), auth.staff("dpo", sub=SECOND)
    for headers, status in [
        (handler, "in_progress"),
        (handler, "awaiting_approval"),
        (second, "approved"),
    ]:
        moved = await move(committed, created["id"], headers, status)
        assert moved.status_code == 200
    monkeypatch.setattr(task_runner, "run_due", run_due)
    engine: Engine = vern_app.state.engine
    if engine.dialect.name == "postgresql":
        # Both runs ask for the request's lock to claim its due calls at once (SQLite has one
        # writer at a time: there the second run starts once the first has claimed).
        both_ask = threading.Barrier(2)
        first = threading.local()
        lock = request_repository.get_for_update

        def lock_together(**kwargs: Any) -> DataRequest | None:
            if not getattr(first, "asked", False):  # each run's first lock is its claim's
                first.asked = True
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_ask.wait(timeout=30)
            return lock(**kwargs)

        monkeypatch.setattr(request_repository, "get_for_update", lock_together)
    scheduler = Principal(subject="vern-scheduler", kind="machine", issuer="test")
    state = vern_app.state
    targets = Targets(
        services=state.peers, vendor=state.journal_vendor, signer=state.receipt_signer
    )

    def one_run() -> dict[str, int]:
        with Session(engine, expire_on_commit=False) as session:
            return task_runner.run_due(
                session=session,
                vault=state.vault,
                targets=targets,
                profile=tryggere,
                principal=scheduler,
                request_id=uuid.UUID(created["id"]),
            )

    results: list[dict[str, int]] = []
    async with anyio.create_task_group() as group:
        for _ in range(2):
            group.start_soon(lambda: _append(results, anyio.to_thread.run_sync(one_run)))
    assert sum(result["delivered"] for result in results) == 3  # registry, consent, vendor
    assert len(services.registry.bodies("/subjects/search")) == 1
    assert len(services.registry.bodies("/subjects/erase")) == 1
    assert len(services.consent.bodies("/subjects/erase")) == 1
    assert services.vendor is not None
    assert len(services.vendor.webhook_ids) == 1


async def _append(results: list[dict[str, int]], run: Any) -> None:
    results.append(await run)


async def test_a_retry_leaves_a_call_another_run_is_making_to_that_run(
    committed: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
) -> None:
    """The approval's run has claimed the registry's erasure and waits for its answer when a
    manager asks for a retry: the retry does not make that call a second time; the approval's
    run records it."""
    hold_solveig(services)

    async def retry(client: httpx.AsyncClient, request_id: str) -> httpx.Response:
        return await client.post(
            f"/dsar/requests/{request_id}/tasks/retry", headers=auth.staff("manager")
        )

    approval, retried, _ = await _while_the_registry_erases(committed, auth, services, retry)
    assert retried.status_code == 200, retried.text
    during = by_target(retried.json())["registry"]
    assert (during["status"], during["attempts"]) == ("pending", 1)
    assert approval.status_code == 200, approval.text
    registry = by_target(approval.json())["registry"]
    assert (registry["status"], registry["attempts"]) == ("done", 1)
    assert len(services.registry.bodies("/subjects/erase")) == 1


def test_a_retry_makes_due_the_calls_no_run_holds() -> None:
    """Failed and waiting calls are due at once; a claimed call only once its lease has run out
    (its run died); a done task and a manual task are left as they are."""
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    request_id = uuid.uuid4()

    def task(target: str, status: TaskStatus, **fields: Any) -> RequestTask:
        return RequestTask(
            request_id=request_id,
            target=target,
            kind=fields.pop("kind", TaskKind.service),
            operation=TaskOperation.erase,
            status=status,
            created_at=now,
            **fields,
        )

    failed = task("registry", TaskStatus.failed, next_attempt_at=now + timedelta(minutes=8))
    claimed = task(
        "consent",
        TaskStatus.pending,
        attempts=1,
        next_attempt_at=now + CLAIM_LEASE,
        claimed_until=now + CLAIM_LEASE,
    )
    abandoned = task(
        "aspit_journal",
        TaskStatus.failed,
        kind=TaskKind.vendor,
        attempts=2,
        next_attempt_at=now - timedelta(seconds=1),
        claimed_until=now - timedelta(seconds=1),
    )
    done = task("other", TaskStatus.done)
    manual = task("paper_archive", TaskStatus.pending, kind=TaskKind.manual)
    due = retry(tasks=[failed, claimed, abandoned, done, manual], now=now)
    assert due == [failed, abandoned]
    assert failed.next_attempt_at == abandoned.next_attempt_at == now
    assert claimed.next_attempt_at == now + CLAIM_LEASE
    assert (done.next_attempt_at, manual.next_attempt_at) == (None, None)
