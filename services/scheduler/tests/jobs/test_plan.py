"""The plan: what runs when over the next days, in Europe/Oslo, and when tasks are handed out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from vern.kit.clock import OSLO, today_oslo
from vern.kit.testing.tokens import Tokens
from vern.scheduler.jobs import service as job_service

from ..fakes import FakeServices

pytestmark = pytest.mark.anyio


async def test_the_plan_lists_each_nightly_sweep_at_two_oslo_time_for_each_day(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.get("/scheduler/plan", params={"days": 3}, headers=auth.staff("dpo"))
    assert response.status_code == 200, response.text
    plan = response.json()
    jobs = {job["job_id"]: job for job in plan["jobs"]}
    sweeps = [datetime.fromisoformat(t) for t in jobs["registry-retention-sweep"]["runs"]]
    assert len(sweeps) == 3
    assert {(t.hour, t.minute) for t in sweeps} == {(2, 0)}
    assert str(sweeps[0].utcoffset()) in ("1:00:00", "2:00:00")  # Oslo, winter or summer
    outbox = jobs["registry-outbox"]
    assert (len(outbox["runs"]), outbox["more_runs"]) == (20, True)
    assert plan["role"] == "off"


async def test_the_plan_says_when_each_outside_systems_task_is_handed_out_next(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    before = (await client.get("/scheduler/plan", headers=auth.staff("manager"))).json()
    sms = next(t for t in before["tasks"] if t["outside_system"] == "sms")
    assert (sms["every"], sms["next_hand_out_date"]) == ("every 1 month", today_oslo().isoformat())
    await client.post("/scheduler/jobs/outside-system-tasks/run", headers=auth.staff("manager"))
    after = (await client.get("/scheduler/plan", headers=auth.staff("manager"))).json()
    sms = next(t for t in after["tasks"] if t["outside_system"] == "sms")
    assert date.fromisoformat(sms["next_hand_out_date"]) > today_oslo()


def test_the_plan_lists_the_autumn_night_when_two_oclock_comes_twice_once_for_each(
    vern_app: FastAPI,
) -> None:
    start = datetime(2027, 10, 30, 12, 0, tzinfo=OSLO)
    planned = job_service.planned_runs(
        vern_app.state.jobs, start=start, until=start + timedelta(days=2)
    )
    sweeps = next(job for job in planned if job.job_id == "registry-retention-sweep")
    assert [t.astimezone(UTC) for t in sweeps.runs] == [
        datetime(2027, 10, 31, 0, 0, tzinfo=UTC),  # 02:00 summer time
        datetime(2027, 10, 31, 1, 0, tzinfo=UTC),  # 02:00 again, winter time
        datetime(2027, 11, 1, 1, 0, tzinfo=UTC),
    ]
    assert not sweeps.more_runs
