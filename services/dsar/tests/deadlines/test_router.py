"""`GET /dsar/internal/deadlines`: the open deadlines of breaches and requests, as the scheduler
reads them (vern.kit.contract.DeadlineList)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest
from sqlmodel import Session

from vern.kit.clock import today_oslo
from vern.kit.contract import DeadlineList
from vern.kit.testing.tokens import Tokens

from ..breaches.conftest import create_breach, hours_ago
from .conftest import add_request

pytestmark = pytest.mark.anyio
PATH = "/dsar/internal/deadlines"


async def deadlines(client: httpx.AsyncClient, auth: Tokens) -> DeadlineList:
    response = await client.get(PATH, headers=auth.machine())
    assert response.status_code == 200, response.text
    return DeadlineList.model_validate_json(response.content)


@pytest.mark.parametrize("path", [PATH, "/dsar/internal/reminders/send"])
async def test_only_machines_with_the_internal_scope_may_call(
    client: httpx.AsyncClient, auth: Tokens, path: str
) -> None:
    method = "GET" if path == PATH else "POST"
    assert (await client.request(method, path)).status_code == 401
    other = await client.request(method, path, headers=auth.other_audience())
    assert other.status_code == 401
    for headers in (
        auth.staff("manager"), auth.staff("dpo"), auth.machine("dsar"),
        auth.client("15076500565"),
    ):  # fmt: skip
        assert (await client.request(method, path, headers=headers)).status_code == 403


async def test_an_unnotified_breach_is_listed_with_its_72_hour_deadline(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, detected_at=hours_ago(10).isoformat())
    listed = (await deadlines(client, auth)).deadlines
    mine = [d for d in listed if d.ref == breach["id"]]
    assert [(d.kind, d.owner_role) for d in mine] == [("breach_authority", "manager")]
    assert mine[0].due_at.isoformat() == breach["authority_deadline_at"].replace("Z", "+00:00")


async def test_a_notified_breach_or_one_without_risk_has_no_open_authority_deadline(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    notified = await create_breach(client, auth, detected_at=hours_ago(10).isoformat())
    await client.patch(
        f"/dsar/breaches/{notified['id']}",
        json={"authority_notified_at": hours_ago(1).isoformat()},
        headers=auth.staff("manager"),
    )
    harmless = await create_breach(client, auth, risk="none")
    refs = {d.ref for d in (await deadlines(client, auth)).deadlines}
    assert notified["id"] not in refs
    assert harmless["id"] not in refs


async def test_a_high_risk_breach_has_a_deadline_for_telling_the_people(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    breach = await create_breach(client, auth, risk="high_risk")
    kinds = sorted(
        d.kind for d in (await deadlines(client, auth)).deadlines if d.ref == breach["id"]
    )
    assert kinds == ["breach_authority", "breach_subjects"]


async def test_open_requests_are_listed_by_due_date_and_answered_ones_are_not(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    due = today_oslo() + timedelta(days=5)
    open_id = add_request(db_session, due_date=due)
    overdue_id = add_request(db_session, due_date=date(2026, 10, 1), status="in_progress")
    done_id = add_request(db_session, due_date=due, status="completed")
    listed = {d.ref: d for d in (await deadlines(client, auth)).deadlines}
    assert listed[open_id].kind == "request_answer"
    assert listed[open_id].due_at.date() == due  # the end of the Oslo due date
    assert overdue_id in listed
    assert done_id not in listed


async def test_deadlines_are_ordered_earliest_first(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    add_request(db_session, due_date=today_oslo() + timedelta(days=20))
    await create_breach(client, auth, detected_at=hours_ago(1).isoformat())
    due = [d.due_at for d in (await deadlines(client, auth)).deadlines]
    assert due == sorted(due)
