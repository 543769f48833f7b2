"""The consent service: the consent ledger (samtykkelogg), newsletter lists and subscriptions
(double opt-in, one-click unsubscribe), provider webhooks, and the internal subject contract."""

from __future__ import annotations

from fastapi import FastAPI

from vern.consent.config import ConsentSettings
from vern.consent.consents.router import router as consents_router
from vern.consent.internal.router import router as internal_router
from vern.consent.lists.router import router as lists_router
from vern.consent.me.proof import EmailProofVerifier
from vern.consent.me.router import router as me_router
from vern.consent.providers.router import router as providers_router
from vern.consent.subscriptions.ratelimit import FormRateLimiter
from vern.consent.subscriptions.router import router as subscriptions_router
from vern.consent.webhooks.router import router as webhooks_router
from vern.kit.app import create_service_app
from vern.kit.auth import TokenVerifier


def create_app(
    settings: ConsentSettings | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    settings = settings or ConsentSettings()
    app = create_service_app(
        name="consent",
        settings=settings,
        routers=[
            consents_router,
            lists_router,
            subscriptions_router,
            me_router,
            internal_router,
            webhooks_router,
            providers_router,
        ],
        description=(
            "Vern's consent ledger, newsletter lists and subscriptions (double opt-in, one-click "
            "unsubscribe), provider webhooks, and the internal subject contract."
        ),
        verifier=verifier,
        body_limits={"/consent/webhooks/sendgrid": settings.sendgrid_webhook_max_body_bytes},
    )
    app.state.form_rate_limiter = FormRateLimiter(
        settings.public_form_rate_limit, settings.public_form_rate_limit_storage
    )
    app.state.email_proof_verifier = EmailProofVerifier(settings)
    return app
