"""The consent service: the consent ledger (samtykkelogg) and newsletter subscribers."""

from __future__ import annotations

from fastapi import FastAPI

from vern.consent.config import ConsentSettings
from vern.consent.consents.router import router as consents_router
from vern.consent.internal.router import router as internal_router
from vern.kit.app import create_service_app
from vern.kit.auth import TokenVerifier


def create_app(
    settings: ConsentSettings | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    settings = settings or ConsentSettings()
    return create_service_app(
        name="consent",
        settings=settings,
        routers=[consents_router, internal_router],
        description="Vern's consent ledger and newsletter subscribers, and the internal subject contract.",
        verifier=verifier,
    )
