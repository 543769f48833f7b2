"""Status says whether this replica fires the jobs; metrics count runs, failures, deletions
per service and rule, overdue tasks and the last success of each job."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session

from vern.kit.clock import now_utc, today_oslo
from vern.kit.testing.tokens import Tokens
from vern.scheduler.tasks.models import Task, TaskKind, TaskStatus

from ..fakes import FakeServices

pytestmark = pytest.mark.anyio


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_count_runs_failures_deletions_and_overdue_tasks(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices, db_session: Session
) -> None:
    manager = auth.staff("manager")
    await client.post("/scheduler/jobs/registry-retention-sweep/run", headers=manager)
    services["consent"].fail_with = 500
    await client.post("/scheduler/jobs/consent-retention-sweep/run", headers=manager)
    db_session.add(
        Task(
            key="late",
            kind=TaskKind.outside_system_retention,
            title_nb="Slettesjekk",
            owner_role="manager",
            due_date=today_oslo() - timedelta(days=1),
            created_at=now_utc(),
            status=TaskStatus.open,
        )
    )
    db_session.flush()
    response = await client.get("/scheduler/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    sweep = "registry-retention-sweep"
    assert samples[("vern_scheduler_runs_total", (("job", sweep), ("status", "ok")))] == 1
    assert (
        samples[
            (
                "vern_scheduler_runs_total",
                (("job", "consent-retention-sweep"), ("status", "failed")),
            )
        ]
        == 1
    )
    assert (
        samples[("vern_scheduler_run_failures_total", (("job", "consent-retention-sweep"),))] == 1
    )
    deleted = (("rule", "contact_register"), ("service", "registry"))
    assert samples[("vern_scheduler_rows_deleted_total", deleted)] == 3
    assert samples[("vern_scheduler_overdue_tasks", ())] == 1
    last = samples[("vern_scheduler_last_success_timestamp_seconds", (("job", sweep),))]
    assert abs(last - now_utc().timestamp()) < 3600
    assert (
        "vern_scheduler_last_success_timestamp_seconds",
        (("job", "consent-retention-sweep"),),
    ) not in samples
    assert samples[("vern_scheduler_active", ())] == 0  # this test app runs no scheduler


async def test_a_process_that_runs_no_scheduler_says_so(client: httpx.AsyncClient) -> None:
    body = (await client.get("/scheduler/status")).json()
    assert body["role"] == "off"
