"""One request id follows a request: in its log lines, its response and its calls to other services."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from vern.kit.app import create_service_app
from vern.kit.http import ServiceClient
from vern.kit.logging import get_logger
from vern.kit.settings import ServiceSettings
from vern.kit.testing.tokens import FixedToken


def test_the_request_id_reaches_logs_and_outgoing_calls(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    seen: list[httpx.Request] = []
    settings = ServiceSettings(
        environment="test",
        database_url=f"sqlite:///{tmp_path}/data.db",
        keystore_url=f"sqlite:///{tmp_path}/keys.db",
    )
    peer = ServiceClient(
        settings, base_url="http://consent.test", resource="urn:vern:consent",
        scope="consent:internal", credentials=FixedToken(),
        transport=httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200)),
    )  # fmt: skip
    router = APIRouter(tags=["calls"])

    @router.post("/calls")
    def call_peer() -> dict[str, str]:
        get_logger("demo").info("calling consent")
        peer.post("/consent/internal/events", json={}, idempotency_key="m-1")
        return {"status": "ok"}

    app = create_service_app(name="demo", settings=settings, routers=[router], description="")
    with TestClient(app) as http:
        response = http.post("/demo/calls", headers={"X-Request-ID": "req-0123456789"})
        made_up = http.post("/demo/calls", headers={"X-Request-ID": "bad id\n"})
    assert response.headers["x-request-id"] == "req-0123456789"
    assert seen[0].headers["x-request-id"] == "req-0123456789"
    assert made_up.headers["x-request-id"] != "bad id\n"  # a malformed id is replaced
    assert seen[1].headers["x-request-id"] == made_up.headers["x-request-id"]
    lines = [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]
    calling = [line for line in lines if line.get("event") == "calling consent"]
    assert [line["request_id"] for line in calling] == [
        "req-0123456789",
        made_up.headers["x-request-id"],
    ]
