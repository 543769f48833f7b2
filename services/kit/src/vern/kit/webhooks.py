"""Signed outgoing webhooks (Standard Webhooks, https://www.standardwebhooks.com/).

Vern signs what it tells an outside system (a journal vendor, later the DSAR service's targets)
with the `standardwebhooks` package: HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with a
shared `whsec_...` secret. The `webhook-id` stays the same on every retry of one event, so the
receiver can drop a repeat; the timestamp and signature are made fresh on every attempt, so a retry
an hour later still passes the receiver's five-minute replay window.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
from fastapi import Header
from standardwebhooks import Webhook, WebhookVerificationError

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
# Standard Webhooks asks for secrets of 24 to 64 bytes.
MIN_SECRET_BYTES, MAX_SECRET_BYTES = 24, 64
# Dev-only secret; services refuse to start with it in production.
DEV_WEBHOOK_SECRET = SECRET_PREFIX + base64.b64encode(b"vern-dev-webhook-secret-00000001").decode()

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"

# The three headers as a receiver reads them, for the webhooks a service documents in its OpenAPI
# contract (`FastAPI.webhooks`): one description of the scheme for every sender.
WebhookId = Annotated[
    str,
    Header(
        alias=HEADER_ID,
        description="The event's id: the same on every retry; apply each id once.",
    ),
]
WebhookTimestamp = Annotated[
    str,
    Header(alias=HEADER_TIMESTAMP, description="Seconds since the epoch of this attempt."),
]
WebhookSignature = Annotated[
    str,
    Header(
        alias=HEADER_SIGNATURE,
        description="`v1,<base64 HMAC-SHA256>` of `webhook-id.webhook-timestamp.body`.",
    ),
]


class WebhookRejected(Exception):
    """A webhook whose headers or signature do not verify (or whose body is not JSON)."""


def generate_secret() -> str:
    """A new random `whsec_...` secret (32 bytes) to share with a receiver."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def check_secret(secret: str) -> str:
    """Returns `secret` if it is a well-formed `whsec_` secret of 24 to 64 bytes; else ValueError
    (which never quotes the secret)."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret starts with 'whsec_'")
    try:
        raw = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret is 'whsec_' followed by base64") from None
    if not MIN_SECRET_BYTES <= len(raw) <= MAX_SECRET_BYTES:
        raise ValueError("a webhook secret holds 24 to 64 bytes")
    return secret


def encode_body(payload: Any) -> bytes:
    """The exact bytes that are signed and sent: compact JSON, UTF-8."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, *, webhook_id: str, body: bytes, timestamp: datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for one delivery attempt of `body`."""
    if timestamp.tzinfo is None:
        raise ValueError("give a timezone-aware timestamp")
    at = timestamp.astimezone(UTC)  # the package reads the wall time as UTC
    signature = Webhook(secret).sign(webhook_id, at, body.decode())
    return {
        HEADER_ID: webhook_id,
        HEADER_TIMESTAMP: str(int(at.timestamp())),
        HEADER_SIGNATURE: signature,
    }


def verify(secret: str, *, body: bytes, headers: Mapping[str, str]) -> Any:
    """Verifies a received webhook and returns its parsed JSON body; raises WebhookRejected."""
    try:
        return Webhook(secret).verify(body, dict(headers))
    except (WebhookVerificationError, ValueError, UnicodeDecodeError, binascii.Error) as exc:
        # ValueError covers a malformed signature header and a body that is not JSON.
        raise WebhookRejected(str(exc) or type(exc).__name__) from None


class WebhookClient:
    """Posts signed events to one receiver's URL; the outbox uses it like a `ServiceClient`.

    One attempt per call: the outbox keeps the event and retries it with backoff, passing the same
    idempotency key (its message id) as the `webhook-id` every time. Redirects are not followed.
    """

    def __init__(
        self,
        *,
        url: str,
        secret: str,
        timeout_seconds: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = url
        self._secret = check_secret(secret)
        self._client = httpx.Client(
            timeout=timeout_seconds, transport=transport, follow_redirects=False
        )

    def post(self, path: str, *, json: Any, idempotency_key: str | None = None) -> httpx.Response:
        """Signs and sends `json` to the receiver's URL (plus `path`, usually empty); raises
        httpx.HTTPStatusError unless the receiver answers 2xx."""
        if not idempotency_key:
            raise ValueError("a webhook needs a stable id: pass idempotency_key")
        body = encode_body(json)
        headers = sign(
            self._secret, webhook_id=idempotency_key, body=body, timestamp=datetime.now(UTC)
        )
        request = self._client.build_request(
            "POST",
            self._url + path,
            content=body,
            headers={**headers, "Content-Type": "application/json"},
        )
        response = self._client.send(request)
        if not response.is_success:
            raise httpx.HTTPStatusError(
                f"the receiver answered {response.status_code}",
                request=request,
                response=response,
            )
        return response

    def close(self) -> None:
        self._client.close()
