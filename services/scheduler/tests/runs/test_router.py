"""The record of runs: newest first, limited."""

from __future__ import annotations

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from ..fakes import FakeRegistry

pytestmark = pytest.mark.anyio


async def test_runs_are_listed_newest_first_and_limited(
    client: httpx.AsyncClient, auth: Tokens, registry: FakeRegistry
) -> None:
    manager = auth.staff("manager")
    first = await client.post("/scheduler/jobs/registry-retention-sweep/run", headers=manager)
    second = await client.post("/scheduler/jobs/registry-outbox/run", headers=manager)
    runs = (await client.get("/scheduler/runs", headers=manager)).json()
    assert [r["id"] for r in runs] == [second.json()["id"], first.json()["id"]]
    limited = await client.get("/scheduler/runs", params={"limit": 1}, headers=manager)
    assert [r["id"] for r in limited.json()] == [second.json()["id"]]
    one_job = await client.get(
        "/scheduler/runs", params={"job_id": "registry-retention-sweep"}, headers=manager
    )
    assert [r["id"] for r in one_job.json()] == [first.json()["id"]]
