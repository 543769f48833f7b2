"""Metrics: requests by route template (never an id in a label), latency, server errors, outbox
depth and sweeps, served only to direct callers from the monitoring networks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session, SQLModel

from vern.kit.app import create_service_app
from vern.kit.contract import SweepResult
from vern.kit.metrics import count_sweep
from vern.kit.outbox import OutboxMessage
from vern.kit.settings import ServiceSettings

pytestmark = pytest.mark.anyio
PERSON_ID = "4d1f5c1e-9a0b-4b8e-8d59-0f3f2a7c9e11"


def _router() -> APIRouter:
    router = APIRouter(tags=["persons"])

    @router.get("/persons/{person_id}")
    def get_person(person_id: str) -> dict[str, str]:
        return {"id": person_id}

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    return router


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    settings = ServiceSettings(
        environment="test",
        database_url=f"sqlite:///{tmp_path}/data.db",
        keystore_url=f"sqlite:///{tmp_path}/keys.db",
    )
    service = f"metrics{uuid.uuid4().hex[:6]}"
    app = create_service_app(name=service, settings=settings, routers=[_router()], description="")
    app.state.name = service
    return app


def _client(app: FastAPI, host: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 40000), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://vern.test")


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as client:
        yield client


def _samples(text: str, service: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (
            sample.name,
            tuple(sorted((k, v) for k, v in sample.labels.items() if k != "service")),
        ): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.labels.get("service") == service
    }


async def test_requests_are_counted_by_route_template_never_by_raw_path(
    app: FastAPI, http: httpx.AsyncClient
) -> None:
    name = app.state.name
    for _ in range(3):
        assert (await http.get(f"/{name}/persons/{PERSON_ID}")).status_code == 200
    await http.get(f"/{name}/nowhere/{PERSON_ID}")
    assert (await http.get(f"/{name}/boom")).status_code == 500
    text = (await http.get(f"/{name}/metrics")).text
    assert PERSON_ID not in text
    samples = _samples(text, name)
    route = f"/{name}/persons/{{person_id}}"
    ok = (("method", "GET"), ("route", route), ("status", "200"))
    assert samples[("vern_http_requests_total", ok)] == 3
    assert (
        samples[
            (
                "vern_http_requests_total",
                (("method", "GET"), ("route", "unmatched"), ("status", "404")),
            )
        ]
        == 1
    )
    assert (
        samples[("vern_http_request_duration_seconds_count", (("method", "GET"), ("route", route)))]
        == 3
    )
    boom = (("method", "GET"), ("route", f"/{name}/boom"))
    assert samples[("vern_http_server_errors_total", boom)] == 1


async def test_the_outbox_depth_and_the_oldest_message_are_reported(
    app: FastAPI, http: httpx.AsyncClient
) -> None:
    SQLModel.metadata.create_all(app.state.engine, tables=[OutboxMessage.__table__])  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    with Session(app.state.engine) as session:
        for n, delivered in enumerate([None, None, now]):
            session.add(
                OutboxMessage(
                    created_at=now - timedelta(minutes=10 - n), target="consent", path="/x",
                    subject_id="s", payload="", next_attempt_at=now, delivered_at=delivered,
                )
            )  # fmt: skip
        session.commit()
    samples = _samples((await http.get(f"/{app.state.name}/metrics")).text, app.state.name)
    assert samples[("vern_outbox_pending", (("target", "consent"),))] == 2
    assert 590 <= samples[("vern_outbox_oldest_pending_age_seconds", ())] < 3600


async def test_sweeps_that_delete_are_counted_dry_runs_are_not(
    app: FastAPI, http: httpx.AsyncClient
) -> None:
    name = app.state.name
    count_sweep(SweepResult(service=name, dry_run=True, on=date.today(), counts={"client": 5}))
    count_sweep(SweepResult(service=name, dry_run=False, on=date.today(), counts={"client": 2}))
    samples = _samples((await http.get(f"/{name}/metrics")).text, name)
    assert samples[("vern_retention_sweeps_total", ())] == 1
    assert samples[("vern_retention_deleted_total", (("what", "client"),))] == 2


@pytest.mark.parametrize(
    ("host", "headers"),
    [
        ("203.0.113.9", {}),  # a public address
        ("10.0.0.5", {"X-Forwarded-For": "203.0.113.9"}),  # came through the proxy
        ("127.0.0.1", {"Forwarded": "for=203.0.113.9"}),
        ("testclient", {}),
    ],
)
async def test_metrics_answer_404_outside_the_monitoring_networks(
    app: FastAPI, host: str, headers: dict[str, str]
) -> None:
    async with _client(app, host) as client:
        response = await client.get(f"/{app.state.name}/metrics", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_metrics_answer_a_direct_call_from_a_private_network(app: FastAPI) -> None:
    async with _client(app, "10.42.0.7") as client:
        response = await client.get(f"/{app.state.name}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
