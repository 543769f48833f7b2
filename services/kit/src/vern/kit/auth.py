"""Access-token verification (RFC 9068 JWTs from several trusted issuers) and need-to-know guards.

Tokens are verified locally against each issuer's JWKS, which is cached and refetched only when a
token names an unknown `kid` (at most once per `_REFETCH_INTERVAL` per issuer), never per request.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import httpx
from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from vern.kit.errors import Forbidden, NotAuthenticated
from vern.kit.settings import ServiceSettings, TrustedIssuer

PrincipalKind = Literal["staff", "client", "machine"]
STAFF_ROLES = frozenset({"counsellor", "coordinator", "manager", "dpo"})
ALGORITHMS = ["RS256", "PS256", "ES256"]
_REFETCH_INTERVAL = 30.0

JwksFetcher = Callable[[TrustedIssuer], dict[str, Any]]


@dataclass(frozen=True)
class Principal:
    """Who is calling: a staff member, a client (data subject) or a machine."""

    subject: str
    kind: PrincipalKind
    issuer: str
    client_id: str | None = None
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    national_id: str | None = field(default=None, repr=False)
    second_factor: bool = False

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def discover_jwks(issuer: TrustedIssuer) -> dict[str, Any]:
    """Fetches an issuer's JWKS, through OIDC discovery when no `jwks_uri` is configured."""
    with httpx.Client(timeout=5.0) as client:
        jwks_uri = issuer.jwks_uri
        if jwks_uri is None:
            config = client.get(issuer.issuer.rstrip("/") + "/.well-known/openid-configuration")
            config.raise_for_status()
            jwks_uri = str(config.json()["jwks_uri"])
        response = client.get(jwks_uri)
        response.raise_for_status()
        keys: dict[str, Any] = response.json()
        return keys


class IssuerKeys:
    """One issuer's JWKS, cached for `max_age` seconds and refetched early only when asked to
    (a token or proof names an unknown `kid`), at most once per `_REFETCH_INTERVAL`."""

    def __init__(self, issuer: TrustedIssuer, fetch: JwksFetcher, max_age: float) -> None:
        self.issuer = issuer
        self._fetch = fetch
        self._max_age = max_age
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    def get(self, *, refresh: bool = False) -> KeySet:
        with self._lock:
            now = time.monotonic()
            stale = self._keys is None or now - self._fetched_at > self._max_age
            may_refetch = now - self._fetched_at > _REFETCH_INTERVAL
            if stale or (refresh and may_refetch):
                try:
                    self._keys = KeySet.import_key_set(self._fetch(self.issuer))  # type: ignore[arg-type]
                    self._fetched_at = now
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    if self._keys is None:
                        raise NotAuthenticated(
                            "the token issuer's keys could not be fetched"
                        ) from exc
            assert self._keys is not None
            return self._keys


