"""The record of runs: newest first, filtered by job and status, paginated."""

from __future__ import annotations

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from ..fakes import FakeServices

pytestmark = pytest.mark.anyio


async def test_runs_are_listed_newest_first_filtered_and_paginated(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    manager = auth.staff("manager")
    first = await client.post("/scheduler/jobs/registry-retention-sweep/run", headers=manager)
    second = await client.post("/scheduler/jobs/registry-outbox/run", headers=manager)
    services["consent"].fail_with = 500
    third = await client.post("/scheduler/jobs/consent-retention-sweep/run", headers=manager)
    ids = [r.json()["id"] for r in (first, second, third)]

    async def listed(**params: object) -> list[str]:
        response = await client.get("/scheduler/runs", params=params, headers=manager)
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()]

    assert await listed() == ids[::-1]
    assert await listed(limit=1) == [ids[2]]
    assert await listed(limit=1, offset=1) == [ids[1]]
    assert await listed(job_id="registry-retention-sweep") == [ids[0]]
    assert await listed(status="failed") == [ids[2]]


async def test_a_negative_offset_is_a_422_naming_the_field(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.get(
        "/scheduler/runs", params={"offset": -1}, headers=auth.staff("manager")
    )
    assert response.status_code == 422
    assert "offset" in response.text
