"""The services a data request reaches (registry, consent), called with client-credentials tokens."""

from __future__ import annotations

import httpx

from vern.dsar.config import DsarSettings
from vern.kit.http import ClientCredentials, ServiceClient

REGISTRY = "registry"
CONSENT = "consent"


def peers(
    settings: DsarSettings,
    *,
    credentials: ClientCredentials | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, ServiceClient]:
    """One client per service; tests pass fixed `credentials` and a mock `transport`."""
    credentials = credentials or ClientCredentials(settings)
    return {
        REGISTRY: ServiceClient(
            settings,
            base_url=settings.registry_url,
            resource=settings.registry_audience,
            scope="registry:internal",
            credentials=credentials,
            transport=transport,
        ),
        CONSENT: ServiceClient(
            settings,
            base_url=settings.consent_url,
            resource=settings.consent_audience,
            scope="consent:internal",
            credentials=credentials,
            transport=transport,
        ),
    }
