"""What a webhook call must show before its body is read: a valid signature or the URL secret."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Header, Request

from vern.consent.config import ConsentSettings
from vern.consent.webhooks.signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SendGridVerifier,
    SignatureRejected,
    load_public_key,
)
from vern.kit.clock import now_utc
from vern.kit.errors import Forbidden, NotFound
from vern.kit.logging import get_logger

log = get_logger(__name__)


def webhook_clock() -> datetime:
    """Now, for the replay window (tests replace it to check SendGrid's published vector)."""
    return now_utc()


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature covers these bytes, not a re-serialisation."""
    return await request.body()


@lru_cache(maxsize=4)
def _verifier(public_key: str, max_age: int, max_future: int) -> SendGridVerifier:
    return SendGridVerifier(
        load_public_key(public_key),
        max_age=timedelta(seconds=max_age),
        max_future=timedelta(seconds=max_future),
    )


def verified_sendgrid_body(
    request: Request,
    body: Annotated[bytes, Depends(raw_body)],
    now: Annotated[datetime, Depends(webhook_clock)],
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER)] = None,
    timestamp: Annotated[str | None, Header(alias=TIMESTAMP_HEADER)] = None,
) -> bytes:
    """The raw body of a SendGrid call signed by the configured key within the replay window;
    403 otherwise, before anything is read from the body."""
    settings: ConsentSettings = request.app.state.settings
    if not settings.sendgrid_webhook_public_key:
        raise Forbidden("the SendGrid webhook is not configured")
    verifier = _verifier(
        settings.sendgrid_webhook_public_key,
        settings.sendgrid_webhook_max_age_seconds,
        settings.sendgrid_webhook_max_future_seconds,
    )
    try:
        verifier.verify(body=body, signature=signature, timestamp=timestamp, now=now)
    except SignatureRejected as exc:
        log.warning("sendgrid webhook refused", reason=str(exc))
        raise Forbidden(f"the request is not signed by SendGrid: {exc}") from exc
    return body


def valid_mailchimp_secret(request: Request, secret: str) -> None:
    """404 unless the path's secret is the configured one, compared in constant time (a wrong
    secret looks like no endpoint at all)."""
    settings: ConsentSettings = request.app.state.settings
    expected = settings.mailchimp_webhook_secret
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise NotFound("no such webhook")
