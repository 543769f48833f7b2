"""The one factory for calls to other services: timeouts, retries, client-credentials tokens."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Mapping
from typing import Any, Protocol

import httpx
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from vern.kit.requestid import HEADER as REQUEST_ID_HEADER
from vern.kit.requestid import current_request_id
from vern.kit.settings import ServiceSettings

RETRY_STATUSES = frozenset({502, 503, 504})


class TokenSource(Protocol):
    """Gives an access token for a resource and scope (client credentials, or a test's fixed token)."""

    def token(self, resource: str, scope: str) -> str: ...


class ClientCredentials:
    """Fetches and caches client-credentials access tokens per resource (audience)."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}
        self._token_endpoint: str | None = None
        self._lock = threading.Lock()

    def token(self, resource: str, scope: str) -> str:
        key = (resource, scope)
        with self._lock:
            cached = self._tokens.get(key)
            if cached and cached[1] > time.time() + 30:
                return cached[0]
            # A plain RFC 6749 §4.4 request: authlib's httpx integration is deprecated upstream.
            response = httpx.post(
                self._endpoint(),
                data={"grant_type": "client_credentials", "scope": scope, "resource": resource},
                auth=httpx.BasicAuth(self._settings.client_id, self._settings.client_secret),
                timeout=self._settings.http_timeout_seconds,
            )
            response.raise_for_status()
            token = response.json()
            access_token = str(token["access_token"])
            self._tokens[key] = (access_token, time.time() + float(token.get("expires_in", 300)))
            return access_token

    def _endpoint(self) -> str:
        if self._token_endpoint is None:
            url = self._settings.token_issuer.rstrip("/") + "/.well-known/openid-configuration"
            response = httpx.get(url, timeout=self._settings.http_timeout_seconds)
            response.raise_for_status()
            self._token_endpoint = str(response.json()["token_endpoint"])
        return self._token_endpoint


class _BearerAuth(httpx.Auth):
    def __init__(self, credentials: TokenSource, resource: str, scope: str) -> None:
        self._credentials, self._resource, self._scope = credentials, resource, scope

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = (
            f"Bearer {self._credentials.token(self._resource, self._scope)}"
        )
        request_id = current_request_id()
        if request_id:
            request.headers[REQUEST_ID_HEADER] = request_id
        yield request


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code in RETRY_STATUSES


class ServiceClient:
    """Calls one other Vern service. Only idempotent calls are retried (with backoff and jitter)."""

    def __init__(
        self,
        settings: ServiceSettings,
        *,
        base_url: str,
        resource: str,
        scope: str,
        credentials: TokenSource | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._settings = settings
        self._client = httpx.Client(
            base_url=base_url,
            timeout=settings.http_timeout_seconds,
            auth=_BearerAuth(credentials or ClientCredentials(settings), resource, scope),
            transport=transport,
        )

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Sends a request, retrying transport errors and 502/503/504; raises on any error status."""
        for attempt in Retrying(
            stop=stop_after_attempt(self._settings.http_retries),
            wait=wait_random_exponential(multiplier=0.2, max=3.0),
            retry=retry_if_exception(_retryable),
            reraise=True,
        ):
            with attempt:
                response = self._client.request(method, path, **kwargs)
                response.raise_for_status()
        return response

    def post(self, path: str, *, json: Any, idempotency_key: str | None = None) -> httpx.Response:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return self.request("POST", path, json=json, headers=headers)

    def close(self) -> None:
        self._client.close()


def service_clients(
    settings: ServiceSettings,
    targets: Mapping[str, tuple[str, str, str]],
    *,
    credentials: TokenSource | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, ServiceClient]:
    """One client per target, name -> (base URL, resource, scope), sharing one token cache.

    Tests pass fixed `credentials` and a mock `transport`.
    """
    credentials = credentials or ClientCredentials(settings)
    return {
        name: ServiceClient(
            settings,
            base_url=base_url,
            resource=resource,
            scope=scope,
            credentials=credentials,
            transport=transport,
        )
        for name, (base_url, resource, scope) in targets.items()
    }
