"""Tasks over the API: listed soonest first, closed by their owner role or the manager, with
who and when kept and audited."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.kit.audit import AuditEvent
from vern.kit.clock import now_utc, today_oslo
from vern.kit.testing.tokens import Tokens
from vern.scheduler.tasks.models import Task, TaskKind, TaskStatus

from ..fakes import FakeServices

pytestmark = pytest.mark.anyio


def _task(session: Session, *, owner_role: str = "manager", days: int = 3, key: str = "t") -> Task:
    task = Task(
        key=key,
        kind=TaskKind.outside_system_retention,
        title_nb="Slettesjekk i telefonen",
        rule="phone_log",
        outside_system="phone",
        owner_role=owner_role,
        due_date=today_oslo().fromordinal(today_oslo().toordinal() + days),
        created_at=now_utc(),
        status=TaskStatus.open,
    )
    session.add(task)
    session.flush()
    return task


async def test_the_manager_marks_a_task_done_and_who_and_when_are_kept(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    task = _task(db_session)
    response = await client.post(
        f"/scheduler/tasks/{task.id}/done", headers=auth.staff("manager", sub="leder-1")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["closed_by"]) == ("done", "leder-1")
    assert body["closed_at"] is not None
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "task.done")).one()
    assert (event.subject_id, event.actor) == (str(task.id), "leder-1")
    again = await client.post(f"/scheduler/tasks/{task.id}/done", headers=auth.staff("manager"))
    assert again.status_code == 409


async def test_a_task_can_only_be_closed_by_its_owner_role_or_the_manager(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    task = _task(db_session, owner_role="manager")
    refused = await client.post(f"/scheduler/tasks/{task.id}/done", headers=auth.staff("dpo"))
    assert refused.status_code == 403
    dpo_task = _task(db_session, owner_role="dpo", key="d")
    allowed = await client.post(f"/scheduler/tasks/{dpo_task.id}/done", headers=auth.staff("dpo"))
    assert allowed.status_code == 200


async def test_tasks_are_listed_soonest_due_first_with_overdue_marked_and_filtered(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    later = _task(db_session, days=10, key="later")
    overdue = _task(db_session, days=-1, key="overdue")
    done = _task(db_session, days=5, key="done")
    done.status = TaskStatus.done
    db_session.flush()
    headers = auth.staff("dpo")
    listed = (await client.get("/scheduler/tasks", headers=headers)).json()
    assert [(t["id"], t["overdue"]) for t in listed] == [
        (str(overdue.id), True),
        (str(done.id), False),
        (str(later.id), False),
    ]
    open_only = await client.get("/scheduler/tasks", params={"status": "open"}, headers=headers)
    assert [t["id"] for t in open_only.json()] == [str(overdue.id), str(later.id)]
    page = await client.get("/scheduler/tasks", params={"limit": 1, "offset": 1}, headers=headers)
    assert [t["id"] for t in page.json()] == [str(done.id)]


async def test_running_the_task_job_hands_out_the_outside_systems_tasks(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices, vern_app: FastAPI
) -> None:
    run = await client.post(
        "/scheduler/jobs/outside-system-tasks/run", headers=auth.staff("manager")
    )
    created = run.json()["counts"]["created"]
    assert created > 0
    tasks = (await client.get("/scheduler/tasks", headers=auth.staff("manager"))).json()
    assert len(tasks) == created
    assert {t["kind"] for t in tasks} == {"outside_system_retention"}
    again = await client.post(
        "/scheduler/jobs/outside-system-tasks/run", headers=auth.staff("manager")
    )
    assert again.json()["counts"] == {"created": 0}


async def test_deadline_reminders_come_from_dsar_which_mails_them_and_a_missing_endpoint_is_skipped(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    from datetime import timedelta

    from vern.kit.contract import Deadline

    services["dsar"].deadlines = [
        Deadline(kind="breach_authority", ref="b-1", due_at=now_utc() + timedelta(hours=70))
    ]
    run = await client.post("/scheduler/jobs/dsar-deadlines/run", headers=auth.staff("manager"))
    assert run.json()["counts"] == {"created": 1, "closed": 0, "reminders_sent": 1}
    assert [path for path, _ in services.calls] == [
        "/dsar/internal/deadlines",
        "/dsar/internal/reminders/send",
    ]
    tasks = (await client.get("/scheduler/tasks", headers=auth.staff("manager"))).json()
    assert [(t["kind"], t["ref"]) for t in tasks] == [("breach_deadline", "b-1")]
    services["dsar"].missing.add("deadlines")
    skipped = await client.post("/scheduler/jobs/dsar-deadlines/run", headers=auth.staff("manager"))
    assert (skipped.json()["status"], skipped.json()["error"]) == (
        "skipped",
        "HTTP 404 from dsar",
    )


async def test_an_unknown_task_is_404(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.post(
        "/scheduler/tasks/00000000-0000-0000-0000-000000000000/done",
        headers=auth.staff("manager"),
    )
    assert response.status_code == 404


async def test_a_task_id_that_is_not_a_uuid_is_422(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.post("/scheduler/tasks/nope/done", headers=auth.staff("manager"))
    assert response.status_code == 422
    assert "task_id" in response.text
