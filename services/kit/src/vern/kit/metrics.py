"""Prometheus metrics of every service, served at `GET /<svc>/metrics`.

Requests are counted and timed by route template (`/registry/persons/{person_id}`), never by the
raw path, so no id becomes a label; a path no route matches counts as `unmatched`. The outbox's
depth is read from the database at each scrape; retention sweeps and erasure calls are counted where
the kit's subject contract runs them. A service adds collectors of its own (the scheduler's runs).

The endpoint is protected by network, not by token: it answers only direct calls from
`metrics_networks` (loopback and private ranges by default) that came through no proxy (no
`X-Forwarded-For` or `Forwarded` header), and 404 to anyone else. Counters are per process:
sum them across replicas.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import column, func, inspect, select, table
from sqlmodel import Session
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vern.kit.accesslog import log_request
from vern.kit.contract import SweepResult
from vern.kit.db import SessionDep, UTCDateTime
from vern.kit.errors import NotFound, problem_responses

# The outbox's table by name and the columns read here: importing the model would add its table
# to the metadata of a service that has no outbox (the scheduler).
OUTBOX_TABLE = "outbox_message"
_OUTBOX = table(
    OUTBOX_TABLE,
    column("target"),
    column("created_at", UTCDateTime()),
    column("delivered_at", UTCDateTime()),
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "vern_http_requests",
    "HTTP requests by service, method, route template and status code",
    ["service", "method", "route", "status"],
)
LATENCY = Histogram(
    "vern_http_request_duration_seconds",
    "Time from receiving a request to the end of its response, by route template",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SERVER_ERRORS = Counter(
    "vern_http_server_errors",
    "Responses with a 5xx status (unhandled exceptions included), by route template",
    ["service", "method", "route"],
)
SWEEPS = Counter("vern_retention_sweeps", "Retention sweeps run (not dry runs)", ["service"])
SWEPT = Counter(
    "vern_retention_deleted",
    "What retention sweeps deleted, by service and the count's name (a rule or a table)",
    ["service", "what"],
)
ERASURE_CALLS = Counter(
    "vern_subject_erasure_calls",
    "Calls of the subject contract's erase (a repeated call for one request counts again)",
    ["service"],
)

ServiceCollector = Callable[[FastAPI, Session], Collector]


def count_sweep(result: SweepResult) -> None:
    """Counts a sweep that deleted (a dry run only counted) and what it deleted."""
    if result.dry_run:
        return
    SWEEPS.labels(result.service).inc()
    for what, count in result.counts.items():
        SWEPT.labels(result.service, what).inc(count)


def route_template(scope: Scope) -> str:
    """The matched route's full path template, or `unmatched`.

    FastAPI records the route it chose, with every include prefix, in its own part of the scope;
    `scope["route"]` holds the route as its router declared it (without the include prefixes)."""
    chosen = scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(chosen, "path_format", None)
    if not isinstance(path, str):
        route: BaseRoute | None = scope.get("route")
        path = getattr(route, "path_format", None)
    return path if isinstance(path, str) and path else "unmatched"


class MetricsMiddleware:
    """Counts and times every request by its route template once the response has ended, and
    writes its access line (`vern.kit.accesslog`)."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_recording)
        finally:
            seconds = time.perf_counter() - started
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            route = route_template(scope)
            REQUESTS.labels(self.service, method, route, str(status)).inc()
            LATENCY.labels(self.service, method, route).observe(seconds)
            log_request(method=method, route=route, status=status, seconds=seconds)
            if status >= 500:
                SERVER_ERRORS.labels(self.service, method, route).inc()


class OutboxCollector(Collector):
    """Undelivered outbox messages by target, and the age of the oldest, read at each scrape."""

    def __init__(self, session: Session, service: str) -> None:
        self.session, self.service = session, service

    def collect(self) -> Iterator[Metric]:
        if not inspect(self.session.connection()).has_table(OUTBOX_TABLE):
            return
        pending = GaugeMetricFamily(
            "vern_outbox_pending", "Outbox messages not yet delivered", labels=["service", "target"]
        )
        oldest = GaugeMetricFamily(
            "vern_outbox_oldest_pending_age_seconds",
            "Age of the oldest undelivered outbox message (0 when none waits)",
            labels=["service"],
        )
        rows = self.session.execute(
            select(_OUTBOX.c.target, func.count(), func.min(_OUTBOX.c.created_at))
            .where(_OUTBOX.c.delivered_at.is_(None))
            .group_by(_OUTBOX.c.target)
        ).all()
        first: datetime | None = None
        for target, count, created_at in rows:
            pending.add_metric([self.service, str(target)], float(count))
            if created_at is not None:
                first = created_at if first is None else min(first, created_at)
        age = (datetime.now(UTC) - first).total_seconds() if first is not None else 0.0
        oldest.add_metric([self.service], max(0.0, age))
        yield from (pending, oldest)


def _direct_from_allowed_network(request: Request, networks: Sequence[str]) -> bool:
    if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.client.host if request.client else "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network) for network in networks)


def metrics_router(*, service: str, collectors: Sequence[ServiceCollector] = ()) -> APIRouter:
    """`GET /metrics` (under the service's prefix): the process's metrics, the outbox's depth and
    the service's own collectors, in Prometheus' text format."""
    router = APIRouter(tags=["metrics"])

    @router.get(
        "/metrics",
        response_class=Response,
        responses={
            200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
            **problem_responses(NotFound),
        },
    )
    def metrics(request: Request, session: SessionDep) -> Response:
        """Prometheus metrics: requests, latency and server errors by route template, outbox
        depth, retention sweeps and erasures, and the service's own. Only for direct calls from
        the monitoring networks (`metrics_networks`); 404 for anyone else."""
        app = request.app
        if not _direct_from_allowed_network(request, app.state.settings.metrics_networks):
            raise NotFound("no such endpoint")
        scraped = CollectorRegistry(auto_describe=False)
        scraped.register(OutboxCollector(session, service))
        for make in collectors:
            scraped.register(make(app, session))
        body = generate_latest(REGISTRY) + generate_latest(scraped)
        return Response(content=body, media_type=CONTENT_TYPE_LATEST)

    return router
