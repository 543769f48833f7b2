"""Signs RFC 9068 access tokens with a test key, shaped like the dev IdP's."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

TEST_ISSUER = "https://issuer.test"


class TokenFactory:
    def __init__(self, issuer: str = TEST_ISSUER) -> None:
        self.issuer = issuer
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"}
        )

    def jwks(self) -> dict[str, Any]:
        jwks: dict[str, Any] = dict(KeySet([self.key]).as_dict(private=False))
        return jwks

    def token(
        self,
        *,
        audience: str,
        sub: str | None = None,
        roles: Iterable[str] = (),
        amr: Iterable[str] = ("pwd", "otp"),
        acr: str | None = None,
        scope: str = "",
        nnin: str | None = None,
        client_id: str = "test-client",
        expires_in: int = 300,
        issuer: str | None = None,
        key: RSAKey | None = None,
        typ: str = "at+jwt",
        claims: dict[str, Any] | None = None,
    ) -> str:
        """A signed access token; `claims` overrides or adds claims (None removes one)."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": issuer or self.issuer,
            "aud": audience,
            "sub": sub or str(uuid.uuid4()),
            "client_id": client_id,
            "iat": now,
            "exp": now + expires_in,
            "jti": uuid.uuid4().hex,
            "scope": scope,
        }
        roles = list(roles)
        if roles:
            payload["roles"] = roles
            payload["amr"] = list(amr)
        if nnin is not None:
            payload["nnin"] = nnin
            payload["amr"] = ["BID"]
            payload["acr"] = acr or "urn:bankid:bid;LOA=4"
        elif acr is not None:
            payload["acr"] = acr
        for name, value in (claims or {}).items():
            if value is None:
                payload.pop(name, None)
            else:
                payload[name] = value
        header = {"alg": "RS256", "kid": (key or self.key).kid, "typ": typ}
        return jwt.encode(header, payload, key or self.key)

    def staff(
        self,
        audience: str,
        *roles: str,
        sub: str | None = None,
        second_factor: bool = True,
        expires_in: int = 300,
    ) -> str:
        amr = ("pwd", "otp") if second_factor else ("pwd",)
        return self.token(
            audience=audience,
            roles=roles or ("counsellor",),
            sub=sub,
            amr=amr,
            expires_in=expires_in,
        )

    def machine(
        self, audience: str, scope: str, client_id: str = "vern-test", expires_in: int = 300
    ) -> str:
        return self.token(
            audience=audience,
            scope=scope,
            client_id=client_id,
            sub=client_id,
            expires_in=expires_in,
        )

    def client(
        self, audience: str, nnin: str, sub: str | None = None, *, acr: str | None = None
    ) -> str:
        return self.token(audience=audience, nnin=nnin, sub=sub, acr=acr)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class AuthHeaders:
    """Authorization headers with tokens for one service's audience (the plugin's `auth` fixture)."""

    def __init__(
        self, factory: TokenFactory, audience: str, *, internal_scope: str | None = None
    ) -> None:
        self.factory = factory
        self.audience = audience
        self.internal_scope = internal_scope

    def staff(
        self, *roles: str, sub: str | None = None, second_factor: bool = True
    ) -> dict[str, str]:
        """A staff member's token (a counsellor's when no roles are given)."""
        return _bearer(
            self.factory.staff(self.audience, *roles, sub=sub, second_factor=second_factor)
        )

    def machine(self, scope: str | None = None, client_id: str = "vern-test") -> dict[str, str]:
        """A client-credentials token, by default with the service's internal scope."""
        scope = scope if scope is not None else self.internal_scope
        if scope is None:
            raise TypeError("machine() needs a scope: no internal_scope was given")
        return _bearer(self.factory.machine(self.audience, scope, client_id=client_id))

    def client(
        self, nnin: str, sub: str | None = None, *, acr: str | None = None
    ) -> dict[str, str]:
        """A client's (data subject's) BankID token."""
        return _bearer(self.factory.client(self.audience, nnin, sub, acr=acr))

    def other_audience(
        self, audience: str = "urn:vern:registry", role: str = "manager"
    ) -> dict[str, str]:
        """A staff token for another service's audience (by default the registry's)."""
        assert audience != self.audience, "pass an audience other than this service's"
        return _bearer(self.factory.staff(audience, role))


Tokens = AuthHeaders  # the name the services' tests annotate `auth` with


class FixedToken:
    """A `vern.kit.http.TokenSource` for tests: one fixed token, remembering what was asked for."""

    def __init__(self, token: str = "test-service-token") -> None:  # noqa: S107 - a test token
        self.value = token
        self.asked: set[tuple[str, str]] = set()

    def token(self, resource: str, scope: str) -> str:
        self.asked.add((resource, scope))
        return self.value
