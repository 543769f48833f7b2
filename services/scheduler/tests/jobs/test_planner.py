"""The plan: the sweep nightly at 02:00 in Oslo, outbox redelivery every minute, runs recorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from sqlmodel import Session, col, delete, select

from vern.kit.clock import OSLO
from vern.kit.testing.tokens import Tokens
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs import runner
from vern.scheduler.jobs.definitions import REGISTRY_RETENTION_SWEEP, plan
from vern.scheduler.runs.models import JobRun

from ..fakes import FakeRegistry

pytestmark = pytest.mark.anyio


async def test_the_jobs_are_planned_with_the_sweep_at_two_at_night_in_oslo(
    vern_app: FastAPI, auth: Tokens
) -> None:
    assert vern_app.state.settings.start_jobs
    async with vern_app.router.lifespan_context(vern_app):
        transport = httpx.ASGITransport(app=vern_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as http:
            response = await http.get("/scheduler/jobs", headers=auth.staff("dpo"))
    await asyncio.sleep(0)  # the scheduler shuts down on the event loop
    assert response.status_code == 200
    jobs = {job["id"]: job for job in response.json()}
    now = datetime.now(UTC)
    sweep = datetime.fromisoformat(jobs["registry-retention-sweep"]["next_run_at"])
    assert (sweep.astimezone(OSLO).hour, sweep.astimezone(OSLO).minute) == (2, 0)
    assert now < sweep <= now + timedelta(days=1)
    outbox = datetime.fromisoformat(jobs["registry-outbox"]["next_run_at"])
    assert now < outbox <= now + timedelta(seconds=60)
    assert jobs["registry-retention-sweep"]["schedule"] == "cron 0 2 * * * (Europe/Oslo)"


async def test_without_a_running_scheduler_no_next_run_is_claimed(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.get("/scheduler/jobs", headers=auth.staff("manager"))
    assert [job["next_run_at"] for job in response.json()] == [None, None]


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
    after: datetime, next_run: datetime
) -> None:
    trigger = plan(SchedulerSettings())[REGISTRY_RETENTION_SWEEP].trigger
    # Compared as instants: a wall time inside a DST gap never equals one in another zone.
    assert trigger.get_next_fire_time(None, after).astimezone(UTC) == next_run


def test_an_invalid_sweep_crontab_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError):
        SchedulerSettings(sweep_cron="every night at two")


def test_a_scheduled_run_is_recorded_with_its_trigger(
    vern_app: FastAPI, registry: FakeRegistry
) -> None:
    runner.activate(vern_app.state.runner)
    try:
        runner.run_scheduled(REGISTRY_RETENTION_SWEEP)
    finally:
        runner.activate(None)
    with Session(vern_app.state.engine) as session:
        run = session.exec(select(JobRun).where(JobRun.trigger == "schedule")).one()
        session.exec(delete(JobRun).where(col(JobRun.id) == run.id))  # type: ignore[call-overload]
        session.commit()
    assert (run.job_id, run.status, run.counts_json) == (
        REGISTRY_RETENTION_SWEEP,
        "ok",
        '{"contact_register": 3, "waitlist_entry": 1}',
    )
