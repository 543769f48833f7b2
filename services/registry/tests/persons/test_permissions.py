"""Need to know, as a matrix: every client and contact operation against every kind of caller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from vern.kit.clock import now_utc
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from .conftest import FNR, register

pytestmark = pytest.mark.anyio

CALLERS: dict[str, Callable[[Tokens], dict[str, str]]] = {
    "counsellor assigned": lambda auth: auth.staff("counsellor", sub=COUNSELLOR),
    "counsellor not assigned": lambda auth: auth.staff("counsellor", sub=OTHER_COUNSELLOR),
    "coordinator": lambda auth: auth.staff("coordinator"),
    "manager": lambda auth: auth.staff("manager"),
    "dpo": lambda auth: auth.staff("dpo"),
    "client": lambda auth: auth.client(FNR),
    "machine": lambda auth: auth.machine(),
    "no token": lambda auth: {},
    "wrong audience": lambda auth: auth.other_audience("urn:vern:consent", "manager"),
    "no second factor": lambda auth: auth.staff("manager", second_factor=False),
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # {id}: a registered client assigned to COUNSELLOR
    body: Callable[[], Any] | None = None


def _contact() -> dict[str, str]:
    return {"kind": "phone", "occurred_at": (now_utc() - timedelta(hours=1)).isoformat()}


NEW_CLIENT = {"full_name": "Ny Klient", "phone": "40000011"}
OPERATIONS: dict[str, Operation] = {
    "create": Operation("POST", "/registry/persons", lambda: NEW_CLIENT),
    "list": Operation("GET", "/registry/persons"),
    "search": Operation("POST", "/registry/persons/search", lambda: {"name": "Sigrid"}),
    "read": Operation("GET", "/registry/persons/{id}"),
    "update": Operation("PATCH", "/registry/persons/{id}", lambda: {"phone": "40000012"}),
    "assign": Operation(
        "PUT", "/registry/persons/{id}/counsellor", lambda: {"counsellor_id": OTHER_COUNSELLOR}
    ),
    "end counselling": Operation("POST", "/registry/persons/{id}/counselling-ended", dict),
    "break glass": Operation(
        "POST", "/registry/persons/{id}/break-glass", lambda: {"reason": "akutt, på vakt i dag"}
    ),
    "record contact": Operation("POST", "/registry/persons/{id}/contacts", _contact),
    "list contacts": Operation("GET", "/registry/persons/{id}/contacts"),
    "list break-glass reads": Operation("GET", "/registry/audit/break-glass"),
}

# Every caller that is refused outright: by authentication (401) or before any role (403).
OUTSIDERS = {"client": 403, "machine": 403, "no token": 401, "wrong audience": 401,
             "no second factor": 403}  # fmt: skip
WORKERS = ("counsellor assigned", "coordinator", "manager")

EXPECTED: dict[str, dict[str, int]] = {
    "create": {"coordinator": 201, "manager": 201},
    "list": {"counsellor assigned": 200, "counsellor not assigned": 200, "coordinator": 200,
             "manager": 200},
    "search": {"counsellor assigned": 200, "counsellor not assigned": 200, "coordinator": 200,
               "manager": 200},
    "read": dict.fromkeys(WORKERS, 200),
    "update": dict.fromkeys(WORKERS, 200),
    "assign": {"coordinator": 200, "manager": 200},
    "end counselling": dict.fromkeys(WORKERS, 200),
    "break glass": {"counsellor assigned": 200, "counsellor not assigned": 200,
                    "coordinator": 200, "manager": 200, "dpo": 200},
    "record contact": dict.fromkeys(WORKERS, 201),
    "list contacts": dict.fromkeys(WORKERS, 200),
    "list break-glass reads": {"manager": 200, "dpo": 200},
}  # fmt: skip


def expected_status(operation: str, caller: str) -> int:
    if caller in OUTSIDERS:
        return OUTSIDERS[caller]
    return EXPECTED[operation].get(caller, 403)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("operation", OPERATIONS)
async def test_every_operation_answers_every_caller_as_need_to_know_says(
    client: httpx.AsyncClient, auth: Tokens, operation: str, caller: str
) -> None:
    person = await register(client, auth)
    op = OPERATIONS[operation]
    response = await client.request(
        op.method,
        op.path.format(id=person["id"]),
        json=op.body() if op.body else None,
        headers=CALLERS[caller](auth),
    )
    assert response.status_code == expected_status(operation, caller), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert "Sigrid" not in response.text


@pytest.mark.parametrize("operation", [o for o in OPERATIONS if "{id}" in OPERATIONS[o].path])
async def test_an_unknown_client_is_404_for_those_who_could_see_one(
    client: httpx.AsyncClient, auth: Tokens, operation: str
) -> None:
    op = OPERATIONS[operation]
    response = await client.request(
        op.method,
        op.path.format(id="00000000-0000-4000-8000-000000000000"),
        json=op.body() if op.body else None,
        headers=auth.staff("manager"),
    )
    assert response.status_code == 404
