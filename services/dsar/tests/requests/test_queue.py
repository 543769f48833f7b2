"""The requests queue for the SPA: filters, pages, and the countdown to each due date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from vern.dsar.requests import orchestration
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import OTHER_NATIONAL_ID, SOLVEIG
from ..fakes import Peers
from .conftest import STAFF_BODY, Clock, file_request, move

pytestmark = pytest.mark.anyio


async def queue(client: httpx.AsyncClient, auth: Tokens, **params: Any) -> dict[str, Any]:
    response = await client.get("/dsar/requests", params=params, headers=auth.staff("dpo"))
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def three_requests(client: httpx.AsyncClient, auth: Tokens, clock: Clock) -> list[str]:
    """An objection received 1 January (due 1 February), an erasure received 20 January and a
    rejected restriction received 2 January; today is 10 February 2026."""
    staff = auth.staff("manager")
    clock.set(datetime(2026, 1, 1, 9, 0, tzinfo=UTC))
    late = await file_request(client, staff, type="objection", **STAFF_BODY)
    clock.set(datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
    closed = await file_request(client, staff, type="restriction", **STAFF_BODY)
    await move(client, closed["id"], staff, "rejected", rejection_reason="excessive")
    clock.set(datetime(2026, 1, 20, 9, 0, tzinfo=UTC))
    running = await file_request(client, staff, type="erasure", **STAFF_BODY)
    clock.set(datetime(2026, 2, 10, 9, 0, tzinfo=UTC))
    return [late["id"], closed["id"], running["id"]]


async def test_the_queue_counts_down_calendar_days_and_flags_open_requests_past_due(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    late, closed, running = await three_requests(client, auth, clock)
    page = await queue(client, auth)
    by_id = {item["id"]: item for item in page["items"]}
    assert (by_id[late]["due_date"], by_id[late]["days_left"], by_id[late]["overdue"]) == (
        "2026-02-01",
        -9,
        True,
    )
    assert (by_id[closed]["days_left"], by_id[closed]["overdue"]) == (-8, False)
    assert (by_id[running]["due_date"], by_id[running]["days_left"]) == ("2026-02-20", 10)
    assert by_id[running]["overdue"] is False
    assert [item["id"] for item in page["items"]] == [late, closed, running]  # earliest due first


async def test_the_overdue_filter_finds_open_requests_past_due_only(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    late, closed, running = await three_requests(client, auth, clock)
    overdue = await queue(client, auth, overdue="true")
    assert ([item["id"] for item in overdue["items"]], overdue["total"]) == ([late], 1)
    on_time = await queue(client, auth, overdue="false")
    assert {item["id"] for item in on_time["items"]} == {closed, running}


async def test_the_queue_filters_by_status_and_type(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    late, closed, running = await three_requests(client, auth, clock)
    rejected = await queue(client, auth, status="rejected")
    assert [item["id"] for item in rejected["items"]] == [closed]
    erasures = await queue(client, auth, type="erasure")
    assert [item["id"] for item in erasures["items"]] == [running]
    either = await queue(client, auth, type=["erasure", "objection"], status="identity_verified")
    assert [item["id"] for item in either["items"]] == [late, running]


async def test_the_queue_is_paged_with_the_total_of_all_pages(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    late, closed, running = await three_requests(client, auth, clock)
    first = await queue(client, auth, limit=2)
    second = await queue(client, auth, limit=2, offset=2)
    assert (first["total"], second["total"], first["limit"], second["offset"]) == (3, 3, 2, 2)
    assert [item["id"] for item in first["items"] + second["items"]] == [late, closed, running]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "lost"}, "status"), ({"type": "forget"}, "type"), ({"limit": 0}, "limit")],
)
async def test_an_unknown_filter_value_is_422_naming_the_parameter(
    client: httpx.AsyncClient, auth: Tokens, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/dsar/requests", params=params, headers=auth.staff("dpo"))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"].split(".")[0] == field


@contextmanager
def statements(app: FastAPI) -> Iterator[list[tuple[str, str]]]:
    """The SQL statements run meanwhile on the data database and on the key store."""
    seen: list[tuple[str, str]] = []
    engines = {"data": app.state.engine, "keys": app.state.keystore}
    listeners = {
        name: lambda _c, _cur, sql, *_a, name=name: seen.append((name, sql)) for name in engines
    }
    commits = {name: lambda _c, name=name: seen.append((name, "COMMIT")) for name in engines}
    for name, engine in engines.items():
        event.listen(engine, "before_cursor_execute", listeners[name])
        event.listen(engine, "commit", commits[name])
    try:
        yield seen
    finally:
        for name, engine in engines.items():
            event.remove(engine, "before_cursor_execute", listeners[name])
            event.remove(engine, "commit", commits[name])


async def queue_statements(
    client: httpx.AsyncClient, app: FastAPI, auth: Tokens
) -> list[tuple[str, str]]:
    with statements(app) as seen:
        await queue(client, auth, limit=50)
    return seen


async def access_requests(client: httpx.AsyncClient, auth: Tokens, count: int) -> None:
    """Clients asking for their data with BankID, each answered at once with its tasks."""
    for n in range(count):
        nnin = (SOLVEIG["national_id"], OTHER_NATIONAL_ID)[n % 2]
        await file_request(client, auth.client(nnin), type="access")


async def test_the_queue_runs_as_many_sql_statements_for_forty_requests_as_for_one(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI, services: Peers
) -> None:
    services.registry.hold("r-1", national_id=SOLVEIG["national_id"])
    await access_requests(client, auth, 1)
    one = await queue_statements(client, vern_app, auth)
    await access_requests(client, auth, 39)
    forty = await queue_statements(client, vern_app, auth)
    assert len((await queue(client, auth, limit=50))["items"]) == 40
    assert len(forty) == len(one), [sql for _, sql in forty]


async def test_the_queue_reads_no_key_and_no_sealed_column(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI, services: Peers
) -> None:
    """A list shows no identifiers, so it decrypts nothing: no key is read from the key store,
    and neither the sealed identifiers nor the (large) access package and the stores' answers
    are loaded from the database."""
    services.registry.hold("r-1", national_id=SOLVEIG["national_id"])
    await access_requests(client, auth, 3)
    seen = await queue_statements(client, vern_app, auth)
    assert [sql for engine, sql in seen if engine == "keys"] == []
    sealed = ("name_ct", "national_id_ct", "email_ct", "corrections_ct", "package_ct",
              "result_ct", "note_ct", "checklist")  # fmt: skip
    assert [(column, sql) for _, sql in seen for column in sealed if column in sql] == []


async def test_a_listed_request_shows_its_tasks_progress_but_no_identifiers(
    client: httpx.AsyncClient, auth: Tokens, nokbergen: OrgProfile
) -> None:
    await file_request(client, auth.staff("manager"), type="access", **STAFF_BODY)
    [item] = (await queue(client, auth))["items"]
    assert "subject" not in item
    assert "corrections" not in item
    assert {task["target"]: task["status"] for task in item["tasks"]}.items() >= {
        "registry": "done",
        "consent": "done",
    }.items()
    assert {key for task in item["tasks"] for key in task} == {
        "id", "target", "name", "kind", "operation", "status"
    }  # fmt: skip
    assert item["open_tasks"] == sum(1 for task in item["tasks"] if task["status"] != "done")
    alone = await client.get(f"/dsar/requests/{item['id']}", headers=auth.staff("manager"))
    assert alone.json()["subject"]["email"] == SOLVEIG["email"]
    assert all("checklist" in task for task in alone.json()["tasks"])


async def test_the_queue_takes_the_audit_chain_only_to_append_its_event_last(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI
) -> None:
    """Appending to the audit chain takes a lock held until the commit (on PostgreSQL), which
    every audited request of dsar waits for: the list appends its event once its queries are
    done, and nothing but the append follows."""
    await access_requests(client, auth, 2)
    seen = [sql for engine, sql in await queue_statements(client, vern_app, auth)]
    chain = next(n for n, sql in enumerate(seen) if "audit_event" in sql or "advisory" in sql)
    assert any("FROM request_task" in sql for sql in seen[:chain])
    assert any("FROM data_request" in sql for sql in seen[:chain])
    assert all("audit_event" in sql or "advisory" in sql for sql in seen[chain:]), seen[chain:]
    assert sum("INSERT INTO audit_event" in sql for sql in seen[chain:]) == 1


async def test_an_access_request_builds_its_package_before_it_takes_the_audit_chain(
    client: httpx.AsyncClient,
    auth: Tokens,
    vern_app: FastAPI,
    services: Peers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Building (and sealing) the package is the slow part of an access request: it is done
    before the transaction that builds it appends to the audit chain, whose lock others wait for
    until that transaction commits."""
    services.registry.hold("r-1", national_id=SOLVEIG["national_id"])
    audited_before_package: list[bool] = []
    build = orchestration.build_access_package

    def watched(**kwargs: Any) -> Any:
        data = [sql for name, sql in seen if name == "data"]
        # A transaction ends with a commit (a savepoint's release where the tests' session
        # runs inside an outer transaction).
        ends = (i for i, sql in enumerate(data) if sql == "COMMIT" or sql.startswith("RELEASE"))
        last_commit = max(ends, default=-1)
        this_transaction = data[last_commit + 1 :]
        audited_before_package.append(any("audit_event" in sql for sql in this_transaction))
        return build(**kwargs)

    monkeypatch.setattr(orchestration, "build_access_package", watched)
    with statements(vern_app) as seen:
        await access_requests(client, auth, 1)
    assert audited_before_package == [False]
    assert any("INSERT INTO audit_event" in sql for _, sql in seen)
