"""Activities over HTTP: who runs and sees what, what is stored, when participants are deleted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from vern.kit.audit import AuditEvent
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens
from vern.registry.statistics.models import StatisticCounter

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from ..module_access import REFUSED, Headers, staff
from .conftest import PARTICIPANT, PLAINTEXTS, plan, sign_up, upcoming

pytestmark = pytest.mark.anyio

# name -> (method, path, body); "{id}" is an activity run by COUNSELLOR, "{rid}" a registration
OPERATIONS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "list": ("GET", "/registry/activities", None),
    "read": ("GET", "/registry/activities/{id}", None),
    "register": ("POST", "/registry/activities/{id}/registrations", PARTICIPANT),
    "participants": ("GET", "/registry/activities/{id}/registrations", None),
    "unregister": ("DELETE", "/registry/activities/{id}/registrations/{rid}", None),
    "cancel": ("DELETE", "/registry/activities/{id}", None),
}
ALLOWED_STATUS = {
    "list": 200,
    "read": 200,
    "register": 201,
    "participants": 200,
    "unregister": 204,
    "cancel": 204,
}
CALLERS: dict[str, tuple[Headers, int | None]] = {
    "dpo": (staff("dpo"), 403),
    **REFUSED,
    "another counsellor": (staff("counsellor", OTHER_COUNSELLOR), 403),
    "the counsellor who runs it": (staff("counsellor", COUNSELLOR), None),
    "coordinator": (staff("coordinator"), None),
    "manager": (staff("manager"), None),
}


async def _call(
    client: httpx.AsyncClient, operation: str, ids: dict[str, str], headers: dict[str, str]
) -> httpx.Response:
    method, path, body = OPERATIONS[operation]
    path = path.replace("{id}", ids["id"]).replace("{rid}", ids["rid"])
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("caller", CALLERS)
async def test_counsellors_run_their_own_activities_coordinators_and_managers_all(
    client: httpx.AsyncClient, auth: Tokens, operation: str, caller: str
) -> None:
    activity = await plan(client, auth)
    registration = await sign_up(client, auth, activity["id"])
    headers, refused = CALLERS[caller]
    if operation == "list" and caller == "another counsellor":
        refused = None  # may list, but sees only their own (tested below)
    ids = {"id": activity["id"], "rid": registration["id"]}
    response = await _call(client, operation, ids, headers(auth))
    assert response.status_code == (refused or ALLOWED_STATUS[operation]), response.text


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_every_activities_operation_is_404_when_the_centre_has_no_activities(
    client: httpx.AsyncClient,
    auth: Tokens,
    profile_change: Callable[..., OrgProfile],
    operation: str,
) -> None:
    activity = await plan(client, auth)
    registration = await sign_up(client, auth, activity["id"])
    profile_change(modules={"activities": False})
    ids = {"id": activity["id"], "rid": registration["id"]}
    response = await _call(client, operation, ids, auth.staff("manager"))
    assert response.status_code == 404
    assert "activities is not in use" in response.json()["detail"]


async def test_a_counsellor_lists_only_the_activities_they_run(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    mine = await plan(client, auth, counsellor=COUNSELLOR)
    theirs = await plan(client, auth, counsellor=OTHER_COUNSELLOR)
    own = await client.get("/registry/activities", headers=auth.staff("counsellor", sub=COUNSELLOR))
    assert [a["id"] for a in own.json()] == [mine["id"]]
    every = await client.get("/registry/activities", headers=auth.staff("coordinator"))
    assert {a["id"] for a in every.json()} == {mine["id"], theirs["id"]}


async def test_a_counsellor_cannot_plan_an_activity_for_someone_else(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = {"name": "Gruppe", "kind": "group", "counsellor_id": OTHER_COUNSELLOR, **upcoming()}
    response = await client.post(
        "/registry/activities", json=body, headers=auth.staff("counsellor", sub=COUNSELLOR)
    )
    assert response.status_code == 403


async def test_a_coordinator_names_who_runs_the_activity(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = {"name": "Foredrag", "kind": "lecture", **upcoming()}
    missing = await client.post(
        "/registry/activities", json=body, headers=auth.staff("coordinator")
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "counsellor_id"
    named = await client.post(
        "/registry/activities",
        json={**body, "counsellor_id": OTHER_COUNSELLOR},
        headers=auth.staff("coordinator"),
    )
    assert named.status_code == 201
    assert named.json()["counsellor_id"] == OTHER_COUNSELLOR


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"name": ""}, "name"),
        ({"starts_at": "2026-13-01T10:00:00+01:00"}, "starts_at"),
        ({"starts_at": "2026-06-01T10:00:00"}, "starts_at"),  # no time zone
        ({"ends_at": "9999-12-31T23:59:59-00:01"}, "ends_at"),  # no UTC form: not a 500
        (
            {"starts_at": "2026-06-01T12:00:00+02:00", "ends_at": "2026-06-01T11:00:00+02:00"},
            "ends_at",
        ),
    ],
)
async def test_a_bad_activity_is_a_422_naming_the_field(
    client: httpx.AsyncClient, auth: Tokens, changes: dict[str, str], field: str
) -> None:
    body = {"name": "Kurs", "kind": "course", **upcoming(), **changes}
    response = await client.post(
        "/registry/activities", json=body, headers=auth.staff("counsellor", sub=COUNSELLOR)
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "solveig@@example"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"email": None}, "email"),  # neither email nor phone
        ({"full_name": ""}, "full_name"),
    ],
)
async def test_a_bad_registration_is_a_422_naming_the_field_and_nothing_is_stored(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    changes: dict[str, str | None],
    field: str,
) -> None:
    activity = await plan(client, auth)
    response = await client.post(
        f"/registry/activities/{activity['id']}/registrations",
        json={**PARTICIPANT, **changes},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert "solveig@@example" not in response.text
    count = db_session.execute(text("SELECT count(*) FROM activity_registration")).scalar_one()
    assert count == 0


async def test_participants_are_deleted_on_the_oslo_date_the_activity_ends(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    # Ends at 23:30 UTC, which is already the next day in Oslo.
    starts = datetime(2099, 6, 1, 20, 0, tzinfo=UTC)
    ends = datetime(2099, 6, 1, 23, 30, tzinfo=UTC)
    activity = await plan(client, auth, starts_at=starts.isoformat(), ends_at=ends.isoformat())
    assert activity["participants_deleted_on"] == "2099-06-02"
    registration = await sign_up(client, auth, activity["id"])
    assert registration["retention_due_date"] == "2099-06-02"
    assert registration["email"] == "solveig.lie@example.org"


async def test_no_one_signs_up_for_an_activity_that_has_ended(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    past = datetime.now(UTC) - timedelta(days=2)
    activity = await plan(
        client,
        auth,
        starts_at=past.isoformat(),
        ends_at=(past + timedelta(hours=1)).isoformat(),
    )
    response = await client.post(
        f"/registry/activities/{activity['id']}/registrations",
        json=PARTICIPANT,
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 409


async def test_participants_are_encrypted_at_rest(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    activity = await plan(client, auth)
    await sign_up(client, auth, activity["id"], phone="923 45 678")
    dump = repr(db_session.execute(text("SELECT * FROM activity_registration")).all())
    for plaintext in PLAINTEXTS:
        assert plaintext not in dump


def _counters(session: Session, metric: str) -> dict[str, int]:
    rows = session.exec(select(StatisticCounter).where(StatisticCounter.metric == metric)).all()
    return {r.key: r.count for r in rows}


async def test_registrations_and_held_activities_are_counted_by_kind(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    past = datetime.now(UTC) - timedelta(days=1)
    group = await plan(
        client,
        auth,
        kind="group",
        starts_at=past.isoformat(),
        ends_at=(past + timedelta(days=3)).isoformat(),
    )
    await sign_up(client, auth, group["id"])
    await sign_up(client, auth, group["id"], email="annen@example.org")
    held = await client.post(
        f"/registry/activities/{group['id']}/held",
        headers=auth.staff("counsellor", sub=COUNSELLOR),
    )
    assert held.status_code == 200
    again = await client.post(
        f"/registry/activities/{group['id']}/held", headers=auth.staff("manager")
    )
    assert again.status_code == 409
    db_session.expire_all()
    assert _counters(db_session, "participants") == {"group": 2}
    assert _counters(db_session, "activities") == {"group": 1}


async def test_an_activity_that_has_not_started_cannot_be_marked_held(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    activity = await plan(client, auth)
    response = await client.post(
        f"/registry/activities/{activity['id']}/held", headers=auth.staff("manager")
    )
    assert response.status_code == 409
    assert _counters(db_session, "activities") == {}


async def test_nothing_is_counted_when_the_centre_keeps_no_statistics(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    profile_change: Callable[..., OrgProfile],
) -> None:
    profile_change(modules={"statistics": False})
    activity = await plan(client, auth)
    await sign_up(client, auth, activity["id"])
    assert _counters(db_session, "participants") == {}


async def test_cancelling_an_activity_deletes_its_participants(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    activity = await plan(client, auth)
    await sign_up(client, auth, activity["id"])
    response = await client.delete(
        f"/registry/activities/{activity['id']}", headers=auth.staff("counsellor", sub=COUNSELLOR)
    )
    assert response.status_code == 204
    count = db_session.execute(text("SELECT count(*) FROM activity_registration")).scalar_one()
    assert count == 0


async def test_participant_lists_are_audited_with_ids_only(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    activity = await plan(client, auth)
    registration = await sign_up(client, auth, activity["id"])
    await client.get(
        f"/registry/activities/{activity['id']}/registrations", headers=auth.staff("manager")
    )
    events = db_session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.action).startswith("activity"))
        .order_by(col(AuditEvent.id))
    ).all()
    assert [(e.action, e.subject_id) for e in events] == [
        ("activity.create", activity["id"]),
        ("activity_registration.create", registration["id"]),
        ("activity_registration.list", activity["id"]),
    ]
    dump = repr([e.model_dump() for e in events])
    for plaintext in PLAINTEXTS:
        assert plaintext not in dump
