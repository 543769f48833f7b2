"""Verifies a client's e-mail proof: a short-lived JWS dsar signs once the client has typed the
code dsar mailed to the address, checked against dsar's published keys (joserfc)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jws import extract_compact

from vern.consent.config import ConsentSettings
from vern.consent.identifiers import normalise_email
from vern.kit.auth import IssuerKeys
from vern.kit.errors import Forbidden, NotAuthenticated, UpstreamUnavailable
from vern.kit.settings import TrustedIssuer

PROOF_TYPE = "vern-email-proof+jwt"
ALGORITHMS = ["ES256"]
# A compact JWS: three base64url parts (the payload holds the address, so it is never logged).
PROOF_PATTERN = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
PROOF_MAX_LENGTH = 4096


def fetch_jwks(
    url: str, *, timeout: float, transport: httpx.BaseTransport | None = None
) -> dict[str, Any]:
    """dsar's JWKS (its receipt and e-mail proof keys)."""
    with httpx.Client(timeout=timeout, transport=transport) as client:
        response = client.get(url)
        response.raise_for_status()
        keys: dict[str, Any] = response.json()
        return keys


class EmailProofVerifier:
    """Checks a proof's signature, `typ`, issuer, audience (consent's among them), expiry and that
    it was made for the caller's login; answers the proven address."""

    def __init__(
        self, settings: ConsentSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        issuer = TrustedIssuer(
            issuer=settings.dsar_proof_issuer, jwks_uri=settings.dsar_jwks_url, kind="machine"
        )
        timeout = settings.http_timeout_seconds
        self._keys = IssuerKeys(
            issuer,
            lambda i: fetch_jwks(str(i.jwks_uri), timeout=timeout, transport=transport),
            settings.jwks_cache_seconds,
        )
        self._audience = settings.audience
        self._leeway = settings.leeway_seconds

    def verify(self, proof: str, *, subject: str) -> str:
        """The normalised address `proof` proves for the login `subject`; 403 otherwise. Reasons
        name a claim, never its value."""
        try:
            typ = extract_compact(proof.encode()).headers().get("typ")
        except (JoseError, ValueError) as exc:
            raise Forbidden("the e-mail proof is malformed") from exc
        if typ != PROOF_TYPE:
            raise Forbidden("the e-mail proof is not an e-mail proof from dsar (typ)")
        claims = self._decode(proof).claims
        registry = jwt.JWTClaimsRegistry(
            leeway=self._leeway,
            iss={"essential": True, "value": self._keys.issuer.issuer},
            aud={"essential": True, "value": self._audience},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
            email={"essential": True},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            claim = getattr(exc, "claim", None)
            reason = f"{exc.error}: {claim}" if claim else exc.error
            raise Forbidden(f"the e-mail proof is not valid here ({reason})") from exc
        if claims["sub"] != subject:
            raise Forbidden("the e-mail proof was made for another login")
        try:
            return normalise_email(str(claims["email"]))
        except ValueError as exc:
            raise Forbidden("the e-mail proof is not valid here (invalid_claim: email)") from exc

    def _decode(self, proof: str) -> jwt.Token:
        try:
            try:
                return jwt.decode(proof, self._keys.get(), algorithms=ALGORITHMS)
            except InvalidKeyIdError:
                return jwt.decode(proof, self._keys.get(refresh=True), algorithms=ALGORITHMS)
        except NotAuthenticated as exc:
            raise UpstreamUnavailable("dsar's keys for e-mail proofs could not be fetched") from exc
        except (JoseError, ValueError, json.JSONDecodeError) as exc:
            raise Forbidden("the e-mail proof's signature is not valid") from exc
