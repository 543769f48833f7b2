"""Token verification: hostile shapes are 401s (never 500s), and keys are refetched only for an
unknown `kid`, not per request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from joserfc.jwk import KeySet, RSAKey

from vern.kit.auth import TokenVerifier
from vern.kit.errors import NotAuthenticated
from vern.kit.settings import ServiceSettings, TrustedIssuer
from vern.kit.testing.tokens import TEST_ISSUER, TokenFactory

AUDIENCE = "urn:vern:test"


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


class CountingJwks:
    def __init__(self, factory: TokenFactory) -> None:
        self.keys = [factory.key]
        self.fetches = 0

    def __call__(self, _issuer: TrustedIssuer) -> dict[str, Any]:
        self.fetches += 1
        return dict(KeySet(self.keys).as_dict(private=False))


@pytest.fixture
def factory() -> TokenFactory:
    return TokenFactory(TEST_ISSUER)


def verifier(jwks: CountingJwks) -> TokenVerifier:
    settings = ServiceSettings(
        environment="test", audience=AUDIENCE, issuers=[TrustedIssuer(issuer=TEST_ISSUER)]
    )
    return TokenVerifier(settings, fetch=jwks)


@pytest.mark.parametrize(
    "token",
    [
        f"{_b64({'alg': 'RS256', 'typ': 'at+jwt'})}.{_b64([1, 2])}.c2ln",
        f"{_b64({'alg': 'RS256', 'typ': 7})}.{_b64({'iss': TEST_ISSUER})}.c2ln",
        f"{_b64({'alg': 'none', 'typ': 'at+jwt'})}.{_b64({'iss': TEST_ISSUER, 'aud': AUDIENCE, 'sub': 'x'})}.",
        "a.b",
        "....",
    ],
)
def test_hostile_token_shapes_are_refused_as_unauthenticated(
    factory: TokenFactory, token: str
) -> None:
    with pytest.raises(NotAuthenticated):
        verifier(CountingJwks(factory)).verify(token)


def test_keys_are_fetched_once_and_again_only_for_an_unknown_kid(factory: TokenFactory) -> None:
    jwks = CountingJwks(factory)
    check = verifier(jwks)
    for _ in range(5):
        assert check.verify(factory.staff(AUDIENCE, "manager")).roles == {"manager"}
    assert jwks.fetches == 1
    rotated = RSAKey.generate_key(2048, parameters={"kid": "rotated", "alg": "RS256"})
    jwks.keys.append(rotated)
    check._issuers[TEST_ISSUER]._fetched_at -= 60  # past the refetch interval
    assert check.verify(factory.token(audience=AUDIENCE, roles=["dpo"], key=rotated)).roles == {
        "dpo"
    }
    assert jwks.fetches == 2


def test_a_token_signed_by_a_key_the_issuer_does_not_publish_is_refused(
    factory: TokenFactory,
) -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "test-key", "alg": "RS256"})
    with pytest.raises(NotAuthenticated, match="signature"):
        verifier(CountingJwks(factory)).verify(
            factory.token(audience=AUDIENCE, roles=["manager"], key=stranger)
        )


def _hs256_with_the_public_key(factory: TokenFactory) -> str:
    """Algorithm confusion: HMAC-signed with the issuer's public key (PEM) as the shared secret."""
    now = int(time.time())
    claims = {"iss": TEST_ISSUER, "aud": AUDIENCE, "sub": "x", "iat": now, "exp": now + 300,
              "roles": ["manager"], "amr": ["otp"]}  # fmt: skip
    signing_input = f"{_b64({'alg': 'HS256', 'kid': 'test-key', 'typ': 'at+jwt'})}.{_b64(claims)}"
    secret = factory.key.as_pem(private=False)
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


@pytest.mark.parametrize(
    ("case", "make", "reason"),
    [
        (
            "alg none",
            lambda f: (
                f"{_b64({'alg': 'none', 'typ': 'at+jwt'})}.{_b64({'iss': TEST_ISSUER, 'aud': AUDIENCE, 'sub': 'x', 'iat': int(time.time()), 'exp': int(time.time()) + 60})}."
            ),
            "signature",
        ),
        ("HS256 with the public key", _hs256_with_the_public_key, "signature"),
        (
            "a key the issuer does not publish",
            lambda f: f.token(
                audience=AUDIENCE,
                roles=["manager"],
                key=RSAKey.generate_key(2048, parameters={"kid": "test-key", "alg": "RS256"}),
            ),
            "signature",
        ),
        (
            "an issuer not trusted",
            lambda f: f.token(audience=AUDIENCE, roles=["manager"], issuer="https://evil.test"),
            "issuer",
        ),
        (
            "expired",
            lambda f: f.token(audience=AUDIENCE, roles=["manager"], expires_in=-120),
            "exp",
        ),
        (
            "issued in the future",
            lambda f: f.token(
                audience=AUDIENCE, roles=["manager"], claims={"iat": int(time.time()) + 600}
            ),
            "iat",
        ),
        (
            "without iat",
            lambda f: f.token(audience=AUDIENCE, roles=["manager"], claims={"iat": None}),
            "iat",
        ),
        (
            "without exp",
            lambda f: f.token(audience=AUDIENCE, roles=["manager"], claims={"exp": None}),
            "exp",
        ),
        (
            "not before a time to come",
            lambda f: f.token(
                audience=AUDIENCE, roles=["manager"], claims={"nbf": int(time.time()) + 600}
            ),
            "nbf",
        ),
        (
            "for another audience",
            lambda f: f.token(audience="urn:vern:registry", roles=["manager"]),
            "aud",
        ),
        (
            "for no audience",
            lambda f: f.token(audience=AUDIENCE, roles=["manager"], claims={"aud": None}),
            "aud",
        ),
        (
            "an ID token, not an access token",
            lambda f: f.token(audience=AUDIENCE, roles=["manager"], typ="JWT"),
            "RFC 9068",
        ),
        (
            "a string exp",
            lambda f: f.token(audience=AUDIENCE, roles=["manager"], claims={"exp": "tomorrow"}),
            "exp",
        ),
    ],
)
def test_tokens_that_must_not_pass_are_refused_as_unauthenticated(
    factory: TokenFactory, case: str, make: Any, reason: str
) -> None:
    with pytest.raises(NotAuthenticated, match=reason):
        verifier(CountingJwks(factory)).verify(make(factory))


def test_a_token_within_the_leeway_passes(factory: TokenFactory) -> None:
    slightly_ahead = factory.token(
        audience=AUDIENCE, roles=["manager"], claims={"iat": int(time.time()) + 10}
    )
    assert verifier(CountingJwks(factory)).verify(slightly_ahead).roles == {"manager"}
