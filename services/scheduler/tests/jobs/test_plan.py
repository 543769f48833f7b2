"""The plan: what runs when over the next days, in Europe/Oslo, and when tasks are handed out."""

from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest

from vern.kit.clock import today_oslo
from vern.kit.testing.tokens import Tokens

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
