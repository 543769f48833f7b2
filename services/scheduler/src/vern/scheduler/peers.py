"""The services the scheduler's jobs call (registry, consent, dsar), with client-credentials tokens."""

from __future__ import annotations

import httpx

from vern.kit.http import ServiceClient, TokenSource, service_clients
from vern.scheduler.config import SchedulerSettings

REGISTRY = "registry"
CONSENT = "consent"
DSAR = "dsar"


def peers(
    settings: SchedulerSettings,
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
            DSAR: (settings.dsar_url, settings.dsar_audience, "dsar:internal"),
        },
        credentials=credentials,
        transport=transport,
    )
