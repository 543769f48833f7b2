"""Delivery of the registry's outbox to the services it calls (consent) and to the journal
vendor's webhook."""

from __future__ import annotations

from fastapi import BackgroundTasks, FastAPI, Request

from vern.kit import outbox
from vern.kit.http import ServiceClient, service_clients
from vern.registry.config import RegistrySettings
from vern.registry.journal import events as journal_events


def peers(settings: RegistrySettings) -> dict[str, ServiceClient]:
    return service_clients(
        settings, {"consent": (settings.consent_url, settings.consent_audience, "consent:internal")}
    )


def deliver(app: FastAPI) -> dict[str, int]:
    counts = outbox.deliver_due(app.state.engine, app.state.vault, app.state.peers)
    journal_events.forget_delivered(app.state.engine, app.state.vault)
    return counts


def schedule_delivery(request: Request, background: BackgroundTasks) -> None:
    """Tries delivery right after the response; what fails stays for the next redelivery."""
    settings: RegistrySettings = request.app.state.settings
    if settings.deliver_after_commit:
        background.add_task(deliver, request.app)
