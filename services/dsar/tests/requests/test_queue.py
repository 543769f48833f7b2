"""The requests queue for the SPA: filters, pages, and the countdown to each due date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

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