class TokenVerifier:
    """Verifies access tokens for one audience against the configured issuers."""

    def __init__(self, settings: ServiceSettings, fetch: JwksFetcher = discover_jwks) -> None:
        self.settings = settings
        self._issuers = {
            i.issuer: IssuerKeys(i, fetch, settings.jwks_cache_seconds) for i in settings.issuers
        }

    def verify(self, token: str) -> Principal:
        try:
            unverified = extract_compact(token.encode())
            claims_peek = json.loads(unverified.payload)
            typ = unverified.headers().get("typ")
        except (JoseError, ValueError) as exc:
            raise NotAuthenticated("the access token is malformed") from exc
        if not isinstance(claims_peek, dict):
            raise NotAuthenticated("the access token is malformed")
        if not isinstance(typ, str) or typ.lower() not in ("at+jwt", "application/at+jwt"):
            raise NotAuthenticated("the token is not an RFC 9068 access token")
        keys = self._issuers.get(str(claims_peek.get("iss", "")))
        if keys is None:
            raise NotAuthenticated("the token's issuer is not trusted")
        decoded = self._decode(token, keys)
        claims = decoded.claims
        registry = jwt.JWTClaimsRegistry(
            leeway=self.settings.leeway_seconds,
            iss={"essential": True, "value": keys.issuer.issuer},
            aud={"essential": True, "value": self.settings.audience},
            exp={"essential": True},
            iat={"essential": True},  # RFC 9068 §2.2; one issued in the future is refused
            sub={"essential": True},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            claim = getattr(exc, "claim", None)  # a claim's name, never its value
            reason = f"{exc.error}: {claim}" if claim else exc.error
            raise NotAuthenticated(f"the access token is not valid here ({reason})") from exc
        return self._principal(claims, keys.issuer)

    def _decode(self, token: str, keys: IssuerKeys) -> jwt.Token:
        try:
            try:
                return jwt.decode(token, keys.get(), algorithms=ALGORITHMS)
            except InvalidKeyIdError:
                return jwt.decode(token, keys.get(refresh=True), algorithms=ALGORITHMS)
        except JoseError as exc:
            raise NotAuthenticated("the access token's signature is not valid") from exc

    def _principal(self, claims: dict[str, Any], issuer: TrustedIssuer) -> Principal:
        scopes = frozenset(str(claims.get("scope", "")).split())
        amr = _as_set(claims.get("amr"))
        acr = str(claims.get("acr", ""))
        base = Principal(
            subject=str(claims["sub"]),
            kind="machine",
            issuer=issuer.issuer,
            client_id=claims.get("client_id"),
            scopes=scopes,
        )
        national_id = claims.get(issuer.national_id_claim)
        if national_id:
            strong = acr in self.settings.citizen_acr_values
            return replace(base, kind="client", national_id=str(national_id), second_factor=strong)
        roles = _as_set(claims.get(issuer.roles_claim)) & STAFF_ROLES
        if roles:
            second_factor = bool(amr & set(self.settings.second_factor_amr)) or (
                acr != "" and acr in self.settings.staff_acr_values
            )
            return replace(base, kind="staff", roles=frozenset(roles), second_factor=second_factor)
        return base


def _as_set(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return set(value.split())
    return {str(v) for v in value}


bearer = HTTPBearer(
    auto_error=False, bearerFormat="JWT", description="OIDC access token (RFC 9068)"
)


def require(
    *,
    roles: Iterable[str] = (),
    scopes: Iterable[str] = (),
    kinds: Iterable[PrincipalKind] = ("staff",),
) -> Callable[..., Principal]:
    """A dependency admitting principals by kind, staff role and machine scope, for typed aliases:
    `PersonsWrite = Annotated[Principal, Depends(require(roles={"coordinator", "manager"}))]`.

    401 without a valid token for this audience. Staff without a second factor and clients below
    the configured assurance level get 403 on every operation, whatever their roles.
    """
    allowed_roles, required_scopes, allowed_kinds = (
        frozenset(roles),
        frozenset(scopes),
        frozenset(kinds),
    )

    def dependency(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Security(bearer),
    ) -> Principal:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise NotAuthenticated("an access token is required")
        verifier: TokenVerifier = request.app.state.verifier
        principal = verifier.verify(credentials.credentials)
        if principal.kind == "staff" and not principal.second_factor:
            raise Forbidden("staff must log in with a second factor (two-step login) to use Vern")
        if principal.kind == "client" and not principal.second_factor:
            raise Forbidden("log in with BankID (high assurance level) to see your data")
        if principal.kind not in allowed_kinds:
            raise Forbidden("this operation is not open to you")
        if allowed_roles and principal.kind == "staff" and not principal.has_role(*allowed_roles):
            raise Forbidden("your role does not give access to this operation")
        if (
            required_scopes
            and principal.kind == "machine"
            and not required_scopes <= principal.scopes
        ):
            raise Forbidden("the token lacks a required scope")
        request.state.principal = principal
        return principal

    return dependency
