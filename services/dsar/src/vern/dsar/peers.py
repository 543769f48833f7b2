"""The services a data request reaches (registry, consent), called with client-credentials tokens."""

from __future__ import annotations

import httpx

from vern.dsar.config import DsarSettings
from vern.kit.http import ServiceClient, TokenSource, service_clients

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
