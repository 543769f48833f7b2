"""Who may call the scheduler (DESIGN.md section 2): the manager and the DPO read runs, the plan,
tasks and the retention preview; only the manager (or a machine with the `scheduler` scope)
runs a job by hand. 401 without a valid token for this service, 403 without a second factor."""

from __future__ import annotations

import uuid

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from .fakes import FakeServices

pytestmark = pytest.mark.anyio

RUN = ("POST", "/scheduler/jobs/registry-outbox/run")
DONE = ("POST", f"/scheduler/tasks/{uuid.uuid4()}/done")
READS = [
    ("GET", "/scheduler/runs"),
    ("GET", "/scheduler/jobs"),
    ("GET", "/scheduler/plan"),
    ("GET", "/scheduler/tasks"),
    ("GET", "/scheduler/retention/preview"),
]
ENDPOINTS = [*READS, RUN, DONE]
ROLES = ["counsellor", "coordinator", "manager", "dpo"]
# Who gets past authorisation: a run by hand answers 200, an unknown task 404.
ALLOWED = {
    **{endpoint: {"manager", "dpo"} for endpoint in READS},
    RUN: {"manager"},
    DONE: {"counsellor", "coordinator", "manager", "dpo"},  # then: the task's owner role only
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_each_role_gets_exactly_what_need_to_know_allows(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: FakeServices,
    method: str,
    path: str,
    role: str,
) -> None:
    response = await client.request(method, path, headers=auth.staff(role))
    if role in ALLOWED[(method, path)]:
        assert response.status_code in (200, 404), response.text
        if response.status_code == 404:
            assert (method, path) == DONE
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"


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
    response = await client.request(method, path, headers=headers)
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_clients_are_403(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    headers = auth.client("15076500565")
    assert (await client.request(method, path, headers=headers)).status_code == 403


async def test_a_machine_needs_the_scheduler_scope_to_run_a_job(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    refused = await client.request(*RUN, headers=auth.machine("registry:internal"))
    assert refused.status_code == 403
    assert services.calls == []
    allowed = await client.request(*RUN, headers=auth.machine("scheduler"))
    assert allowed.status_code == 200


@pytest.mark.parametrize(("method", "path"), [*READS, DONE])
async def test_machines_cannot_read_or_close_tasks(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    headers = auth.machine("scheduler")
    assert (await client.request(method, path, headers=headers)).status_code == 403


async def test_ids_are_not_revealed_before_authentication(client: httpx.AsyncClient) -> None:
    assert (await client.post("/scheduler/jobs/no-such-job/run")).status_code == 401
    assert (await client.post(f"/scheduler/tasks/{uuid.uuid4()}/done")).status_code == 401


@pytest.mark.parametrize("path", ["/scheduler/status", "/scheduler/metrics"])
async def test_status_and_metrics_are_open_like_health(
    client: httpx.AsyncClient, path: str
) -> None:
    assert (await client.get(path)).status_code == 200
