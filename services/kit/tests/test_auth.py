"""Token verification: hostile shapes are 401s (never 500s), and keys are refetched only for an
unknown `kid`, not per request."""

from __future__ import annotations

import base64
import json
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
