"""Who may call the dsar service: 401 without a valid token for it, 403 without the right."""

from __future__ import annotations

import uuid

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, SOLVEIG
from ..fakes import Peers

pytestmark = pytest.mark.anyio

SOME_ID = uuid.uuid4()
ENDPOINTS = [
    ("POST", "/dsar/requests"),
    ("GET", "/dsar/requests"),
    ("GET", f"/dsar/requests/{SOME_ID}"),
    ("GET", f"/dsar/requests/{SOME_ID}/package"),
]
BODY = {**SOLVEIG, "type": "access", "identity_verification": "Kjent fra før"}


async def call(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    body = BODY if method == "POST" else None
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_no_token_is_401(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await call(client, method, path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_a_token_for_another_service_is_401(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    response = await call(client, method, path, auth.other_audience())
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_staff_without_a_second_factor_is_403(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    response = await call(client, method, path, auth.staff("manager", second_factor=False))
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_a_client_below_bankid_high_is_403(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    response = await call(client, method, path, auth.client(SOLVEIG["national_id"], acr="low"))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_machines_are_403(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    response = await call(client, method, path, auth.machine())
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["counsellor", "coordinator"])
async def test_staff_other_than_managers_and_the_dpo_cannot_read_a_package(
    client: httpx.AsyncClient, auth: Tokens, services: Peers, role: str
) -> None:
    filed = await client.post("/dsar/requests", json=BODY, headers=auth.staff("manager"))
    response = await client.get(
        f"/dsar/requests/{filed.json()['id']}/package", headers=auth.staff(role, sub=COUNSELLOR)
    )
    assert response.status_code == 403
    assert SOLVEIG["national_id"] not in response.text


async def test_an_unknown_request_is_404(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.get(f"/dsar/requests/{SOME_ID}", headers=auth.staff("dpo"))
    assert response.status_code == 404
