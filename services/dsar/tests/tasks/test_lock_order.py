"""Every transaction that writes a request's tasks locks the request's row first (the runner's
claims and records, staff marking a manual task done, the journal vendor's answer, a retry on
request), so that two of them never wait for each other's rows in the other order: on
PostgreSQL that is a deadlock, and one of the two is rolled back. SQLite has one writer at a
time, so these tests run on PostgreSQL only."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from vern.dsar.requests import service as request_service
from vern.dsar.tasks import repository as task_repository
from vern.dsar.tasks.models import TaskKind, TaskOperation, TaskStatus
from vern.dsar.tasks.service import CallOutcome, ClaimedCall, Targets
from vern.kit.auth import Principal
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..fakes import Peers
from ..requests.conftest import VENDOR_ANSWER, finish_tasks
from .test_orchestration import approved_erasure, by_target, hold_solveig

pytestmark = pytest.mark.anyio

SCHEDULER = Principal(subject="vern-scheduler", kind="machine", issuer="test")


@pytest.fixture
def engine(vern_app: FastAPI) -> Engine:
    engine: Engine = vern_app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks and their order are PostgreSQL's (SQLite has one writer)")
    return engine


def _targets(app: FastAPI) -> Targets:
    state = app.state
    return Targets(services=state.peers, vendor=state.journal_vendor, signer=state.receipt_signer)


def _someone_waits_for_a_lock(engine: Engine, timeout: float = 20.0) -> bool:
    """Whether, within `timeout`, some transaction waits for a lock another one holds."""
    deadline = time.monotonic() + timeout
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
            if waiting.scalar_one():
                return True
            time.sleep(0.02)
    return False


async def test_the_vendor_answering_while_its_call_is_recorded_does_not_deadlock(
    committed: httpx.AsyncClient,
    vern_app: FastAPI,
    engine: Engine,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
) -> None:
    """The vendor may answer its webhook before the run that sent it has recorded the call.
    The answer writes the vendor's task; the run's record, holding the request's lock, waits
    for that task; if the answer then asked for the request's lock, each would wait for the
    other. Interleaved so: the answer has written the task when the record starts, and goes on
    once the record waits for a lock."""
    hold_solveig(services)
    assert services.vendor is not None
    services.vendor.fail_with = 503  # the webhook fails: the vendor's task waits for a retry
    approved = await approved_erasure(committed, auth)
    services.vendor.fail_with = None
    task = by_target(approved)["aspit_journal"]
    assert task["status"] == "failed"
    task_id, request_id = uuid.UUID(task["id"]), uuid.UUID(approved["id"])
    later = request_service.now() + timedelta(hours=2)  # past the webhook's backoff
    with Session(engine) as session:  # the run's claim (its call is made: the vendor was told)
        attempt = task_repository.claim(
            session=session, task_id=task_id, now=later, until=later + timedelta(minutes=1)
        )
        session.commit()
    assert attempt is not None
    call = ClaimedCall(
        task_id=task_id,
        request_id=request_id,
        target="aspit_journal",
        kind=TaskKind.vendor,
        operation=TaskOperation.erase,
        attempt=attempt,
        found_before=[],
    )

    answer_wrote_task, record_waited = threading.Event(), threading.Event()
    recording = threading.local()
    recorded: list[bool] = []
    errors: list[BaseException] = []

    def record() -> None:
        recording.active = True
        assert answer_wrote_task.wait(timeout=30)
        try:
            with Session(engine, expire_on_commit=False) as session:
                recorded.append(
                    request_service.record_call(
                        session=session,
                        vault=vern_app.state.vault,
                        targets=_targets(vern_app),
                        profile=tryggere,
                        principal=SCHEDULER,
                        call=call,
                        outcome=CallOutcome(status=TaskStatus.awaiting_vendor),
                    )
                )
                session.commit()
        except BaseException as exc:
            errors.append(exc)

    def after_execute(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if (
            statement.startswith("UPDATE request_task")
            and not getattr(recording, "active", False)
            and not answer_wrote_task.is_set()
        ):
            answer_wrote_task.set()
            if _someone_waits_for_a_lock(engine):
                record_waited.set()

    recorder = threading.Thread(target=record)
    recorder.start()
    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        vendor = auth.machine("journal", client_id="journal-vendor")
        answer = await committed.post(
            f"/dsar/vendor/tasks/{task_id}/result", json=VENDOR_ANSWER, headers=vendor
        )
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)
        answer_wrote_task.set()
        recorder.join(timeout=60)
    assert record_waited.is_set()  # the two did meet
    assert answer.status_code == 204, answer.text
    assert errors == []
    assert recorded == [False]  # the vendor's answer came first: the task is done
    read = await committed.get(f"/dsar/requests/{request_id}", headers=auth.staff("dpo"))
    assert by_target(read.json())["aspit_journal"]["status"] == "done"


class Statements:
    """The statements each transaction on the engine runs, in order."""

    def __init__(self) -> None:
        self.transactions: list[list[str]] = []
        self._open: dict[int, list[str]] = {}
        self._lock = threading.Lock()

    def executed(self, connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        with self._lock:
            self._open.setdefault(id(connection), []).append(statement)

    def ended(self, connection: Any) -> None:
        with self._lock:
            statements = self._open.pop(id(connection), None)
            if statements:
                self.transactions.append(statements)

    def writing_tasks(self) -> list[list[str]]:
        return [t for t in self.transactions if any(s.startswith("UPDATE request_task") for s in t)]


@pytest.fixture
def statements(engine: Engine) -> Iterator[Statements]:
    seen = Statements()
    listeners = [
        ("after_cursor_execute", seen.executed),
        ("commit", seen.ended),
        ("rollback", seen.ended),
    ]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    yield seen
    for name, listener in listeners:
        event.remove(engine, name, listener)


def _locks_request_first(transaction: list[str]) -> bool:
    def is_request_lock(s: str) -> bool:
        return "FROM data_request" in s and s.rstrip().endswith("FOR UPDATE")

    first_write = next(i for i, s in enumerate(transaction) if s.startswith("UPDATE request_task"))
    return any(is_request_lock(s) for s in transaction[:first_write])


async def test_every_path_writing_a_task_locks_the_request_first(
    committed: httpx.AsyncClient,
    vern_app: FastAPI,
    engine: Engine,
    statements: Statements,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
) -> None:
    """An approval with its calls (claims and records), a failed call retried on request, the
    vendor's answer, and staff marking each manual task done."""
    hold_solveig(services)
    services.consent.fail_with = 503
    approved = await approved_erasure(committed, auth)
    assert by_target(approved)["consent"]["status"] == "failed"
    services.consent.fail_with = None
    manager = auth.staff("manager")
    retried = await committed.post(f"/dsar/requests/{approved['id']}/tasks/retry", headers=manager)
    assert by_target(retried.json())["consent"]["status"] == "done"
    vendor = auth.machine("journal", client_id="journal-vendor")
    done = await finish_tasks(committed, approved["id"], manager, vendor)
    assert done["status"] == "completed"

    writing = statements.writing_tasks()
    manual = [t for t in approved["tasks"] if t["kind"] == "manual"]
    # the claims and records of three calls, the retry's claim and record, the vendor's
    # answer, each manual task
    assert len(writing) >= 2 * 3 + 2 + 1 + len(manual)
    assert [t for t in writing if not _locks_request_first(t)] == []


def test_the_check_sees_a_task_written_before_its_request_is_locked() -> None:
    task_first = [
        "SELECT request_task.id FROM request_task WHERE request_task.id = %(pk_1)s::UUID",
        "UPDATE request_task SET status=%(status)s WHERE request_task.id = %(id_1)s::UUID",
        "SELECT data_request.id FROM data_request WHERE data_request.id = %(id_1)s FOR UPDATE",
    ]
    assert not _locks_request_first(task_first)
    assert _locks_request_first([task_first[2], *task_first[:2]])
