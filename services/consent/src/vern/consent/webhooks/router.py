"""Provider webhooks (no login: SendGrid signs its calls, Mailchimp's URL carries a secret)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request

from vern.consent.config import ConsentSettings
from vern.consent.webhooks import service as webhook_service
from vern.consent.webhooks.dependencies import (
    valid_mailchimp_secret,
    verified_sendgrid_body,
    webhook_clock,
)
from vern.consent.webhooks.events import (
    MAILCHIMP,
    SENDGRID,
    MalformedBody,
    parse_mailchimp,
    parse_sendgrid,
)
from vern.consent.webhooks.schemas import WebhookResult, WebhookValidated
from vern.kit.db import SessionDep
from vern.kit.errors import (
    BadRequest,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    problem_responses,
)
from vern.kit.ratelimit import RateLimited

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
WEBHOOK = RateLimited("webhook")

_SENDGRID_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "description": "SendGrid's event batch, signed as sent",
                    "items": {"type": "object"},
                }
            }
        },
    }
}


def _handle(
    request: Request, session: SessionDep, provider: str, batch: Any, now: datetime
) -> WebhookResult:
    settings: ConsentSettings = request.app.state.settings
    return webhook_service.handle(
        session=session, vault=request.app.state.vault, profile=request.app.state.profile,
        provider=provider, batch=batch, now=now,
        retention=timedelta(days=settings.webhook_event_retention_days),
    )  # fmt: skip


@router.post(
    "/sendgrid",
    response_model=WebhookResult,
    responses=problem_responses(BadRequest, Forbidden, PayloadTooLarge, TooManyRequests),
    openapi_extra=_SENDGRID_BODY,
    dependencies=[WEBHOOK],
)
def sendgrid_events(
    request: Request,
    session: SessionDep,
    body: Annotated[bytes, Depends(verified_sendgrid_body)],
    now: Annotated[datetime, Depends(webhook_clock)],
) -> WebhookResult:
    """SendGrid's signed event webhook. Unsubscribes, group unsubscribes, hard bounces, drops and
    spam reports delete the address at once; other events are ignored; a redelivered event
    (same `sg_event_id`) changes nothing. 403 without a valid, fresh signature."""
    try:
        batch = parse_sendgrid(body)
    except MalformedBody as exc:
        raise BadRequest(str(exc)) from exc
    return _handle(request, session, SENDGRID, batch, now)


@router.get(
    "/mailchimp/{secret}",
    response_model=WebhookValidated,
    responses=problem_responses(NotFound, TooManyRequests),
    dependencies=[WEBHOOK, Depends(valid_mailchimp_secret)],
)
def mailchimp_validation() -> WebhookValidated:
    """Mailchimp's check, when the webhook is saved, that the URL answers."""
    return WebhookValidated()


@router.post(
    "/mailchimp/{secret}",
    response_model=WebhookResult,
    responses=problem_responses(NotFound, InvalidInput, TooManyRequests),
    dependencies=[WEBHOOK, Depends(valid_mailchimp_secret)],
)
def mailchimp_event(
    request: Request,
    session: SessionDep,
    now: Annotated[datetime, Depends(webhook_clock)],
    type_: Annotated[str, Form(alias="type", max_length=32)],
    email: Annotated[str | None, Form(alias="data[email]", max_length=254)] = None,
    list_id: Annotated[str | None, Form(alias="data[list_id]", max_length=255)] = None,
    old_email: Annotated[str | None, Form(alias="data[old_email]", max_length=254)] = None,
    new_email: Annotated[str | None, Form(alias="data[new_email]", max_length=254)] = None,
) -> WebhookResult:
    """Mailchimp's audience webhook. `unsubscribe` deletes the address from that audience's list,
    `cleaned` from every list; `upemail` deletes the old address and keeps nothing of the new
    one (it must be subscribed afresh, with double opt-in); `profile` and others are ignored."""
    del new_email  # documented, accepted, never stored
    form = {"type": type_}
    for field, value in (("data[email]", email), ("data[list_id]", list_id),
                         ("data[old_email]", old_email)):  # fmt: skip
        if value is not None:
            form[field] = value
    try:
        batch = parse_mailchimp(form)
    except MalformedBody as exc:
        field, _, message = str(exc).partition(": ")
        raise InvalidInput(str(exc), errors=[FieldError(field=field, message=message)]) from exc
    return _handle(request, session, MAILCHIMP, batch, now)
