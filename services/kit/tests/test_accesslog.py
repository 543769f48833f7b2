"""Every request writes one structured access line: request id, method, route template, status and
duration; never the raw path or its query string. One id follows a request across services."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from vern.kit.app import create_service_app
from vern.kit.http import ServiceClient
from vern.kit.logging import configure_logging
from vern.kit.settings import ServiceSettings
from vern.kit.testing.tokens import FixedToken

EMAIL = "kari.nordmann@example.org"
TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdl"


def _settings(tmp_path: Path, name: str) -> ServiceSettings:
    return ServiceSettings(
        environment="test",
        database_url=f"sqlite:///{tmp_path}/{name}.db",
        keystore_url=f"sqlite:///{tmp_path}/{name}-keys.db",
    )


def _back(tmp_path: Path) -> FastAPI:
    router = APIRouter(tags=["subjects"])

    @router.post("/subjects/{subject_id}/erase")
    def erase(subject_id: str) -> dict[str, str]:
        return {"erased": subject_id}

    return create_service_app(
        name="back", settings=_settings(tmp_path, "back"), routers=[router], description=""
    )


def _front(tmp_path: Path, back: TestClient) -> FastAPI:
    def forward(request: httpx.Request) -> httpx.Response:
        # The second service is a whole app of its own, with its own middleware.
        answer = back.request(
            request.method, str(request.url.copy_with(scheme="http", host="testserver")),
            headers=dict(request.headers), content=request.content,
        )  # fmt: skip
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    settings = _settings(tmp_path, "front")
    peer = ServiceClient(
        settings, base_url="http://back.test", resource="urn:vern:back", scope="back:internal",
        credentials=FixedToken(), transport=httpx.MockTransport(forward),
    )  # fmt: skip
    router = APIRouter(tags=["requests"])

    @router.post("/requests/{request_id}/erase")
    def erase_request(request_id: str) -> dict[str, str]:
        peer.post(f"/back/subjects/s-{request_id}/erase?reason=request", json={})
        return {"status": "ok"}

    return create_service_app(name="front", settings=settings, routers=[router], description="")


def _lines(captured: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def _access(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line.get("logger") == "vern.access"]


def test_a_request_across_two_services_logs_one_request_id_in_both_access_lines(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with TestClient(_back(tmp_path)) as back:
        front = _front(tmp_path, back)
        with TestClient(front) as http:
            capfd.readouterr()
            answer = http.post(
                f"/front/requests/r-42/erase?email={EMAIL}&token={TOKEN}",
                headers={"X-Request-ID": "req-0123456789"},
            )
            made_up = http.post("/front/requests/r-43/erase")
    assert answer.status_code == made_up.status_code == 200
    access = _access(_lines(capfd.readouterr().err))

    by_route = {(line["route"], line["request_id"]) for line in access}
    assert by_route == {
        ("/front/requests/{request_id}/erase", "req-0123456789"),
        ("/back/subjects/{subject_id}/erase", "req-0123456789"),
        ("/front/requests/{request_id}/erase", made_up.headers["x-request-id"]),
        ("/back/subjects/{subject_id}/erase", made_up.headers["x-request-id"]),
    }
    for line in access:
        assert line["event"] == "request"
        assert line["method"] == "POST"
        assert line["status"] == 200
        assert isinstance(line["duration_ms"], float)
        assert line["duration_ms"] >= 0
        assert line["level"] == "info"


def test_no_access_line_holds_a_path_its_query_string_or_what_they_carry(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with TestClient(_back(tmp_path)) as back, TestClient(_front(tmp_path, back)) as http:
        capfd.readouterr()
        http.post(f"/front/requests/r-{TOKEN}/erase?email={EMAIL}&token={TOKEN}")
        http.get(f"/front/no-such-page/{TOKEN}?email={EMAIL}")
        http.get(f"/front/health?email={EMAIL}")
    captured = capfd.readouterr().err
    access = _access(_lines(captured))
    assert [(line["route"], line["status"]) for line in access] == [
        ("/back/subjects/{subject_id}/erase", 200),
        ("/front/requests/{request_id}/erase", 200),
        ("unmatched", 404),
        ("/front/health", 200),
    ]
    for line in access:
        text = json.dumps(line)
        assert "?" not in text
        assert TOKEN not in text
        assert EMAIL not in text
        assert "email" not in text
    assert TOKEN not in captured
    assert EMAIL not in captured


def test_a_request_that_fails_logs_its_access_line_as_a_server_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    router = APIRouter(tags=["broken"])

    @router.get("/broken/{item_id}")
    def broken(item_id: str) -> None:
        raise RuntimeError("boom")

    app = create_service_app(
        name="demo", settings=_settings(tmp_path, "demo"), routers=[router], description=""
    )
    with TestClient(app, raise_server_exceptions=False) as http:
        capfd.readouterr()
        assert http.get("/demo/broken/x-1").status_code == 500
    access = _access(_lines(capfd.readouterr().err))
    assert [(line["route"], line["status"]) for line in access] == [("/demo/broken/{item_id}", 500)]
    assert "request_id" in access[0]


def test_uvicorns_own_access_log_stays_off() -> None:
    configure_logging(service="demo")
    assert logging.getLogger("uvicorn.access").isEnabledFor(logging.INFO) is False


def test_outgoing_calls_are_not_logged_with_their_url() -> None:
    configure_logging(service="demo")
    assert logging.getLogger("httpx").isEnabledFor(logging.INFO) is False
    assert logging.getLogger("httpx").isEnabledFor(logging.WARNING) is True
