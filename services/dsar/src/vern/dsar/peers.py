"""The services a data request reaches (registry, consent), called with client-credentials tokens."""

from __future__ import annotations

import httpx
from fastapi import Request

from vern.dsar.config import DsarSettings
from vern.dsar.receipts.signing import ReceiptSigner
from vern.dsar.tasks.service import Targets, claim_lease
from vern.kit.http import ServiceClient, TokenSource, service_clients
from vern.kit.webhooks import WebhookClient

REGISTRY = "registry"
CONSENT = "consent"


def peers(
    settings: DsarSettings,
    *,
    credentials: TokenSource | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, ServiceClient]:
    """One client per service; tests pass fixed `credentials` and a mock `transport`."""
    return service_clients(
        settings,
        {
            REGISTRY: (settings.registry_url, settings.registry_audience, "registry:internal"),
            CONSENT: (settings.consent_url, settings.consent_audience, "consent:internal"),
        },
        credentials=credentials,
        transport=transport,
    )


def journal_vendor(settings: DsarSettings) -> WebhookClient:
    """The journal vendor's webhook; used only where the profile turns `journal_vendor` on."""
    return WebhookClient(
        url=settings.journal_webhook_url,
        secret=settings.journal_webhook_secret,
        timeout_seconds=settings.http_timeout_seconds,
    )


def targets_of(request: Request) -> Targets:
    """The app's clients for a request's calls."""
    state = request.app.state
    settings: DsarSettings = state.settings
    return Targets(
        services=state.peers,
        vendor=state.journal_vendor,
        signer=state.receipt_signer,
        lease=claim_lease(
            timeout_seconds=settings.http_timeout_seconds, retries=settings.http_retries
        ),
    )


def receipt_signer(settings: DsarSettings) -> ReceiptSigner:
    """The signer of erasure receipts, with the key from settings."""
    return ReceiptSigner(
        settings.receipt_signing_key,
        issuer=settings.audience,
        retired_keys=list(settings.receipt_retired_keys),
    )
