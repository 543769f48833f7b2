"""Running jobs by hand: the service is called through the service client and the run recorded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.kit.audit import AuditEvent
from vern.kit.testing.tokens import Tokens
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs.definitions import PROVIDER_SYNC, plan
from vern.scheduler.jobs.runner import JobBusy, JobRunner
from vern.scheduler.runs.models import RetentionDeletion, RunStatus

from ..conftest import use_services
from ..fakes import FakeServices

pytestmark = pytest.mark.anyio

SWEEP = "/scheduler/jobs/registry-retention-sweep/run"
OUTBOX = "/scheduler/jobs/registry-outbox/run"


async def test_a_manual_sweep_deletes_in_the_registry_and_records_the_counts_per_rule(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices, db_session: Session
) -> None:
    response = await client.post(SWEEP, headers=auth.staff("manager"))
    assert response.status_code == 200, response.text
    run = response.json()
    assert (run["job_id"], run["service"], run["trigger"], run["status"]) == (
        "registry-retention-sweep",
        "registry",
        "manual",
        "ok",
    )
    assert run["counts"] == {"contact_register": 3, "waitlist_entry": 1}
    assert run["dry_run"] is False
    assert run["error"] is None
    assert services.calls == [
        ("/registry/internal/retention/sweep", {"dry_run": False, "batch_size": 500})
    ]
    assert services.timeouts == [900.0]  # a sweep gets time to work through all its batches
    deleted = db_session.exec(select(RetentionDeletion)).all()
    assert sorted((d.service, d.rule, d.deleted) for d in deleted) == [
        ("registry", "contact_register", 3),
        ("registry", "waitlist_entry", 1),
    ]
    runs = (await client.get("/scheduler/runs", headers=auth.staff("dpo"))).json()
    assert runs == [run]


async def test_the_consent_sweep_calls_the_consent_service(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    response = await client.post(
        "/scheduler/jobs/consent-retention-sweep/run", headers=auth.staff("manager")
    )
    assert response.json()["counts"] == {"newsletter_address": 2}
    assert services.calls[0][0] == "/consent/internal/retention/sweep"


async def test_a_dry_run_only_counts_and_records_no_deletions(
    client: httpx.AsyncClient,
    auth: Tokens,
    services: FakeServices,
    vern_app: FastAPI,
    vern_settings: SchedulerSettings,
    db_session: Session,
) -> None:
    use_services(vern_app, vern_settings.model_copy(update={"sweep_dry_run": True}), services)
    run = (await client.post(SWEEP, headers=auth.staff("manager"))).json()
    assert services.calls[0][1]["dry_run"] is True
    assert run["dry_run"] is True
    assert db_session.exec(select(RetentionDeletion)).all() == []


async def test_a_machine_with_the_scheduler_scope_runs_the_outbox_redelivery(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices, db_session: Session
) -> None:
    response = await client.post(OUTBOX, headers=auth.machine("scheduler"))
    assert response.status_code == 200, response.text
    assert response.json()["counts"] == {"delivered": 4, "failed": 1, "dropped": 0}
    assert services.calls == [("/registry/internal/outbox/deliver", None)]
    event = db_session.exec(select(AuditEvent)).one()
    assert (event.action, event.subject_id, event.actor) == (
        "job.run",
        response.json()["id"],
        "vern-test",
    )


async def test_an_outbox_the_service_does_not_offer_yet_is_a_skipped_run_not_a_failure(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    services["consent"].missing.add("deliver")
    response = await client.post(
        "/scheduler/jobs/consent-outbox/run", headers=auth.staff("manager")
    )
    run = response.json()
    assert (run["status"], run["error"], run["counts"]) == (
        "skipped",
        "HTTP 404 from consent",
        None,
    )


async def test_a_sweep_endpoint_that_is_missing_is_a_failure(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    services["registry"].missing.add("sweep")
    run = (await client.post(SWEEP, headers=auth.staff("manager"))).json()
    assert (run["status"], run["error"]) == ("failed", "HTTP 404")


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
    services: FakeServices,
    failure: dict[str, Any],
    error: str,
) -> None:
    for name, value in failure.items():
        setattr(services["registry"], name, value)
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
    client: httpx.AsyncClient,
    auth: Tokens,
    services: FakeServices,
    vern_app: FastAPI,
    db_session: Session,
) -> None:
    runner: JobRunner = vern_app.state.runner
    refused = []

    def run_again() -> None:
        try:
            runner.execute("registry-retention-sweep", session=db_session)
        except JobBusy:
            refused.append(True)

    services.during_call = run_again
    response = await client.post(SWEEP, headers=auth.staff("manager"))
    assert response.json()["status"] == "ok"
    assert refused == [True]


async def test_a_job_running_on_another_replica_is_409(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices, vern_app: FastAPI
) -> None:
    from ..conftest import ON_POSTGRES

    if not ON_POSTGRES:
        pytest.skip("the lock across replicas is PostgreSQL's")
    import zlib

    from sqlalchemy import text

    from vern.scheduler.jobs.runner import _JOB_LOCK_SPACE

    key = {"space": _JOB_LOCK_SPACE, "job": zlib.crc32(b"registry-retention-sweep") - 2**31}
    with vern_app.state.engine.connect() as other_replica:
        other_replica.execute(text("SELECT pg_advisory_lock(:space, :job)"), key)
        response = await client.post(SWEEP, headers=auth.staff("manager"))
        other_replica.execute(text("SELECT pg_advisory_unlock(:space, :job)"), key)
    assert response.status_code == 409
    assert services.calls == []


async def test_the_provider_sync_job_asks_consent_to_sync_and_records_its_counts(
    vern_app: FastAPI, services: FakeServices, db_session: Session
) -> None:
    settings = vern_app.state.settings
    lists = {
        list_id: lst.model_copy(update={"provider_list_id": "abc123"})
        for list_id, lst in vern_app.state.profile.newsletter_lists.items()
    }
    profile = vern_app.state.profile.model_copy(update={"newsletter_lists": lists})
    runner = JobRunner(
        engine=vern_app.state.engine,
        settings=settings,
        profile=profile,
        jobs=plan(settings, profile),
        peers=vern_app.state.runner.peers,
    )
    outcome = runner.execute(PROVIDER_SYNC, session=db_session)
    assert outcome.status == RunStatus.ok, outcome.error
    assert services.calls == [("/consent/internal/providers/sync", None)]
    assert outcome.counts == {"pushed": 2, "resolved": 1, "removed": 1, "failed": 0, "skipped": 0}
