"""Hostile input against every operation of one service (VERN_CONTRACT_SERVICE), in process.

Every body-taking operation refuses an oversized body (413), JSON nested 10,000 deep and half a
UTF-16 pair (422) before anything else; path parameters of any shape are client errors; every
answer carries the security headers; no answer is a 5xx; and no log line of it holds the personal
data sent. Request schemas refuse unknown fields, except where the sender is a machine that may
add fields (events between services, provider webhooks) or a plain HTML form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.contract.test_service import APP, MACHINE, NAME, SETTINGS, STAFF, tally

NATIONAL_ID = "01010012356"  # invented, shaped like a fødselsnummer
EMAIL = "kari.nordmann@example.no"
# Bodies that may carry fields Vern does not know: a sender that is a machine (an event between
# services, a provider's webhook) must not lose an erasure to a field added later; HTML forms.
TOLERANT_BODIES = {"SubjectErased"}
HOSTILE_PATH_VALUES = [
    "../../etc/passwd",
    "%00",
    "x" * 5000,
    NATIONAL_ID,
    "%F0%9F%98%80",
    "-1",
    "99999999999999999999999999",
    "00000000-0000-0000-0000-000000000000",
    "1 OR 1=1",
]
SERVER_ERRORS: list[tuple[str, str, int]] = []


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in APP.openapi()["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def _json_body_operations() -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, operation in _operations()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _headers(path: str, **extra: str) -> dict[str, str]:
    token = MACHINE if "/internal/" in path else STAFF
    return {"Authorization": f"Bearer {token}", **extra}


@pytest.fixture(scope="module")
def http() -> Iterator[TestClient]:
    with TestClient(APP, raise_server_exceptions=False) as client:
        yield client


def _check(response: Any, method: str, url: str) -> None:
    tally("hostile", f"{method} {url}", response.status_code)
    if response.status_code >= 500:
        SERVER_ERRORS.append((method, url, response.status_code))
    assert response.status_code < 500, (method, url, response.status_code, response.text[:300])
    assert response.headers.get("x-content-type-options") == "nosniff", (method, url)
    assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), url


def _chunks(total: int) -> Iterator[bytes]:
    sent = 0
    yield b'{"x": "'
    while sent < total:
        yield b"x" * 65536
        sent += 65536


@pytest.mark.parametrize(("method", "path"), _json_body_operations())
def test_an_oversized_body_is_refused_with_413(http: TestClient, method: str, path: str) -> None:
    url = _fill(path, "1")
    response = http.request(
        method, url, content=_chunks(9 * 1024 * 1024),
        headers=_headers(path, **{"Content-Type": "application/json"}),
    )  # fmt: skip
    _check(response, method, url)
    assert response.status_code == 413


@pytest.mark.parametrize(("method", "path"), _json_body_operations())
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 10_000 + b"]" * 10_000,
        b'{"a": "\\udc00' + NATIONAL_ID.encode() + b'"}',
    ],
    ids=["10000 deep", "half a UTF-16 pair"],
)
def test_deep_or_broken_json_is_refused_with_422(
    http: TestClient, method: str, path: str, body: bytes
) -> None:
    url = _fill(path, "1")
    response = http.request(
        method, url, content=body, headers=_headers(path, **{"Content-Type": "application/json"})
    )
    _check(response, method, url)
    assert response.status_code == 422


@pytest.mark.parametrize(("method", "path"), _json_body_operations())
@pytest.mark.parametrize(
    "body",
    [
        b"null",
        b"[]",
        b'"' + EMAIL.encode() + b'"',
        b'{"email": "' + EMAIL.encode() + b'", "national_id": "' + NATIONAL_ID.encode() + b'"}',
        b"1e999999",
        b'{"a": ' + b"9" * 10_000 + b"}",
        b"\xff\xfe\x00",
        b'{"a": 1, "a": 2}',
    ],
)
def test_malformed_json_is_a_client_error(
    http: TestClient, method: str, path: str, body: bytes
) -> None:
    url = _fill(path, "1")
    response = http.request(
        method, url, content=body, headers=_headers(path, **{"Content-Type": "application/json"})
    )
    _check(response, method, url)


@pytest.mark.parametrize("value", HOSTILE_PATH_VALUES)
def test_hostile_path_parameters_are_client_errors(http: TestClient, value: str) -> None:
    for method, path, _operation in _operations():
        if "{" not in path:
            continue
        url = _fill(path, value)
        response = http.request(method, url, headers=_headers(path))
        _check(response, method, url)


def test_every_json_request_schema_refuses_unknown_fields() -> None:
    document = APP.openapi()
    schemas = document.get("components", {}).get("schemas", {})
    lenient = []
    for method, path, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref")
        if ref is None:
            continue
        name = ref.rsplit("/", 1)[-1]
        if name not in TOLERANT_BODIES and schemas[name].get("additionalProperties") is not False:
            lenient.append((method, path, name))
    assert lenient == []


def test_the_hostile_requests_left_no_personal_data_in_the_logs(
    http: TestClient, capfd: pytest.CaptureFixture[str]
) -> None:
    for method, path in _json_body_operations():
        url = _fill(path, NATIONAL_ID)
        http.request(method, url, headers=_headers(path),
                     json={"email": EMAIL, "national_id": NATIONAL_ID, "name": "Kari Nordmann"})  # fmt: skip
    logged = capfd.readouterr()
    lines = [line for line in (logged.out + logged.err).splitlines() if '"httpx"' not in line]
    assert not [line for line in lines if NATIONAL_ID in line or EMAIL in line]


def test_no_hostile_request_was_answered_with_a_server_error() -> None:
    print(f"{NAME}: max body {SETTINGS.max_body_bytes} bytes; server errors seen: {SERVER_ERRORS}")
    assert SERVER_ERRORS == []
