"""The registry service: the contact register (kontaktregister) and everything around it."""

from __future__ import annotations

from fastapi import FastAPI

from vern.kit.app import create_service_app
from vern.kit.auth import TokenVerifier
from vern.registry.activities.router import router as activities_router
from vern.registry.audit_views.router import router as audit_views_router
from vern.registry.config import RegistrySettings
from vern.registry.contacts.router import router as contacts_router
from vern.registry.counsellors.router import router as counsellors_router
from vern.registry.internal.router import router as internal_router
from vern.registry.journal import events as journal_events
from vern.registry.journal.router import router as journal_router
from vern.registry.notice.router import router as notice_router
from vern.registry.outbox import peers
from vern.registry.persons.router import router as persons_router
from vern.registry.record_fields.router import router as record_fields_router
from vern.registry.statistics.router import router as statistics_router
from vern.registry.waitlist.router import router as waitlist_router


def create_app(
    settings: RegistrySettings | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    settings = settings or RegistrySettings()
    app = create_service_app(
        name="registry",
        settings=settings,
        routers=[
            persons_router,
            contacts_router,
            audit_views_router,
            counsellors_router,
            internal_router,
            waitlist_router,
            activities_router,
            statistics_router,
            journal_router,
            notice_router,
            record_fields_router,
        ],
        description="Vern's contact register: clients, counsellors, and the internal subject contract.",
        verifier=verifier,
    )
    app.state.peers = {
        **peers(settings),
        **journal_events.vendor_clients(settings, app.state.profile),
    }
    return app
