"""The schedule: sweeps nightly at 02:00 in Oslo (configurable), a missed sweep runs once when
the scheduler is back, and only the replica holding the lock fires jobs."""

from __future__ import annotations

import asyncio
import threading
import uuid
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy import text
from sqlmodel import Session, col, select

from vern.kit.clock import OSLO
from vern.kit.testing.tokens import Tokens
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs import planner, runner
from vern.scheduler.jobs.definitions import plan, sweep_job_id
from vern.scheduler.runs import service as run_service
from vern.scheduler.runs.models import JobRun, RunTrigger

from ..conftest import postgres_only
from ..fakes import FakeServices

pytestmark = pytest.mark.anyio

SWEEP = sweep_job_id("registry")


def _store(app: FastAPI) -> SQLAlchemyJobStore:
    """The job store alone, with no scheduler thread that could act on it."""
    store = SQLAlchemyJobStore(engine=app.state.engine)
    store.start(BackgroundScheduler(timezone=OSLO), "default")
    return store


@pytest.fixture
def empty_job_store(vern_app: FastAPI) -> Iterator[None]:
    _store(vern_app).remove_all_jobs()
    yield
    _store(vern_app).remove_all_jobs()


async def test_the_jobs_are_planned_with_the_sweep_at_two_at_night_in_oslo(
    vern_app: FastAPI, auth: Tokens, empty_job_store: None
) -> None:
    assert vern_app.state.settings.start_jobs
    async with vern_app.router.lifespan_context(vern_app):
        transport = httpx.ASGITransport(app=vern_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as http:
            response = await http.get("/scheduler/jobs", headers=auth.staff("dpo"))
            status = (await http.get("/scheduler/status")).json()
    await asyncio.sleep(0)  # the scheduler shuts down on the event loop
    assert status["role"] == "active"
    assert response.status_code == 200
    jobs = {job["id"]: job for job in response.json()}
    now = datetime.now(UTC)
    for service in ("registry", "consent"):
        sweep = datetime.fromisoformat(jobs[sweep_job_id(service)]["next_run_at"])
        assert (sweep.astimezone(OSLO).hour, sweep.astimezone(OSLO).minute) == (2, 0)
        assert now < sweep <= now + timedelta(days=1)
    outbox = datetime.fromisoformat(jobs["registry-outbox"]["next_run_at"])
    assert now < outbox <= now + timedelta(seconds=60)
    assert jobs[SWEEP]["schedule"] == "cron 0 2 * * * (Europe/Oslo)"


async def test_without_a_running_scheduler_no_next_run_is_claimed(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.get("/scheduler/jobs", headers=auth.staff("manager"))
    assert {job["next_run_at"] for job in response.json()} == {None}


async def test_a_sweep_missed_while_the_scheduler_was_down_runs_exactly_once_when_it_is_back(
    vern_app: FastAPI, services: FakeServices, empty_job_store: None, committed: None
) -> None:
    # The store as a scheduler left it three nights ago: three sweeps have been missed since.
    sweep = vern_app.state.jobs[SWEEP]
    store = _store(vern_app)
    store.add_job(
        Job(
            BackgroundScheduler(timezone=OSLO),  # never started: the job only needs a reference
            id=SWEEP,
            func=planner.RUN_SCHEDULED,
            trigger=sweep.trigger,
            executor="default",
            args=[SWEEP],
            kwargs={},
            name=sweep.description,
            **planner.JOB_DEFAULTS,  # as the planner stores every job
            next_run_time=datetime.now(OSLO) - timedelta(days=3),
        )
    )

    def sweeps() -> list[JobRun]:
        with Session(vern_app.state.engine) as session:
            return list(session.exec(select(JobRun).where(JobRun.job_id == SWEEP)).all())

    finished = threading.Event()  # set once the executor is done with everything it was handed
    async with vern_app.router.lifespan_context(vern_app):
        vern_app.state.scheduler.add_listener(
            lambda event: finished.set() if event.job_id == SWEEP else None,
            EVENT_JOB_EXECUTED | EVENT_JOB_ERROR,
        )
        for _ in range(400):
            if finished.is_set():
                break
            await asyncio.sleep(0.05)
        next_run = planner.next_run_at(vern_app, SWEEP)
    await asyncio.sleep(0)
    assert finished.is_set()
    runs = sweeps()
    assert [(run.trigger, run.status) for run in runs] == [("schedule", "ok")]
    assert [call[0] for call in services.calls].count("/registry/internal/retention/sweep") == 1
    # Nothing more is owed: the next sweep is tonight's, not another missed one.
    assert next_run is not None
    assert next_run > datetime.now(UTC)


@pytest.mark.parametrize(
    ("after", "next_run"),
    [
        (datetime(2026, 6, 1, 12, 0, tzinfo=OSLO), datetime(2026, 6, 2, 0, 0, tzinfo=UTC)),
        (datetime(2026, 1, 1, 1, 59, tzinfo=OSLO), datetime(2026, 1, 1, 1, 0, tzinfo=UTC)),
        # 29 March 2026 has no 02:00 in Oslo: the sweep runs at the jump from 02:00 to 03:00.
        (datetime(2026, 3, 28, 12, 0, tzinfo=OSLO), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ],
)
def test_the_sweep_trigger_fires_at_two_oslo_time_in_winter_summer_and_across_dst(
    vern_app: FastAPI, after: datetime, next_run: datetime
) -> None:
    trigger = plan(SchedulerSettings(), vern_app.state.profile)[SWEEP].trigger
    # Compared as instants: a wall time inside a DST gap never equals one in another zone.
    assert trigger.get_next_fire_time(None, after).astimezone(UTC) == next_run


def test_the_sweep_time_is_a_setting(vern_app: FastAPI) -> None:
    settings = SchedulerSettings(sweep_cron="30 3 * * *")
    trigger = plan(settings, vern_app.state.profile)[SWEEP].trigger
    fire = trigger.get_next_fire_time(None, datetime(2026, 6, 1, 12, 0, tzinfo=OSLO))
    assert fire == datetime(2026, 6, 2, 3, 30, tzinfo=OSLO)


def test_an_invalid_sweep_crontab_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError):
        SchedulerSettings(sweep_cron="every night at two")


def test_a_scheduled_run_is_recorded_with_its_trigger(
    vern_app: FastAPI, services: FakeServices, committed: None
) -> None:
    runner.activate(vern_app.state.runner)
    try:
        runner.run_scheduled(SWEEP)
    finally:
        runner.activate(None)
    with Session(vern_app.state.engine) as session:
        run = session.exec(select(JobRun).where(JobRun.trigger == "schedule")).one()
    assert (run.job_id, run.status, run.counts_json) == (
        SWEEP,
        "ok",
        '{"contact_register": 3, "waitlist_entry": 1}',
    )


def test_a_replica_without_the_lock_does_not_fire_a_scheduled_job(
    vern_app: FastAPI, services: FakeServices, committed: None
) -> None:
    vern_app.state.runner.may_fire = lambda: False
    runner.activate(vern_app.state.runner)
    try:
        runner.run_scheduled(SWEEP)
    finally:
        runner.activate(None)
    assert services.calls == []
    with Session(vern_app.state.engine) as session:
        assert session.exec(select(JobRun)).all() == []


def _runs_of(app: FastAPI, job_id: str) -> list[JobRun]:
    with Session(app.state.engine) as session:
        query = select(JobRun).where(JobRun.job_id == job_id).order_by(col(JobRun.started_at))
        return list(session.exec(query).all())


def _left_running(app: FastAPI, job_id: str, started_at: datetime) -> uuid.UUID:
    """A run as a scheduler killed during it leaves it: on record as running, with no end."""
    run_id = uuid.uuid4()
    with Session(app.state.engine) as session:
        run_service.start(
            session=session, run_id=run_id, job_id=job_id, service="registry",
            trigger=RunTrigger.schedule, started_at=started_at,
        )  # fmt: skip
        session.commit()
    return run_id


def test_a_scheduled_run_is_on_record_as_running_while_its_job_runs(
    vern_app: FastAPI, services: FakeServices, committed: None
) -> None:
    seen: list[tuple[str, datetime | None]] = []
    services.during_call = lambda: seen.extend(
        (run.status, run.finished_at) for run in _runs_of(vern_app, SWEEP)
    )
    runner.activate(vern_app.state.runner)
    try:
        runner.run_scheduled(SWEEP)
    finally:
        runner.activate(None)
    assert seen == [("running", None)]
    [run] = _runs_of(vern_app, SWEEP)
    assert (run.status, run.trigger) == ("ok", "schedule")
    assert run.finished_at is not None


def test_a_scheduled_run_marks_a_run_of_its_job_left_running_as_interrupted(
    vern_app: FastAPI, services: FakeServices, committed: None
) -> None:
    orphan = _left_running(vern_app, SWEEP, datetime.now(UTC) - timedelta(days=1))
    runner.activate(vern_app.state.runner)
    try:
        runner.run_scheduled(SWEEP)
    finally:
        runner.activate(None)
    runs = _runs_of(vern_app, SWEEP)
    assert [(run.id == orphan, run.status) for run in runs] == [
        (True, "interrupted"),
        (False, "ok"),
    ]
    assert runs[0].finished_at is not None


async def test_a_run_left_running_is_marked_interrupted_and_run_again_once_when_a_scheduler_starts(
    vern_app: FastAPI, services: FakeServices, empty_job_store: None, committed: None
) -> None:
    orphan = _left_running(vern_app, SWEEP, datetime.now(UTC) - timedelta(minutes=5))
    finished = threading.Event()
    async with vern_app.router.lifespan_context(vern_app):
        vern_app.state.scheduler.add_listener(
            lambda event: finished.set() if event.job_id == SWEEP else None,
            EVENT_JOB_EXECUTED | EVENT_JOB_ERROR,
        )
        for _ in range(400):
            if finished.is_set():
                break
            await asyncio.sleep(0.05)
        next_run = planner.next_run_at(vern_app, SWEEP)
    await asyncio.sleep(0)
    assert finished.is_set()
    runs = _runs_of(vern_app, SWEEP)
    assert [(run.id == orphan, run.status) for run in runs] == [
        (True, "interrupted"),
        (False, "ok"),
    ]
    assert [call[0] for call in services.calls].count("/registry/internal/retention/sweep") == 1
    # The run again is once: the sweep then keeps to its plan (tonight at 02:00).
    assert next_run is not None
    assert next_run > datetime.now(UTC)
    assert next_run.astimezone(OSLO).hour == 2


@postgres_only
def test_a_run_under_way_on_another_replica_is_not_taken_for_interrupted(
    vern_app: FastAPI, committed: None
) -> None:
    running = _left_running(vern_app, SWEEP, datetime.now(UTC))
    key = {"space": runner._JOB_LOCK_SPACE, "job": zlib.crc32(SWEEP.encode()) - 2**31}
    job_runner: runner.JobRunner = vern_app.state.runner
    with vern_app.state.engine.connect() as other_replica:
        other_replica.execute(text("SELECT pg_advisory_lock(:space, :job)"), key)
        try:
            assert job_runner.interrupt_orphans() == []
        finally:
            other_replica.execute(text("SELECT pg_advisory_unlock(:space, :job)"), key)
    assert [(run.id, run.status) for run in _runs_of(vern_app, SWEEP)] == [(running, "running")]
    # Once that replica is gone (its lock with it), the run is an orphan.
    assert job_runner.interrupt_orphans() == [SWEEP]
    assert [run.status for run in _runs_of(vern_app, SWEEP)] == ["interrupted"]
