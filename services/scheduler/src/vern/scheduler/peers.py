"""The services the scheduler's jobs call (the registry), with client-credentials tokens."""

from __future__ import annotations

import httpx

from vern.kit.http import ClientCredentials, ServiceClient
from vern.scheduler.config import SchedulerSettings

REGISTRY = "registry"


def peers(
    settings: SchedulerSettings,
    *,
    credentials: ClientCredentials | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, ServiceClient]:
    """One client per service; tests pass fixed `credentials` and a mock `transport`."""
    return {
        REGISTRY: ServiceClient(
            settings,
            base_url=settings.registry_url,
            resource=settings.registry_audience,
            scope="registry:internal",
            credentials=credentials,
            transport=transport,
        )
    }
