"""Statistics over HTTP: tables, the CSV for Bufdir, suppression of small cells, who may see them,
and that they survive the deletion of every person they counted."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from vern.kit.clock import today_oslo
from vern.kit.db import metadata
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens
from vern.registry.statistics import repository as statistics_repository
from vern.registry.statistics.counters import increment

from ..conftest import COUNSELLOR
from ..module_access import REFUSED, Headers, profile_change, staff  # noqa: F401 - a fixture

pytestmark = pytest.mark.anyio

OPERATIONS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "table": ("GET", "/registry/statistics?year=2026", None),
    "export": ("GET", "/registry/statistics/export.csv?year=2026", None),
    "retention list": ("GET", "/registry/statistics/retention", None),
    "retention set": (
        "PUT",
        "/registry/statistics/retention/2026",
        {"no_longer_needed_date": "2027-06-30"},
    ),
}
READS = {"table", "export", "retention list"}
CALLERS: dict[str, tuple[Headers, int | None]] = {
    "counsellor": (staff("counsellor", COUNSELLOR), 403),
    "coordinator": (staff("coordinator"), 403),
    **REFUSED,
    "dpo": (staff("dpo"), None),
    "manager": (staff("manager"), None),
}


def _seed(session: Session) -> None:
    """March 2026: 7 phone contacts and 2 emails; April: 1 phone contact; 2025: 3 visits."""
    increment(session, metric="contacts_by_kind", key="phone", on=date(2026, 3, 2), by=7)
    increment(session, metric="contacts_by_kind", key="email", on=date(2026, 3, 9), by=2)
    increment(session, metric="contacts_by_kind", key="phone", on=date(2026, 4, 1))
    increment(session, metric="visits", key="visit", on=date(2025, 12, 31), by=3)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("caller", CALLERS)
async def test_managers_see_and_manage_statistics_the_dpo_only_sees_them(
    client: httpx.AsyncClient, auth: Tokens, operation: str, caller: str
) -> None:
    headers, refused = CALLERS[caller]
    if caller == "dpo" and operation not in READS:
        refused = 403
    method, path, body = OPERATIONS[operation]
    response = await client.request(method, path, json=body, headers=headers(auth))
    assert response.status_code == (refused or 200), response.text


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_every_statistics_operation_is_404_when_the_centre_keeps_no_statistics(
    client: httpx.AsyncClient,
    auth: Tokens,
    profile_change: Callable[..., OrgProfile],  # noqa: F811
    operation: str,
) -> None:
    profile_change(modules={"statistics": False})
    method, path, body = OPERATIONS[operation]
    response = await client.request(method, path, json=body, headers=auth.staff("manager"))
    assert response.status_code == 404
    assert "statistics is not in use" in response.json()["detail"]


def _cells(body: dict[str, Any]) -> dict[tuple[str, str], int | None]:
    return {(c["metric"], c["key"]): c["count"] for c in body["cells"]}


async def test_the_monthly_table_counts_one_month(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    _seed(db_session)
    response = await client.get(
        "/registry/statistics",
        params={"year": 2026, "month": 3, "suppress": False},
        headers=auth.staff("manager"),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == 3
    assert body["suppression_threshold"] is None
    assert _cells(body) == {("contacts_by_kind", "email"): 2, ("contacts_by_kind", "phone"): 7}


async def test_the_yearly_table_adds_up_the_months(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    _seed(db_session)
    response = await client.get(
        "/registry/statistics", params={"year": 2026, "suppress": False}, headers=auth.staff("dpo")
    )
    body = response.json()
    assert body["month"] is None
    assert _cells(body) == {("contacts_by_kind", "email"): 2, ("contacts_by_kind", "phone"): 8}


async def test_cells_below_the_profiles_threshold_are_suppressed_by_default(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    _seed(db_session)
    response = await client.get(
        "/registry/statistics", params={"year": 2026, "month": 3}, headers=auth.staff("manager")
    )
    body = response.json()
    assert body["suppression_threshold"] == 5  # Nok. Bergen's profile
    assert {(c["key"], c["count"], c["suppressed"]) for c in body["cells"]} == {
        ("email", None, True),
        ("phone", 7, False),
    }


async def test_the_csv_for_bufdir_has_a_row_per_metric_key_and_month_and_year_totals(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    _seed(db_session)
    response = await client.get(
        "/registry/statistics/export.csv", params={"year": 2026}, headers=auth.staff("manager")
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "statistikk-2026.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["metrikk", "beskrivelse", "kategori", "år", "måned", "antall"]
    assert [(r[2], r[4], r[5]) for r in rows[1:]] == [
        ("email", "3", "<5"),
        ("email", "hele året", "<5"),
        ("phone", "3", "7"),
        ("phone", "4", "<5"),
        ("phone", "hele året", "8"),
    ]
    assert rows[1][1] == "Henvendelser etter type"


async def test_the_csv_without_suppression_gives_every_count(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    _seed(db_session)
    response = await client.get(
        "/registry/statistics/export.csv",
        params={"year": 2026, "month": 4, "suppress": False},
        headers=auth.staff("manager"),
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[1:] == [
        ["contacts_by_kind", "Henvendelser etter type", "phone", "2026", "4", "1"],
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year": 2026, "month": 13}, "month"), ({}, "year"), ({"year": "last"}, "year")],
)
async def test_a_bad_period_is_a_422_naming_the_field(
    client: httpx.AsyncClient, auth: Tokens, params: dict[str, Any], field: str
) -> None:
    response = await client.get(
        "/registry/statistics", params=params, headers=auth.staff("manager")
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_a_year_cannot_be_no_longer_needed_before_it_has_ended(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    response = await client.put(
        "/registry/statistics/retention/2026",
        json={"no_longer_needed_date": "2026-12-31"},
        headers=auth.staff("manager"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "no_longer_needed_date"
    assert statistics_repository.list_retention(session=db_session) == []


async def test_counters_of_a_year_no_longer_needed_are_due_for_deletion_from_its_date(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    _seed(db_session)
    for day in ("2026-06-30", "2026-03-31"):  # set, then moved
        response = await client.put(
            "/registry/statistics/retention/2025",
            json={"no_longer_needed_date": day},
            headers=auth.staff("manager"),
        )
        assert response.status_code == 200
    listed = await client.get("/registry/statistics/retention", headers=auth.staff("dpo"))
    assert [(r["year"], r["no_longer_needed_date"]) for r in listed.json()] == [
        (2025, "2026-03-31")
    ]

    def due(on: date) -> list[tuple[str, int]]:
        rows = statistics_repository.due_for_deletion(session=db_session, on=on, limit=100)
        return [(r.metric, r.year) for r in rows]

    assert due(date(2026, 3, 30)) == []
    assert due(date(2026, 3, 31)) == [("visits", 2025)]
    assert statistics_repository.years_no_longer_needed(
        session=db_session, on=date(2026, 4, 1)
    ) == [2025]
    assert statistics_repository.due_between(
        session=db_session, start=date(2026, 1, 1), until=date(2026, 12, 31)
    ) == [(2025, date(2026, 3, 31), 1)]


KEPT_TABLES = {"statistic_counter", "statistics_retention", "audit_event", "alembic_version"}


async def test_deleting_every_person_leaves_the_statistics_unchanged(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    coordinator = auth.staff("coordinator")
    client_record = {
        "full_name": "Kari Testesen Nordmann",
        "phone": "912 34 567",
        "gender": "female",
        "birth_date": "1990-05-17",
        "heard_about": "internet",
        "assigned_counsellor_id": COUNSELLOR,
    }
    person = await client.post("/registry/persons", json=client_record, headers=coordinator)
    assert person.status_code == 201, person.text
    entry = await client.post(
        "/registry/waitlist",
        json={"full_name": "Per Testesen", "email": "per@example.org"},
        headers=coordinator,
    )
    assert entry.status_code == 201
    starts = datetime.now(UTC) - timedelta(hours=1)
    activity = await client.post(
        "/registry/activities",
        json={
            "name": "Gruppe",
            "kind": "group",
            "counsellor_id": COUNSELLOR,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(days=1)).isoformat(),
        },
        headers=coordinator,
    )
    registration = await client.post(
        f"/registry/activities/{activity.json()['id']}/registrations",
        json={"full_name": "Ola Testesen", "phone": "923 45 678"},
        headers=coordinator,
    )
    assert registration.status_code == 201
    await client.post(
        f"/registry/activities/{activity.json()['id']}/held", headers=auth.staff("manager")
    )

    async def statistics() -> dict[tuple[str, str], int | None]:
        response = await client.get(
            "/registry/statistics",
            params={"year": today_oslo().year, "suppress": False},
            headers=auth.staff("manager"),
        )
        return _cells(response.json())

    before = await statistics()
    assert before[("participants", "group")] == 1
    assert before[("activities", "group")] == 1
    for table in reversed(metadata.sorted_tables):
        if table.name not in KEPT_TABLES:
            db_session.execute(table.delete())
    db_session.expire_all()
    assert db_session.execute(text("SELECT count(*) FROM person")).scalar_one() == 0
    assert await statistics() == before
