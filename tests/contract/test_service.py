"""Schemathesis over every operation of one service (VERN_CONTRACT_SERVICE), in process over ASGI.

No operation may answer 5xx, and every response must match the documented schema. Internal
operations get a machine token with the service's internal scope; the rest a manager's token.
Run once per service (`make contract`): services never share a process.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import tempfile
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vern.kit.auth import TokenVerifier
from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.testing.tokens import TEST_ISSUER, TokenFactory

NAME = os.environ.get("VERN_CONTRACT_SERVICE", "registry")
AUDIENCE = f"urn:vern:{NAME}"
_main = importlib.import_module(f"vern.{NAME}.main")
_config = importlib.import_module(f"vern.{NAME}.config")
_tmp = tempfile.mkdtemp(prefix=f"vern-contract-{NAME}-")
_settings_class: Any = next(
    v for k, v in vars(_config).items() if k.endswith("Settings") and k != "ServiceSettings"
)
SETTINGS = _settings_class(
    environment="test",
    database_url=f"sqlite:///{_tmp}/data.db",
    keystore_url=f"sqlite:///{_tmp}/keys.db",
    issuers=[{"issuer": TEST_ISSUER}],
    json_logs=True,
)
if hasattr(SETTINGS, "deliver_after_commit"):
    SETTINGS.deliver_after_commit = False
if hasattr(SETTINGS, "start_jobs"):
    SETTINGS.start_jobs = False
upgrade_service(migrations_dir(_main.__file__), SETTINGS.database_url, SETTINGS.keystore_url)
TOKENS = TokenFactory()
APP = _main.create_app(SETTINGS, TokenVerifier(SETTINGS, fetch=lambda _issuer: TOKENS.jwks()))
STAFF = TOKENS.staff(AUDIENCE, "manager", "coordinator")
MACHINE = TOKENS.machine(AUDIENCE, f"{NAME}:internal {NAME}")

schema = schemathesis.openapi.from_asgi(f"/{NAME}/openapi.json", APP)
# What this run sent, for the summary pytest prints at its end (tests/contract/conftest.py):
# schemathesis's calls per operation and the hostile requests, each with the 5xx answers among them.
CALLS: Counter[tuple[str, str]] = Counter()
SERVER_ERRORS: Counter[tuple[str, str]] = Counter()


def tally(kind: str, target: str, status: int) -> None:
    CALLS[kind, target] += 1
    if status >= 500:
        SERVER_ERRORS[kind, target] += 1


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("VERN_CONTRACT_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # `make test` runs the same examples every time; `make fuzz` explores new ones.
    derandomize=os.environ.get("VERN_CONTRACT_RANDOM") != "1",
)
def test_operation_never_fails_and_matches_its_schema(case: Case) -> None:
    token = MACHINE if "/internal/" in case.path else STAFF
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    tally("schemathesis", case.operation.label, response.status_code)
    case.validate_response(response, checks=CHECKS)


def _unsigned(audience: str) -> str:
    def b64(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    now = int(time.time())
    claims = {"iss": TEST_ISSUER, "aud": audience, "sub": "x", "iat": now, "exp": now + 300,
              "roles": ["manager"], "amr": ["otp"]}  # fmt: skip
    return f"{b64({'alg': 'none', 'typ': 'at+jwt'})}.{b64(claims)}."


def _secured_operations() -> list[tuple[str, str]]:
    return [
        (method.upper(), path.replace("{", "").replace("}", ""))
        for path, methods in APP.openapi()["paths"].items()
        for method, operation in methods.items()
        if operation.get("security")
    ]


@pytest.mark.parametrize(
    ("case", "token", "expected"),
    [
        ("no token", "", 401),
        ("not a JWT", "not-a-jwt", 401),
        ("another service's audience", TOKENS.staff("urn:vern:elsewhere", "manager"), 401),
        ("expired", TOKENS.token(audience=AUDIENCE, roles=["manager"], expires_in=-120), 401),
        (
            "untrusted issuer",
            TOKENS.token(audience=AUDIENCE, roles=["manager"], issuer="https://evil.test"),
            401,
        ),
        ("not an access token", TOKENS.token(audience=AUDIENCE, roles=["manager"], typ="JWT"), 401),
        (
            "issued in the future",
            TOKENS.token(
                audience=AUDIENCE, roles=["manager"], claims={"iat": int(time.time()) + 900}
            ),
            401,
        ),
        (
            "signed by a key the issuer does not publish",
            TokenFactory().token(audience=AUDIENCE, roles=["manager"], issuer=TEST_ISSUER),
            401,
        ),
        ("unsigned (alg none)", _unsigned(AUDIENCE), 401),
        (
            "staff without a second factor",
            TOKENS.staff(AUDIENCE, "manager", second_factor=False),
            403,
        ),
    ],
)
def test_every_secured_operation_refuses_bad_tokens(case: str, token: str, expected: int) -> None:
    from fastapi.testclient import TestClient

    operations = _secured_operations()
    assert operations, "the service declares no secured operation"
    with TestClient(APP) as http:
        for method, url in operations:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = http.request(method, url, headers=headers)
            tally("hostile", f"{method} {url}", response.status_code)
            assert response.status_code == expected, (case, method, url, response.status_code)
            assert response.headers["content-type"] == "application/problem+json"
