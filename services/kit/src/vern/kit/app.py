"""The one way to build a Vern service app: prefix, health and readiness, errors, auth, logging,
hostile-input limits, security headers and metrics."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import Engine

from vern.kit.auth import TokenVerifier
from vern.kit.crypto import Vault, decode_key
from vern.kit.db import make_engine
from vern.kit.errors import (
    BadRequest,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    UpstreamUnavailable,
    install_error_handlers,
    problem_responses,
)
from vern.kit.hardening import install_hardening
from vern.kit.logging import configure_logging
from vern.kit.metrics import MetricsMiddleware, ServiceCollector, metrics_router
from vern.kit.orgprofile import load_profile
from vern.kit.ratelimit import RateLimits
from vern.kit.requestid import RequestIdMiddleware
from vern.kit.settings import ServiceSettings, resolve_profile_path


class Health(BaseModel):
    status: str
    service: str


def operation_id(route: APIRoute) -> str:
    """Stable operation ids: `<tag>-<function name>`, e.g. `persons-create_person`."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def make_vault(settings: ServiceSettings, keystore: Engine) -> Vault:
    return Vault(
        keystore,
        keks={kid: decode_key(key) for kid, key in settings.keks.items()},
        active_kek_id=settings.active_kek_id,
        blind_index_key=(
            None if settings.blind_index_key is None else base64.b64decode(settings.blind_index_key)
        ),
        blind_index_keys={kid: decode_key(key) for kid, key in settings.blind_index_keys.items()},
        active_blind_index_key_id=settings.active_blind_index_key_id,
    )


def create_service_app(
    *,
    name: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    description: str,
    verifier: TokenVerifier | None = None,
    on_startup: Callable[[FastAPI], None] | None = None,
    on_shutdown: Callable[[FastAPI], None] | None = None,
    body_limits: Mapping[str, int] | None = None,
    metrics_collectors: Sequence[ServiceCollector] = (),
) -> FastAPI:
    """Builds a service whose every path starts with `/<name>`.

    `body_limits` raises (or lowers) the body size limit for paths starting with a prefix;
    `metrics_collectors` add the service's own metrics to `GET /<name>/metrics`."""
    configure_logging(service=name, level=settings.log_level, json_logs=settings.json_logs)
    prefix = f"/{name}"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if on_startup is not None:
            on_startup(app)
        yield
        if on_shutdown is not None:
            on_shutdown(app)
        app.state.engine.dispose()
        app.state.keystore.dispose()

    app = FastAPI(
        title=f"Vern {name}",
        description=description,
        version="0.1.0",
        openapi_url=f"{prefix}/openapi.json",
        docs_url=f"{prefix}/docs",
        redoc_url=None,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
        responses=problem_responses(),
    )
    app.state.settings = settings
    # The centre's promises: a profile that fails validation stops the service at start-up.
    app.state.profile = load_profile(resolve_profile_path(settings.org_profile))
    app.state.engine = make_engine(settings.database_url)
    app.state.keystore = make_engine(settings.keystore_url)
    app.state.vault = make_vault(settings, app.state.keystore)
    app.state.verifier = verifier or TokenVerifier(settings)
    app.state.rate_limits = RateLimits(settings, namespace=name)
    install_hardening(app, settings, prefix=prefix, body_limits=body_limits or {})
    # Inside the request id's middleware, so the access line it writes carries the id.
    app.add_middleware(MetricsMiddleware, service=name)
    app.add_middleware(RequestIdMiddleware)
    install_error_handlers(app)

    health = APIRouter(prefix=prefix, tags=["health"])

    @health.get("/health", response_model=Health)
    def health_check() -> Health:
        """Liveness: the process answers."""
        return Health(status="ok", service=name)

    @health.get("/ready", response_model=Health, responses=problem_responses(UpstreamUnavailable))
    def readiness(request: Request) -> Health:
        """Readiness: the data database and the key store answer."""
        for engine in (request.app.state.engine, request.app.state.keystore):
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
            except Exception as exc:
                raise UpstreamUnavailable("the database does not answer") from exc
        return Health(status="ready", service=name)

    app.include_router(health)
    app.include_router(metrics_router(service=name, collectors=metrics_collectors), prefix=prefix)
    # Every operation outside health may answer these problems (422 in our shape, not FastAPI's).
    declared = problem_responses(BadRequest, NotAuthenticated, Forbidden, InvalidInput)
    for router in routers:
        app.include_router(router, prefix=prefix, responses=declared)
    return app
