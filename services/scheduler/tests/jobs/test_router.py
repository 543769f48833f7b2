"""Running jobs by hand: the registry is called through the service client and the run recorded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.kit.audit import AuditEvent
from vern.kit.testing.tokens import Tokens
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs.runner import JobBusy, JobRunner

from ..conftest import use_registry
from ..fakes import FakeRegistry

pytestmark = pytest.mark.anyio

SWEEP = "/scheduler/jobs/registry-retention-sweep/run"
OUTBOX = "/scheduler/jobs/registry-outbox/run"


async def test_a_manual_sweep_calls_the_registry_and_records_the_counts_per_rule(
    client: httpx.AsyncClient, auth: Tokens, registry: FakeRegistry
) -> None:
    response = await client.post(SWEEP, headers=auth.staff("manager"))
    assert response.status_code == 200, response.text
    run = response.json()
    assert (run["job_id"], run["trigger"], run["status"]) == (
        "registry-retention-sweep",
        "manual",
        "ok",
    )
    assert run["counts"] == {"contact_register": 3, "waitlist_entry": 1}
    assert run["dry_run"] is True
    assert run["error"] is None
    assert registry.calls == [
        ("/registry/internal/retention/sweep", {"dry_run": True, "batch_size": 500})
    ]
    runs = (await client.get("/scheduler/runs", headers=auth.staff("dpo"))).json()
    assert runs == [run]


async def test_the_sweep_deletes_for_real_only_when_dry_run_is_switched_off(
    client: httpx.AsyncClient,
    auth: Tokens,
    registry: FakeRegistry,
    vern_app: FastAPI,
    vern_settings: SchedulerSettings,
) -> None:
    use_registry(vern_app, vern_settings.model_copy(update={"sweep_dry_run": False}), registry)
    run = (await client.post(SWEEP, headers=auth.staff("manager"))).json()
    assert registry.calls[0][1]["dry_run"] is False
    assert run["dry_run"] is False


async def test_a_machine_with_the_scheduler_scope_runs_the_outbox_redelivery(
    client: httpx.AsyncClient, auth: Tokens, registry: FakeRegistry, db_session: Session
) -> None:
    response = await client.post(OUTBOX, headers=auth.machine("scheduler"))
    assert response.status_code == 200, response.text
    assert response.json()["counts"] == {"delivered": 4, "failed": 1, "dropped": 0}
    assert registry.calls == [("/registry/internal/outbox/deliver", None)]
    event = db_session.exec(select(AuditEvent)).one()
    assert (event.action, event.subject_id, event.actor) == (
        "job.run",
        response.json()["id"],
        "vern-test",
    )


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ({"fail_with": 503}, "HTTP 503"),
        ({"fail_with": 403}, "HTTP 403"),
        ({"unreachable": True}, "ConnectError"),
    ],
)
async def test_a_failing_registry_leaves_a_failed_run_with_the_status_code_only(
    client: httpx.AsyncClient,
    auth: Tokens,
    registry: FakeRegistry,
    failure: dict[str, Any],
    error: str,
) -> None:
    for name, value in failure.items():
        setattr(registry, name, value)
    response = await client.post(SWEEP, headers=auth.staff("manager"))
    assert response.status_code == 200
    run = response.json()
    assert (run["status"], run["error"], run["counts"]) == ("failed", error, None)
    runs = (await client.get("/scheduler/runs", headers=auth.staff("manager"))).json()
    assert [(r["status"], r["error"]) for r in runs] == [("failed", error)]
    assert "15076500565" not in repr(runs)


async def test_an_unknown_job_is_404(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.post("/scheduler/jobs/no-such-job/run", headers=auth.staff("manager"))
    assert response.status_code == 404


async def test_a_job_does_not_run_twice_at_once(
    client: httpx.AsyncClient, auth: Tokens, registry: FakeRegistry, vern_app: FastAPI
) -> None:
    runner: JobRunner = vern_app.state.runner
    refused = []

    def run_again() -> None:
        try:
            runner.execute("registry-retention-sweep")
        except JobBusy:
            refused.append(True)

    registry.during_call = run_again
    response = await client.post(SWEEP, headers=auth.staff("manager"))
    assert response.json()["status"] == "ok"
    assert refused == [True]
