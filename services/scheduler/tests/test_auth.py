"""Who may call the scheduler: 401 without a valid token for it, 403 without the right."""

from __future__ import annotations

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from .fakes import FakeRegistry

pytestmark = pytest.mark.anyio

RUN = ("POST", "/scheduler/jobs/registry-outbox/run")
ENDPOINTS = [("GET", "/scheduler/runs"), ("GET", "/scheduler/jobs"), RUN]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_no_token_is_401(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_a_token_for_another_service_is_401(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    assert (await client.request(method, path, headers=auth.other_audience())).status_code == 401


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_staff_without_a_second_factor_is_403(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    headers = auth.staff("manager", second_factor=False)
    assert (await client.request(method, path, headers=headers)).status_code == 403


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("role", ["counsellor", "coordinator"])
async def test_counsellors_and_coordinators_are_403(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str, role: str
) -> None:
    assert (await client.request(method, path, headers=auth.staff(role))).status_code == 403


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_clients_are_403(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    headers = auth.client("15076500565")
    assert (await client.request(method, path, headers=headers)).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/scheduler/runs"), ("GET", "/scheduler/jobs")]
)
async def test_the_dpo_reads_runs_and_jobs(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    assert (await client.request(method, path, headers=auth.staff("dpo"))).status_code == 200


async def test_the_dpo_cannot_run_a_job(client: httpx.AsyncClient, auth: Tokens) -> None:
    assert (await client.request(*RUN, headers=auth.staff("dpo"))).status_code == 403


async def test_a_machine_needs_the_scheduler_scope_to_run_a_job(
    client: httpx.AsyncClient, auth: Tokens, registry: FakeRegistry
) -> None:
    refused = await client.request(*RUN, headers=auth.machine("registry:internal"))
    assert refused.status_code == 403
    assert registry.calls == []
    allowed = await client.request(*RUN, headers=auth.machine("scheduler"))
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/scheduler/runs"), ("GET", "/scheduler/jobs")]
)
async def test_machines_cannot_read_runs_or_jobs(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    headers = auth.machine("scheduler")
    assert (await client.request(method, path, headers=headers)).status_code == 403


async def test_job_ids_are_not_revealed_before_authentication(client: httpx.AsyncClient) -> None:
    response = await client.post("/scheduler/jobs/no-such-job/run")
    assert response.status_code == 401
