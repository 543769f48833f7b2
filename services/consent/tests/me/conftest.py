"""E-mail proofs as dsar makes them, signed with a test P-256 key whose JWKS is served to consent
through its real fetch path (an httpx transport standing in for dsar)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from vern.consent.config import ConsentSettings
from vern.consent.me.proof import PROOF_TYPE, EmailProofVerifier

ADDRESS = "Kari.Holm@Example.org"
NORMALISED = "kari.holm@example.org"
NNIN = "14038543882"
SUB = "c7dbabb3-c731-42a0-ae2e-c9e24cb94e09"
DSAR = "urn:vern:dsar"


class Dsar:
    """dsar's published keys as the test sets them, and how often consent fetched them."""

    def __init__(self) -> None:
        self.key = ECKey.generate_key("P-256", parameters={"kid": "dsar-test-1"})
        self.published = [self.key]
        self.fetches = 0
        self.up = True

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/dsar/.well-known/jwks.json"
        self.fetches += 1
        if not self.up:
            return httpx.Response(503)
        return httpx.Response(200, json=KeySet(list(self.published)).as_dict(private=False))

    def rotate(self) -> None:
        self.key = ECKey.generate_key("P-256", parameters={"kid": f"dsar-test-{uuid.uuid4()}"})
        self.published.append(self.key)

    def proof(
        self,
        *,
        key: ECKey | None = None,
        typ: str = PROOF_TYPE,
        alg: str = "ES256",
        **claims: Any,
    ) -> str:
        """A proof as dsar signs it; a claim given as None is left out."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": DSAR,
            "aud": [DSAR, "urn:vern:consent"],
            "sub": SUB,
            "email": NORMALISED,
            "iat": now,
            "exp": now + 1800,
            "jti": uuid.uuid4().hex,
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        signer = key or self.key
        header = {"alg": alg, "kid": signer.kid, "typ": typ}
        return jwt.encode(header, payload, signer, algorithms=[alg])


@pytest.fixture
def dsar(vern_app: FastAPI, vern_settings: ConsentSettings) -> Iterator[Dsar]:
    fake = Dsar()
    settings = vern_settings.model_copy(
        update={"dsar_jwks_url": "http://dsar.test/dsar/.well-known/jwks.json"}
    )
    before = vern_app.state.email_proof_verifier
    vern_app.state.email_proof_verifier = EmailProofVerifier(
        settings, transport=httpx.MockTransport(fake.handle)
    )
    yield fake
    vern_app.state.email_proof_verifier = before
