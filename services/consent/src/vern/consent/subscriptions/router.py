"""Public newsletter pages and API, no login: subscribe (double opt-in), confirm, one-click
unsubscribe (RFC 8058) and a new unsubscribe link for someone who lost theirs."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request, Response, status
from fastapi.responses import HTMLResponse

from vern.consent.identifiers import normalise_email
from vern.consent.lists import service as list_service
from vern.consent.subscriptions import service as subscription_service
from vern.consent.subscriptions.dependencies import (
    ClientNetwork,
    RateLimiter,
    Settings,
    confirmation_valid_for,
    links_of,
    schedule_mail,
)
from vern.consent.subscriptions.pages import HTML_RESPONSE, page
from vern.consent.subscriptions.schemas import SubscriptionRequest, SubscriptionRequested
from vern.consent.subscriptions.tokens import TOKEN_PATTERN
from vern.kit.db import SessionDep
from vern.kit.dependencies import ProfileDep, VaultDep
from vern.kit.errors import (
    InvalidInput,
    Problem,
    TooManyRequests,
    problem_response,
    problem_responses,
)
from vern.kit.ratelimit import RateLimited

router = APIRouter(tags=["subscriptions"])
_TOKEN = re.compile(TOKEN_PATTERN)
ONE_CLICK_BODY = {
    "required": False,
    "content": {
        media: {
            "schema": {
                "type": "object",
                "properties": {"List-Unsubscribe": {"type": "string", "enum": ["One-Click"]}},
            }
        }
        for media in ("application/x-www-form-urlencoded", "multipart/form-data")
    },
}


# A form with a bad address gets the page again (HTML); a request without the field at all gets
# the usual problem+json.
_FORM_INVALID = problem_responses(InvalidInput)[422]
_FORM_INVALID = {
    **_FORM_INVALID,
    "content": {**_FORM_INVALID["content"], **HTML_RESPONSE["content"]},
}


# Past the kit's rate limit (problem+json) or the mail-sending forms' own (the page again).
_TOO_MANY = problem_responses(TooManyRequests)[429]
_TOO_MANY = {**_TOO_MANY, "content": {**_TOO_MANY["content"], **HTML_RESPONSE["content"]}}
PUBLIC = RateLimited("public")
LINK = RateLimited("link")


def _too_many_json(retry_after: int) -> Response:
    problem = Problem(
        title=TooManyRequests.title, status=429, detail="too many requests; try again later"
    )
    return problem_response(problem, {"Retry-After": str(retry_after)})


@router.post(
    "/subscriptions",
    response_model=SubscriptionRequested,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(InvalidInput, TooManyRequests),
    dependencies=[PUBLIC],
)
def request_subscription(
    body: SubscriptionRequest,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: Settings,
    vault: VaultDep,
    profile: ProfileDep,
    network: ClientNetwork,
    limiter: RateLimiter,
) -> SubscriptionRequested | Response:
    """Asks for a newsletter (double opt-in): the address gets an e-mail with a link to confirm.
    The answer is the same whether or not the address was known; rate limited per network."""
    retry_after = limiter.hit(network or "unknown")
    if retry_after is not None:
        return _too_many_json(retry_after)
    subscription_service.request_subscription(
        session=session, vault=vault, profile=profile, links=links_of(settings),
        email=body.email, list_id=body.list_id, ip_network=network,
        valid_for=confirmation_valid_for(settings),
    )  # fmt: skip
    schedule_mail(request, background, session)
    return SubscriptionRequested()


@router.get(
    "/subscribe",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 429: _TOO_MANY},
    dependencies=[PUBLIC],
)
def subscribe_page(request: Request, profile: ProfileDep) -> HTMLResponse:
    """A subscription form for the centre's website to link to (or embed as a plain form)."""
    return _subscribe_form(request, profile)


def _subscribe_form(
    request: Request, profile: ProfileDep, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    lists = [
        {"id": key, "name": item.name_nb, "frequency": item.frequency_nb}
        for key, item in profile.newsletter_lists.items()
    ]
    return page(
        request, "subscribe.html", title="Meld deg på nyhetsbrev", lists=lists, error=error,
        status_code=status_code,
    )  # fmt: skip


@router.post(
    "/subscribe",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 422: _FORM_INVALID, 429: _TOO_MANY},
    dependencies=[PUBLIC],
)
def subscribe_by_form(
    email: Annotated[str, Form(max_length=320)],
    list_id: Annotated[str, Form(max_length=64)],
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: Settings,
    vault: VaultDep,
    profile: ProfileDep,
    network: ClientNetwork,
    limiter: RateLimiter,
) -> HTMLResponse:
    """The form's double opt-in: the same as `POST /consent/subscriptions`, answered with a page
    that says the same whatever the address's state; rate limited per network."""
    retry_after = limiter.hit(network or "unknown")
    if retry_after is not None:
        return _too_many_page(request, retry_after)
    try:
        address = normalise_email(email)
    except ValueError:
        address = None
    if address is None or list_id not in profile.newsletter_lists:
        return _subscribe_form(
            request, profile, status_code=422,
            error="Skriv inn en gyldig e-postadresse og velg et nyhetsbrev.",
        )  # fmt: skip
    subscription_service.request_subscription(
        session=session, vault=vault, profile=profile, links=links_of(settings),
        email=address, list_id=list_id, ip_network=network,
        valid_for=confirmation_valid_for(settings),
    )  # fmt: skip
    schedule_mail(request, background, session)
    return page(
        request, "subscribe_sent.html", title="Sjekk e-posten din",
        valid_days=settings.confirmation_valid_days,
    )  # fmt: skip


