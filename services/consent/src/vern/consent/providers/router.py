"""Provider sync, run by the scheduler over the internal API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from vern.consent.config import ConsentSettings
from vern.consent.providers import service as provider_service
from vern.consent.providers.clients import MailchimpMembers, NewsletterProvider, SendGridContacts
from vern.consent.providers.schemas import SyncResult
from vern.kit.auth import Principal, require
from vern.kit.clock import now_utc
from vern.kit.db import SessionDep

Internal = Annotated[Principal, Depends(require(kinds={"machine"}, scopes={"consent:internal"}))]
router = APIRouter(prefix="/internal/providers", tags=["internal"])


def build_providers(settings: ConsentSettings) -> dict[str, NewsletterProvider]:
    """A client for each provider whose API key is configured."""
    providers: dict[str, NewsletterProvider] = {}
    timeout, retries = settings.provider_timeout_seconds, settings.provider_retries
    if settings.sendgrid_api_key:
        providers["sendgrid"] = SendGridContacts(
            api_key=settings.sendgrid_api_key,
            base_url=settings.sendgrid_api_url,
            timeout=timeout,
            retries=retries,
        )
    if settings.mailchimp_api_key:
        providers["mailchimp"] = MailchimpMembers(
            api_key=settings.mailchimp_api_key,
            base_url=settings.mailchimp_api_url,
            timeout=timeout,
            retries=retries,
        )
    return providers


def newsletter_providers(request: Request) -> dict[str, NewsletterProvider]:
    state = request.app.state
    if getattr(state, "newsletter_providers", None) is None:
        state.newsletter_providers = build_providers(state.settings)
    providers: dict[str, NewsletterProvider] = state.newsletter_providers
    return providers


@router.post("/sync", response_model=SyncResult)
def sync_providers(
    request: Request,
    session: SessionDep,
    principal: Internal,
    providers: Annotated[dict[str, NewsletterProvider], Depends(newsletter_providers)],
) -> SyncResult:
    """Pushes confirmed subscribers to their lists' providers and removes, by the provider's
    contact id alone, those Vern no longer holds. Safe to repeat."""
    return provider_service.sync(
        session=session, vault=request.app.state.vault, principal=principal,
        profile=request.app.state.profile, providers=providers, now=now_utc(),
    )  # fmt: skip
