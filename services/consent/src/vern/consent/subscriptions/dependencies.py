"""What the public subscription pages need: links and the rate limit, from the app's state."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated

from fastapi import BackgroundTasks, Depends, FastAPI, Request
from sqlmodel import Session

from vern.consent.config import ConsentSettings
from vern.consent.mail import service as mail_service
from vern.consent.subscriptions.network import truncate_ip
from vern.consent.subscriptions.ratelimit import FormRateLimiter
from vern.consent.subscriptions.service import Links


def settings_of(request: Request) -> ConsentSettings:
    settings: ConsentSettings = request.app.state.settings
    return settings


def links_of(settings: ConsentSettings) -> Links:
    return Links(
        base_url=settings.public_base_url,
        mail_from=settings.mail_from,
        unsubscribe_mailto=settings.unsubscribe_mailto,
        unsubscribe_page_url=settings.unsubscribe_page_url,
    )


def smtp_of(settings: ConsentSettings) -> mail_service.SmtpServer:
    return mail_service.SmtpServer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        start_tls=settings.smtp_start_tls,
        username=settings.smtp_username,
        password=settings.smtp_password,
        timeout=settings.smtp_timeout_seconds,
    )


def confirmation_valid_for(settings: ConsentSettings) -> timedelta:
    return timedelta(days=settings.confirmation_valid_days)


def client_network(request: Request) -> str | None:
    """The caller's truncated network. Behind a proxy, run uvicorn with --proxy-headers (and
    --forwarded-allow-ips) so that this is the subscriber's address, not the proxy's."""
    return truncate_ip(request.client.host if request.client else None)


def rate_limiter(request: Request) -> FormRateLimiter:
    limiter: FormRateLimiter = request.app.state.form_rate_limiter
    return limiter


def deliver_mail(app: FastAPI, only: Sequence[uuid.UUID] | None = None) -> dict[str, int]:
    """Sends queued e-mail (only the given messages, if any) in its own session, after the
    request's has committed."""
    settings: ConsentSettings = app.state.settings
    with Session(app.state.engine) as session:
        return mail_service.deliver_due(
            session=session, vault=app.state.vault, server=smtp_of(settings), only=only
        )


def schedule_mail(request: Request, background: BackgroundTasks, session: Session) -> None:
    """Tries to send the e-mail this request queued right after the response (the request has
    committed by then); what fails stays queued for POST /consent/internal/outbox/deliver.
    Only this request's own messages: the rest belong to other requests and to the scheduler."""
    queued = mail_service.queued_ids(session)
    if queued and settings_of(request).deliver_after_commit:
        background.add_task(deliver_mail, request.app, queued)


Settings = Annotated[ConsentSettings, Depends(settings_of)]
ClientNetwork = Annotated[str | None, Depends(client_network)]
RateLimiter = Annotated[FormRateLimiter, Depends(rate_limiter)]
