"""Who may use the breach register: managers and the DPO handle breaches, any staff member may
report one and see what they reported, clients and machines may not, and every call needs a
valid token for dsar with a second factor."""

from __future__ import annotations

import uuid

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from .conftest import create_breach, report

pytestmark = pytest.mark.anyio

SOME_ID = uuid.uuid4()
ENDPOINTS = [
    ("POST", "/dsar/breaches"),
    ("GET", "/dsar/breaches"),
    ("GET", f"/dsar/breaches/{SOME_ID}"),
    ("PATCH", f"/dsar/breaches/{SOME_ID}"),
    ("GET", f"/dsar/breaches/{SOME_ID}/timeline"),
    ("GET", f"/dsar/breaches/{SOME_ID}/notification"),
    ("GET", f"/dsar/breaches/{SOME_ID}/notification.html"),
]
REPORTERS = ["counsellor", "coordinator"]
HANDLERS = ["manager", "dpo"]


async def call(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    body = report() if method == "POST" else {"measures": "x"} if method == "PATCH" else None
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_no_token_is_401(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await call(client, method, path)
    assert response.status_code == 401


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
async def test_clients_may_not_use_the_breach_register(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    response = await call(client, method, path, auth.client("15076500565"))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_machines_may_not_use_the_breach_register(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    response = await call(client, method, path, auth.machine("dsar:internal dsar"))
    assert response.status_code == 403


@pytest.mark.parametrize("role", REPORTERS + HANDLERS)
async def test_any_staff_member_may_report_a_breach(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    breach = await create_breach(client, auth, role, sub=f"{role}-9")
    assert breach["reported_by"] == f"{role}-9"


@pytest.mark.parametrize("role", REPORTERS)
async def test_a_reporter_sees_only_the_breaches_they_reported(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    own = await create_breach(client, auth, role, sub="reporter-1")
    other = await create_breach(client, auth, "manager", sub="manager-1")
    headers = auth.staff(role, sub="reporter-1")
    listed = (await client.get("/dsar/breaches", headers=headers)).json()
    assert [b["id"] for b in listed] == [own["id"]]
    assert (await client.get(f"/dsar/breaches/{own['id']}", headers=headers)).status_code == 200
    response = await client.get(f"/dsar/breaches/{other['id']}", headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("role", REPORTERS)
@pytest.mark.parametrize("suffix", ["", "/timeline", "/notification", "/notification.html"])
async def test_a_reporter_may_not_change_or_handle_their_own_breach(
    client: httpx.AsyncClient, auth: Tokens, role: str, suffix: str
) -> None:
    own = await create_breach(client, auth, role, sub="reporter-1")
    method = "PATCH" if suffix == "" else "GET"
    response = await call(
        client, method, f"/dsar/breaches/{own['id']}{suffix}", auth.staff(role, sub="reporter-1")
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", HANDLERS)
async def test_managers_and_the_dpo_read_and_update_every_breach(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    reported = await create_breach(client, auth, "counsellor", sub="counsellor-1")
    headers = auth.staff(role, sub=f"{role}-1")
    path = f"/dsar/breaches/{reported['id']}"
    listed = (await client.get("/dsar/breaches", headers=headers)).json()
    assert reported["id"] in [b["id"] for b in listed]
    assert (await client.get(path, headers=headers)).status_code == 200
    patched = await client.patch(path, json={"risk": "risk"}, headers=headers)
    assert patched.status_code == 200
    for suffix in ("/timeline", "/notification", "/notification.html"):
        assert (await client.get(path + suffix, headers=headers)).status_code == 200


async def test_a_breach_cannot_be_deleted(client: httpx.AsyncClient, auth: Tokens) -> None:
    breach = await create_breach(client, auth)
    path = f"/dsar/breaches/{breach['id']}"
    response = await client.delete(path, headers=auth.staff("manager"))
    assert response.status_code == 405
    assert (await client.get(path, headers=auth.staff("manager"))).status_code == 200