def _too_many_page(request: Request, retry_after: int) -> HTMLResponse:
    return page(
        request, "too_many.html", title="For mange forespørsler",
        status_code=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(retry_after)},
    )  # fmt: skip


@router.get(
    "/subscriptions/confirm/{token}",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 404: HTML_RESPONSE, 429: _TOO_MANY},
    dependencies=[LINK],
)
def confirmation_page(
    token: str, request: Request, session: SessionDep, vault: VaultDep, profile: ProfileDep
) -> HTMLResponse:
    """The page a confirmation link opens: a button to confirm. Opening it confirms nothing, so
    a link scanner cannot subscribe anyone."""
    subscription = (
        subscription_service.pending_by_token(session=session, vault=vault, token=token)
        if _TOKEN.match(token)
        else None
    )
    if subscription is None:
        return _invalid_link(request)
    newsletter = profile.newsletter_lists.get(subscription.list_id)
    return page(
        request, "confirm.html", title="Bekreft påmelding",
        list_name=newsletter.name_nb if newsletter else subscription.list_id,
        consent_text=list_service.consent_text(profile, subscription.list_id),
    )  # fmt: skip


@router.post(
    "/subscriptions/confirm/{token}",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 404: HTML_RESPONSE, 429: _TOO_MANY},
    dependencies=[LINK],
)
def confirm_subscription(
    token: str, request: Request, session: SessionDep, vault: VaultDep, profile: ProfileDep
) -> HTMLResponse:
    """Confirms the subscription (the consent, with the text shown, goes into the ledger)."""
    subscription = (
        subscription_service.confirm(session=session, vault=vault, profile=profile, token=token)
        if _TOKEN.match(token)
        else None
    )
    if subscription is None:
        return _invalid_link(request)
    newsletter = profile.newsletter_lists.get(subscription.list_id)
    return page(
        request, "confirmed.html", title="Påmeldingen er bekreftet",
        list_name=newsletter.name_nb if newsletter else subscription.list_id,
    )  # fmt: skip


def _invalid_link(request: Request) -> HTMLResponse:
    return page(
        request, "link_invalid.html", title="Lenken virker ikke",
        status_code=status.HTTP_404_NOT_FOUND,
    )  # fmt: skip


@router.get(
    "/unsubscribe",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 429: _TOO_MANY},
    dependencies=[PUBLIC],
)
def lost_link_page(request: Request, profile: ProfileDep) -> HTMLResponse:
    """For someone who no longer has the newsletter with the link: ask for a new one."""
    return _lost_link(request, profile)


def _lost_link(
    request: Request, profile: ProfileDep, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    return page(
        request, "lost_link.html", title="Få en ny lenke for å melde deg av",
        error=error, contact_email=profile.controller.email, status_code=status_code,
    )  # fmt: skip


@router.post(
    "/unsubscribe",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 422: _FORM_INVALID, 429: _TOO_MANY},
    dependencies=[PUBLIC],
)
def send_unsubscribe_link(
    email: Annotated[str, Form(max_length=320)],
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: Settings,
    vault: VaultDep,
    profile: ProfileDep,
    network: ClientNetwork,
    limiter: RateLimiter,
) -> HTMLResponse:
    """Mails the address a link to unsubscribe. The page says the same whether or not the
    address receives anything; rate limited per network."""
    retry_after = limiter.hit(network or "unknown")
    if retry_after is not None:
        return _too_many_page(request, retry_after)
    try:
        address = normalise_email(email)
    except ValueError:
        return _lost_link(
            request, profile, error="Skriv inn en gyldig e-postadresse.",
            status_code=422,
        )  # fmt: skip
    subscription_service.send_unsubscribe_links(
        session=session, vault=vault, profile=profile, links=links_of(settings), email=address
    )
    schedule_mail(request, background, session)
    return page(request, "lost_link_sent.html", title="Sjekk e-posten din")


@router.get(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 429: _TOO_MANY},
    dependencies=[LINK],
)
def unsubscribe_page(token: str, request: Request) -> HTMLResponse:
    """The page the link in a newsletter opens: a button to unsubscribe. Opening it changes
    nothing, and it looks the same for any token."""
    return page(request, "unsubscribe.html", title="Meld deg av nyhetsbrevet")


@router.post(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    responses={200: HTML_RESPONSE, 429: _TOO_MANY},
    openapi_extra={"requestBody": ONE_CLICK_BODY},
    dependencies=[LINK],
)
def unsubscribe(token: str, request: Request, session: SessionDep, vault: VaultDep) -> HTMLResponse:
    """One-click unsubscribe (RFC 8058): deletes the address from the list at once. Takes a
    form-urlencoded or multipart `List-Unsubscribe=One-Click` body, or none; needs no cookie or
    login; answers 200 without a redirect, the same for an unknown or used token."""
    if _TOKEN.match(token):
        subscription_service.unsubscribe(session=session, vault=vault, token=token)
    return page(request, "unsubscribed.html", title="Du er meldt av")
