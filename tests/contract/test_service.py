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
from collections.abc import Callable
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
# Minted once, valid for the whole run: `make fuzz` runs one service for longer than a token lives
# (5 minutes), and an expired token turned every later example into a 401 that explores nothing.
RUN_SECONDS = 24 * 3600
STAFF = TOKENS.staff(AUDIENCE, "manager", "coordinator", expires_in=RUN_SECONDS)
MACHINE = TOKENS.machine(AUDIENCE, f"{NAME}:internal {NAME}", expires_in=RUN_SECONDS)

schema = schemathesis.openapi.from_asgi(f"/{NAME}/openapi.json", APP)
# What this run sent, for the summary pytest prints at its end (tests/contract/conftest.py):
# schemathesis's calls per operation and the hostile requests, each with the 5xx answers among them.
CALLS: Counter[tuple[str, str]] = Counter()
SERVER_ERRORS: Counter[tuple[str, str]] = Counter()
# Examples that carried the run's token and were answered 401 (schemathesis also leaves the
# Authorization header out on purpose, and those answers are not counted here).
REFUSED_TOKENS: Counter[str] = Counter()


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
    try:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
    except Exception:
        # In process the app's exception reaches the test; served, it would be a 500.
        tally("schemathesis", case.operation.label, 500)
        raise
    tally("schemathesis", case.operation.label, response.status_code)
    if response.status_code == 401 and "authorization" in response.request.headers:
        REFUSED_TOKENS[case.operation.label] += 1
    case.validate_response(response, checks=CHECKS)


def test_no_example_was_refused_for_its_token() -> None:
    """Every example above carried a valid token: a 401 means the run's token stopped working
    (it expired in a long run once), and from then on the examples explored nothing."""
    if not any(kind == "schemathesis" for kind, _ in CALLS):
        pytest.skip("no schemathesis example ran in this process")
    assert sorted(REFUSED_TOKENS) == []


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


# Each bad token is minted when its case runs: one minted at collection could, later in a long
# run, expire for the wrong reason (401 for a 403 case) or no longer be issued in the future.
BAD_TOKENS: list[tuple[str, Callable[[], str], int]] = [
    ("no token", lambda: "", 401),
    ("not a JWT", lambda: "not-a-jwt", 401),
    ("another service's audience", lambda: TOKENS.staff("urn:vern:elsewhere", "manager"), 401),
    ("expired", lambda: TOKENS.token(audience=AUDIENCE, roles=["manager"], expires_in=-120), 401),
    (
        "untrusted issuer",
        lambda: TOKENS.token(audience=AUDIENCE, roles=["manager"], issuer="https://evil.test"),
        401,
    ),
    (
        "not an access token",
        lambda: TOKENS.token(audience=AUDIENCE, roles=["manager"], typ="JWT"),
        401,
    ),
    (
        "issued in the future",
        lambda: TOKENS.token(
            audience=AUDIENCE, roles=["manager"], claims={"iat": int(time.time()) + 900}
        ),
        401,
    ),
    (
        "signed by a key the issuer does not publish",
        lambda: TokenFactory().token(audience=AUDIENCE, roles=["manager"], issuer=TEST_ISSUER),
        401,
    ),
    ("unsigned (alg none)", lambda: _unsigned(AUDIENCE), 401),
    (
        "staff without a second factor",
        lambda: TOKENS.staff(AUDIENCE, "manager", second_factor=False),
        403,
    ),
]


@pytest.mark.parametrize(
    ("case", "mint", "expected"), BAD_TOKENS, ids=[case for case, _mint, _ in BAD_TOKENS]
)
def test_every_secured_operation_refuses_bad_tokens(
    case: str, mint: Callable[[], str], expected: int
) -> None:
    from fastapi.testclient import TestClient

    token = mint()
    operations = _secured_operations()
    assert operations, "the service declares no secured operation"
    with TestClient(APP) as http:
        for method, url in operations:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = http.request(method, url, headers=headers)
            tally("hostile", f"{method} {url}", response.status_code)
            assert response.status_code == expected, (case, method, url, response.status_code)
            assert response.headers["content-type"] == "application/problem+json"
