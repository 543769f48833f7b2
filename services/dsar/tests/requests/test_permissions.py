"""Who may do what with requests: every operation for every role, and the tokens refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest

from vern.kit.clock import today_oslo
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR, OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers
from .conftest import STAFF_BODY, file_request

pytestmark = pytest.mark.anyio

OPERATIONS = ["create", "list", "read", "package", "transition", "extend"]

# Expected status per caller and operation, on an access request and an erasure that
# counsellor-1 registered for Solveig.
MATRIX: dict[str, dict[str, int]] = {
    "counsellor who registered": dict(
        create=201, list=200, read=200, package=403, transition=403, extend=403
    ),
    "another counsellor": dict(
        create=201, list=200, read=403, package=403, transition=403, extend=403
    ),
    "coordinator": dict(create=201, list=200, read=403, package=403, transition=403, extend=403),
    "manager": dict(create=201, list=200, read=200, package=200, transition=200, extend=200),
    "dpo": dict(create=201, list=200, read=200, package=200, transition=200, extend=200),
    "the client named": dict(
        create=201, list=200, read=200, package=200, transition=403, extend=403
    ),
    "another client": dict(create=201, list=200, read=404, package=404, transition=403, extend=403),
    "a machine": dict(create=403, list=403, read=403, package=403, transition=403, extend=403),
    "no token": dict.fromkeys(OPERATIONS, 401),
    "a token for another service": dict.fromkeys(OPERATIONS, 401),
    "a manager without a second factor": dict.fromkeys(OPERATIONS, 403),
    "a client below BankID high": dict.fromkeys(OPERATIONS, 403),
}

CALLERS: dict[str, Callable[[Tokens], dict[str, str]]] = {
    "counsellor who registered": lambda auth: auth.staff("counsellor", sub=COUNSELLOR),
    "another counsellor": lambda auth: auth.staff("counsellor", sub=OTHER_COUNSELLOR),
    "coordinator": lambda auth: auth.staff("coordinator", sub="coordinator-1"),
    "manager": lambda auth: auth.staff("manager", sub="manager-1"),
    "dpo": lambda auth: auth.staff("dpo", sub="dpo-1"),
    "the client named": lambda auth: auth.client(SOLVEIG["national_id"]),
    "another client": lambda auth: auth.client(OTHER_NATIONAL_ID),
    "a machine": lambda auth: auth.machine("dsar:internal"),
    "no token": lambda auth: {},
    "a token for another service": lambda auth: auth.other_audience(),
    "a manager without a second factor": lambda auth: auth.staff("manager", second_factor=False),
    "a client below BankID high": lambda auth: auth.client(SOLVEIG["national_id"], acr="low"),
}


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("caller", list(MATRIX))
async def test_every_request_operation_admits_exactly_the_callers_allowed(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: Peers,
    tryggere: OrgProfile,
    caller: str,
    operation: str,
) -> None:
    services.registry.hold(str(uuid.uuid4()), **SOLVEIG)
    registrar = auth.staff("counsellor", sub=COUNSELLOR)
    access = await file_request(client, registrar, type="access", **STAFF_BODY)
    erasure = await file_request(client, registrar, type="erasure", **STAFF_BODY)
    headers = CALLERS[caller](auth)
    is_client = caller in ("the client named", "another client", "a client below BankID high")
    calls = {
        "create": (
            "POST",
            "/dsar/requests",
            {"type": "access"} if is_client else {"type": "access", **STAFF_BODY},
        ),
        "list": ("GET", "/dsar/requests", None),
        "read": ("GET", f"/dsar/requests/{access['id']}", None),
        "package": ("GET", f"/dsar/requests/{access['id']}/package", None),
        "transition": (
            "POST",
            f"/dsar/requests/{erasure['id']}/transitions",
            {"status": "in_progress"},
        ),
        "extend": (
            "POST",
            f"/dsar/requests/{erasure['id']}/extension",
            {
                "months": 2,
                "reason": "complexity",
                "letter_sent_date": today_oslo().isoformat(),
                "letter_sent_via": "letter",
            },
        ),
    }
    method, path, body = calls[operation]
    response = await client.request(method, path, json=body, headers=headers)
    assert response.status_code == MATRIX[caller][operation], response.text
    if response.status_code >= 400:
        assert SOLVEIG["national_id"] not in response.text
        assert SOLVEIG["email"] not in response.text


async def test_a_client_lists_only_their_own_requests(
    client: httpx.AsyncClient, auth: Tokens, services: Peers
) -> None:
    mine = await file_request(client, auth.client(SOLVEIG["national_id"]), type="erasure")
    await file_request(client, auth.client(OTHER_NATIONAL_ID), type="erasure")
    await file_request(
        client,
        auth.staff("manager"),
        type="objection",
        **{**STAFF_BODY, "national_id": OTHER_NATIONAL_ID, "email": "kari@example.org"},
    )
    listed = await client.get("/dsar/requests", headers=auth.client(SOLVEIG["national_id"]))
    assert [r["id"] for r in listed.json()["items"]] == [mine["id"]]
    assert listed.json()["total"] == 1


async def test_an_unknown_request_is_404(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.get(f"/dsar/requests/{uuid.uuid4()}", headers=auth.staff("dpo"))
    assert response.status_code == 404
    moved = await client.post(
        f"/dsar/requests/{uuid.uuid4()}/transitions",
        json={"status": "in_progress"},
        headers=auth.staff("dpo"),
    )
    assert moved.status_code == 404
