"""Hostile input every service refuses in the kit, before a route sees it: oversized bodies (413,
announced or chunked), JSON nested too deep (422), unknown fields (422), callers past a rate
limit (429), other origins (no CORS); and the security headers on every answer. None of it is a
500, and no log line of it holds the personal data sent."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Form
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from vern.kit.app import create_service_app
from vern.kit.errors import Conflict
from vern.kit.hardening import json_too_deep
from vern.kit.ratelimit import RateLimited, client_network
from vern.kit.settings import ServiceSettings
from vern.kit.testing.fuzz import fuzz

pytestmark = pytest.mark.anyio

# Invented, but shaped like what the scrubber and the log grep look for.
NATIONAL_ID = "01010012356"
EMAIL = "kari.nordmann@example.no"


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    tags: list[Any] = []


def _router(seen: list[bytes]) -> APIRouter:
    router = APIRouter(tags=["items"])

    @router.post("/items")
    def create_item(body: ItemCreate) -> dict[str, str]:
        seen.append(body.model_dump_json().encode())
        return {"title": body.title}

    @router.get("/items/{item_id}")
    def get_item(item_id: int) -> dict[str, int]:
        if item_id == 409:
            raise Conflict("taken")
        return {"id": item_id}

    @router.post("/form")
    def post_form(name: str = Form(max_length=64)) -> dict[str, int]:
        return {"length": len(name)}

    @router.get("/public", dependencies=[RateLimited("public")])
    def public() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/own-csp")
    def own_csp() -> Any:
        from fastapi.responses import HTMLResponse

        return HTMLResponse("<p>x</p>", headers={"Content-Security-Policy": "default-src 'self'"})

    return router


def _app(tmp_path: Path, seen: list[bytes] | None = None, **changes: Any) -> FastAPI:
    settings = ServiceSettings.model_validate(
        {
            "environment": "test",
            "database_url": f"sqlite:///{tmp_path}/data.db",
            "keystore_url": f"sqlite:///{tmp_path}/keys.db",
            "max_body_bytes": 262_144,
            **changes,
        }
    )
    return create_service_app(
        name="demo",
        settings=settings,
        routers=[_router(seen if seen is not None else [])],
        description="",
        body_limits={"/demo/items-large": 1_048_576},
    )


@pytest.fixture
def seen() -> list[bytes]:
    return []


@pytest.fixture
async def http(tmp_path: Path, seen: list[bytes]) -> AsyncIterator[httpx.AsyncClient]:
    app = _app(tmp_path, seen)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as client:
        yield client


def _is_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status


async def test_a_body_announced_larger_than_the_limit_is_refused_with_413(
    http: httpx.AsyncClient, seen: list[bytes]
) -> None:
    body = json.dumps({"title": "x" * 300_000}).encode()
    response = await http.post(
        "/demo/items", content=body, headers={"Content-Type": "application/json"}
    )
    _is_problem(response, 413)
    assert seen == []


async def test_a_chunked_body_is_refused_with_413_once_it_passes_the_limit(
    http: httpx.AsyncClient, seen: list[bytes]
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"title": "'
        for n in range(400):
            sent.append(n)
            yield b"x" * 1024
        yield b'"}'

    response = await http.post(
        "/demo/items", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _is_problem(response, 413)
    assert "content-length" not in response.request.headers
    assert len(sent) < 400
    assert seen == []


async def test_a_body_within_the_limit_reaches_the_route_as_sent(
    http: httpx.AsyncClient, seen: list[bytes]
) -> None:
    response = await http.post("/demo/items", json={"title": "t" * 3000})
    assert response.status_code == 200
    assert seen
    assert b"t" * 3000 in seen[0]


async def test_a_path_with_its_own_limit_takes_larger_bodies(tmp_path: Path) -> None:
    app = _app(tmp_path)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as client:
        large = await client.post("/demo/items-large", content=b"x" * 300_000)
        assert large.status_code == 404  # past the body check: no such route
        _is_problem(await client.post("/demo/items", content=b"x" * 300_000), 413)


async def test_a_content_length_that_is_no_number_is_a_400(http: httpx.AsyncClient) -> None:
    request = http.build_request("POST", "/demo/items", content=b"{}")
    request.headers["Content-Length"] = "12abc"
    _is_problem(await http.send(request), 400)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"title": "x", "tags": ' + b"[" * 1000 + b"]" * 1000 + b"}",
        b'{"a":' * 50 + b"1" + b"}" * 50,
        b"[" * 3000,  # never closed
    ],
    ids=["100000 arrays", "1000 arrays in a field", "50 objects", "unclosed"],
)
async def test_deeply_nested_json_is_refused_with_422_never_a_500(
    http: httpx.AsyncClient, body: bytes, seen: list[bytes]
) -> None:
    response = await http.post(
        "/demo/items", content=body, headers={"Content-Type": "application/json"}
    )
    _is_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "body"
    assert seen == []


async def test_brackets_inside_strings_do_not_count_as_nesting(http: httpx.AsyncClient) -> None:
    title = '[[[[{{{{\\"' * 100
    response = await http.post(
        "/demo/items",
        content=b'{"title": "' + title.encode() + b'", "tags": [[["ok"]]]}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,:'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\k', max_size=4), children, max_size=3)
    ),
    max_leaves=40,
)


@fuzz
@given(value=_json_values, limit=st.integers(min_value=2, max_value=8))
def test_the_depth_check_agrees_with_the_parsed_document(value: Any, limit: int) -> None:
    body = json.dumps(value).encode()
    assert json_too_deep(body, limit) == (_depth(value) > limit)


async def test_unknown_fields_are_refused_and_named(http: httpx.AsyncClient) -> None:
    response = await http.post("/demo/items", json={"title": "x", "is_admin": True})
    _is_problem(response, 422)
    assert response.json()["errors"] == [{"field": "is_admin", "message": "is not a known field"}]


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        (
            "POST",
            "/demo/items",
            {"content": b"\xff\xfe{not json", "headers": {"Content-Type": "application/json"}},
        ),
        (
            "POST",
            "/demo/items",
            {"content": b'{"title": "\\ud800"}', "headers": {"Content-Type": "application/json"}},
        ),
        (
            "POST",
            "/demo/items",
            {"content": b"1e999999", "headers": {"Content-Type": "application/json"}},
        ),
        (
            "POST",
            "/demo/items",
            {
                "content": b'{"title": ' + b"9" * 5000 + b"}",
                "headers": {"Content-Type": "application/json"},
            },
        ),
        ("POST", "/demo/items", {"json": {"title": None}}),
        ("POST", "/demo/items", {"json": [{"title": "x"}]}),
        ("POST", "/demo/form", {"data": {"name": "x" * 65}}),
        (
            "POST",
            "/demo/form",
            {
                "content": b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nabc',
                "headers": {"Content-Type": "multipart/form-data; boundary=x"},
            },
        ),
        (
            "POST",
            "/demo/form",
            {
                "content": b"name=%ZZ%00" * 100,
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            },
        ),
        ("GET", "/demo/items/99999999999999999999999999999", {}),
        ("GET", "/demo/items/%00%ff", {}),
        ("GET", f"/demo/items/{NATIONAL_ID}x", {}),
        ("GET", "/demo/items/1", {"headers": {"X-Request-ID": "\x7f" * 300}}),
        ("GET", "/demo/items/1", {"params": {"q": "'; DROP TABLE item; --"}}),
    ],
)
async def test_malformed_requests_are_client_errors_never_server_errors(
    http: httpx.AsyncClient, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    response = await http.request(method, path, **kwargs)
    assert 200 <= response.status_code < 500, (response.status_code, response.text)


async def test_every_answer_carries_the_security_headers(http: httpx.AsyncClient) -> None:
    answers = [
        await http.get("/demo/health"),
        await http.get("/demo/items/1"),
        await http.get("/demo/items/409"),
        await http.get("/demo/nowhere"),
        await http.post("/demo/items", json={"title": "x", "extra": 1}),
        await http.post("/demo/items", content=b"x" * 300_000),
    ]
    for response in answers:
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", response.request.url
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["strict-transport-security"].startswith("max-age=")


async def test_a_route_that_sets_its_own_policy_keeps_it(http: httpx.AsyncClient) -> None:
    response = await http.get("/demo/own-csp")
    assert response.headers["content-security-policy"] == "default-src 'self'"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_interactive_docs_load_without_the_api_policy(http: httpx.AsyncClient) -> None:
    response = await http.get("/demo/docs")
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers
    assert response.headers["x-frame-options"] == "DENY"


async def test_cors_answers_only_the_configured_origin(tmp_path: Path) -> None:
    app = _app(tmp_path, cors_origins=["https://vern.example.no"])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://vern.test") as client:
        ours = await client.get("/demo/health", headers={"Origin": "https://vern.example.no"})
        assert ours.headers["access-control-allow-origin"] == "https://vern.example.no"
        theirs = await client.get("/demo/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in theirs.headers
        preflight = await client.options(
            "/demo/items",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
        allowed = await client.options(
            "/demo/items",
            headers={
                "Origin": "https://vern.example.no",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://vern.example.no"


async def test_without_configured_origins_no_cors_headers_are_sent(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/demo/health", headers={"Origin": "https://vern.example.no"})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("origin", ["*", "https://*.example.no", "vern.example.no"])
def test_a_wildcard_or_bare_host_is_not_an_origin(tmp_path: Path, origin: str) -> None:
    with pytest.raises(ValueError, match="cors_origins"):
        ServiceSettings(environment="test", cors_origins=[origin])


def test_a_rate_limit_that_does_not_parse_stops_the_service(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        ServiceSettings(environment="test", rate_limits={"public": "lots per minute"})
    kept = ServiceSettings(environment="test", rate_limits={"public": "1/minute"})
    assert kept.rate_limits["public"] == "1/minute"
    assert "webhook" in kept.rate_limits


async def test_a_public_endpoint_answers_429_past_its_limit_per_network(tmp_path: Path) -> None:
    app = _app(tmp_path, rate_limits={"public": "3/minute"})

    def client_from(host: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(host, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://vern.test")

    async with client_from("198.51.100.20") as first, client_from("198.51.100.99") as same_net:
        assert [(await first.get("/demo/public")).status_code for _ in range(3)] == [200] * 3
        refused = await same_net.get("/demo/public")
        _is_problem(refused, 429)
        assert int(refused.headers["retry-after"]) >= 1
    async with client_from("192.0.2.1") as other:
        assert (await other.get("/demo/public")).status_code == 200


@pytest.mark.parametrize(
    ("host", "network"),
    [
        ("195.159.103.82", "195.159.103.0/24"),
        ("2001:db8:1:2::5", "2001:db8:1::/48"),
        ("::ffff:195.159.103.82", "195.159.103.0/24"),
        ("testclient", "unknown"),
        (None, "unknown"),
    ],
)
def test_the_rate_limit_key_is_the_truncated_network(host: str | None, network: str) -> None:
    assert client_network(host) == network


@pytest.fixture
def kit_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


async def test_hostile_requests_leave_no_personal_data_in_the_logs(
    http: httpx.AsyncClient, kit_logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    await http.post("/demo/items", json={"title": EMAIL, "nnin": NATIONAL_ID})
    await http.post("/demo/items", content=(EMAIL * 20_000).encode())
    await http.post(
        "/demo/items",
        content=b"[" * 500 + json.dumps(NATIONAL_ID).encode() + b"]" * 500,
        headers={"Content-Type": "application/json"},
    )
    await http.post("/demo/form", data={"name": EMAIL * 10})
    await http.get(f"/demo/items/{NATIONAL_ID}")
    # The service's records (not the test client's own httpx lines) and every rendered line.
    service_records = [r.getMessage() for r in kit_logs.records if r.name != "httpx"]
    rendered = [line for line in capsys.readouterr().err.splitlines() if '"httpx"' not in line]
    logged = "\n".join(service_records + rendered)
    assert "/demo/items" in logged or service_records == []
    assert NATIONAL_ID not in logged
    assert EMAIL not in logged


async def test_half_a_utf16_pair_is_refused_and_a_whole_one_accepted(
    http: httpx.AsyncClient, seen: list[bytes]
) -> None:
    json_type = {"Content-Type": "application/json"}
    lone = await http.post("/demo/items", content=b'{"title": "a\\ud800b"}', headers=json_type)
    _is_problem(lone, 422)
    assert seen == []
    pair = await http.post("/demo/items", content=b'{"title": "\\ud83d\\ude00"}', headers=json_type)
    assert pair.status_code == 200
    assert pair.json() == {"title": "\U0001f600"}
    escaped = await http.post("/demo/items", content=b'{"title": "\\\\ud800"}', headers=json_type)
    assert escaped.json() == {"title": "\\ud800"}
