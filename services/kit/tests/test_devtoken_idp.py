"""The dev IdP (deploy/dev-idp) gives `vern token` RFC 9068 access tokens verifiable by its JWKS."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from vern.kit import devtoken

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
IDP_DIR = REPO / "deploy" / "dev-idp"
PERSONAS = IDP_DIR / "personas.json"
STARTUP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class DevIdp:
    issuer: str
    jwks: KeySet
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_discovery(issuer: str, process: subprocess.Popen[bytes]) -> dict[str, Any]:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dev IdP exited with {process.returncode}")
        try:
            response = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1.0)
            if response.status_code == httpx.codes.OK:
                metadata: dict[str, Any] = response.json()
                return metadata
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"dev IdP did not answer discovery within {STARTUP_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevIdp]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("run `npm ci` in deploy/dev-idp first")
    port = _free_port()
    issuer = f"http://localhost:{port}"
    log = tmp_path_factory.mktemp("dev-idp") / "idp.log"
    env = {**os.environ, "PORT": str(port), "ISSUER": issuer, "NODE_ENV": "development"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [node, "server.js"], cwd=IDP_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        metadata = _wait_for_discovery(issuer, process)
        assert metadata["issuer"] == issuer
        jwks = KeySet.import_key_set(httpx.get(metadata["jwks_uri"], timeout=5.0).json())
        yield DevIdp(issuer=issuer, jwks=jwks, log=log)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _personas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(devtoken.PERSONAS_ENV, str(PERSONAS))


def _verified(token: str, idp: DevIdp, audience: str) -> tuple[dict[str, Any], dict[str, Any]]:
    decoded = jwt.decode(token, idp.jwks, algorithms=["RS256"])
    claims_registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": idp.issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        iat={"essential": True},
        jti={"essential": True},
        sub={"essential": True},
        client_id={"essential": True},
    )
    claims_registry.validate(decoded.claims)
    return dict(decoded.header), dict(decoded.claims)


def test_counsellor_token_carries_roles_and_second_factor(idp: DevIdp) -> None:
    token = devtoken.fetch_persona_token("counsellor", issuer=idp.issuer)

    header, claims = _verified(token, idp, "urn:vern:registry")

    counsellor = devtoken.load_personas()["counsellor"]
    assert header["typ"] == "at+jwt"
    assert header["alg"] == "RS256"
    assert claims["sub"] == counsellor["sub"]
    assert claims["client_id"] == devtoken.CLI_CLIENT_ID
    assert claims["scope"] == "registry"
    assert claims["roles"] == ["counsellor"]
    assert claims["amr"] == ["pwd", "otp"]
    assert claims["acr"] == counsellor["acr"]
    assert "nnin" not in claims


def test_bankid_client_token_carries_nnin_and_high_level(idp: DevIdp) -> None:
    token = devtoken.fetch_persona_token("client1", issuer=idp.issuer, resource="urn:vern:consent")

    header, claims = _verified(token, idp, "urn:vern:consent")

    client1 = devtoken.load_personas()["client1"]
    assert header["typ"] == "at+jwt"
    assert claims["sub"] == client1["sub"]
    assert claims["nnin"] == client1["nnin"]
    assert claims["acr"] == "urn:bankid:bid;LOA=4"
    assert claims["amr"] == ["BID"]
    assert claims["scope"] == "consent"
    assert "roles" not in claims


def test_machine_token_has_only_its_internal_scope_and_no_persona_claims(idp: DevIdp) -> None:
    token = devtoken.fetch_client_token(
        "vern-dsar", "dev-secret-vern-dsar", issuer=idp.issuer, resource="urn:vern:registry"
    )

    header, claims = _verified(token, idp, "urn:vern:registry")

    assert header["typ"] == "at+jwt"
    assert claims["sub"] == claims["client_id"] == "vern-dsar"
    assert claims["scope"] == "registry:internal"
    assert not {"roles", "amr", "acr", "nnin"} & claims.keys()


def test_machine_client_cannot_reach_a_resource_it_was_not_given(idp: DevIdp) -> None:
    with pytest.raises(devtoken.DevTokenError, match="invalid_target"):
        devtoken.fetch_client_token(
            "journal-vendor",
            "dev-secret-journal-vendor",
            issuer=idp.issuer,
            resource="urn:vern:consent",
        )


def test_wrong_password_is_refused(
    idp: DevIdp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads(PERSONAS.read_text(encoding="utf-8"))
    document["personas"][0]["password"] = "not-the-password"
    wrong = tmp_path / "personas.json"
    wrong.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv(devtoken.PERSONAS_ENV, str(wrong))

    with pytest.raises(devtoken.DevTokenError, match="refused the password"):
        devtoken.fetch_persona_token(document["personas"][0]["username"], issuer=idp.issuer)


def test_idp_log_holds_no_persona_data(idp: DevIdp) -> None:
    devtoken.fetch_persona_token("client2", issuer=idp.issuer)

    log = idp.log.read_text(encoding="utf-8")
    assert "dev-idp listening on" in log
    for persona in devtoken.load_personas().values():
        for field in ("password", "name", "email", "phone", "nnin"):
            value = persona.get(field)
            if value:
                assert str(value) not in log, f"the IdP log holds a persona's {field}"
