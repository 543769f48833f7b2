"""The dsar service: data subject requests (innsyn, retting, sletting) across every store."""

from __future__ import annotations

from fastapi import FastAPI

from vern.dsar.breaches.router import router as breaches_router
from vern.dsar.config import DsarSettings
from vern.dsar.deadlines.router import router as deadlines_router
from vern.dsar.me.router import router as me_router
from vern.dsar.packages.router import router as packages_router
from vern.dsar.peers import journal_vendor, peers, receipt_signer
from vern.dsar.receipts.router import jwks_router
from vern.dsar.receipts.router import router as receipts_router
from vern.dsar.reminders.router import router as reminders_router
from vern.dsar.requests.router import router as requests_router
from vern.dsar.tasks.router import internal_router, vendor_router
from vern.dsar.tasks.router import router as tasks_router
from vern.kit.app import create_service_app
from vern.kit.auth import TokenVerifier


def create_app(
    settings: DsarSettings | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    settings = settings or DsarSettings()

    def close_peers(app: FastAPI) -> None:
        for client in app.state.peers.values():
            client.close()
        app.state.journal_vendor.close()

    app = create_service_app(
        name="dsar",
        settings=settings,
        routers=[
            requests_router,
            receipts_router,
            jwks_router,
            tasks_router,
            vendor_router,
            internal_router,
            breaches_router,
            deadlines_router,
            reminders_router,
            me_router,
            packages_router,
        ],
        description="Vern's data subject requests: access, rectification, erasure, restriction, objection.",
        verifier=verifier,
        on_shutdown=close_peers,
    )
    app.state.peers = peers(settings)
    app.state.journal_vendor = journal_vendor(settings)
    app.state.receipt_signer = receipt_signer(settings)
    return app
