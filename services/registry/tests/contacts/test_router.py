"""Contact events: who may record them, what they hold (no content), and what they move: the last
counsellor contact, the retention date, and the anonymous counters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from vern.kit.clock import add_months, now_utc, oslo_date
from vern.kit.testing.tokens import Tokens
from vern.registry.statistics.models import StatisticCounter

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from ..persons.conftest import UseProfile, register
from ..persons.conftest import use_profile as use_profile  # the fixture

pytestmark = pytest.mark.anyio


async def _record(
    client: httpx.AsyncClient, person_id: str, headers: dict[str, str], **body: object
) -> httpx.Response:
    body = {"kind": "session", "occurred_at": (now_utc() - timedelta(hours=1)).isoformat()} | body
    return await client.post(f"/registry/persons/{person_id}/contacts", json=body, headers=headers)


async def test_a_counsellors_contact_is_theirs_and_moves_the_retention_date(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth, intake_date="2026-01-05")
    assert person["retention_due_date"] == "2029-01-05"
    when = now_utc() - timedelta(minutes=5)
    response = await _record(
        client, person["id"], auth.staff("counsellor", sub=COUNSELLOR), occurred_at=when.isoformat()
    )
    assert response.status_code == 201, response.text
    event = response.json()
    assert (event["kind"], event["counsellor_id"], event["source"]) == (
        "session",
        COUNSELLOR,
        "staff",
    )
    record = (
        await client.get(f"/registry/persons/{person['id']}", headers=auth.staff("coordinator"))
    ).json()
    assert datetime.fromisoformat(record["last_counsellor_contact_at"]) == when
    assert record["retention_due_date"] == add_months(oslo_date(when), 36).isoformat()


async def test_an_earlier_contact_does_not_move_the_last_contact_back(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth, intake_date="2026-01-05")
    headers = auth.staff("coordinator")
    recent = now_utc() - timedelta(days=1)
    await _record(
        client, person["id"], headers, occurred_at=recent.isoformat(), counsellor_id=COUNSELLOR
    )
    older = datetime(2026, 2, 1, 9, tzinfo=UTC)
    await _record(
        client, person["id"], headers, occurred_at=older.isoformat(), counsellor_id=COUNSELLOR
    )
    record = (await client.get(f"/registry/persons/{person['id']}", headers=headers)).json()
    assert datetime.fromisoformat(record["last_counsellor_contact_at"]) == recent


async def test_a_contact_without_a_counsellor_does_not_count_as_counsellor_contact(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await _record(client, person["id"], auth.staff("coordinator"), kind="visit")
    assert response.status_code == 201
    assert response.json()["counsellor_id"] is None
    record = (
        await client.get(f"/registry/persons/{person['id']}", headers=auth.staff("coordinator"))
    ).json()
    assert record["last_counsellor_contact_at"] is None


async def test_contacts_feed_the_anonymous_statistics(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    person = await register(client, auth, birth_date="1990-05-05")
    headers = auth.staff("counsellor", sub=COUNSELLOR)
    for kind in ("visit", "phone", "visit"):
        assert (await _record(client, person["id"], headers, kind=kind)).status_code == 201
    counts = {(c.metric, c.key): c.count for c in db_session.exec(select(StatisticCounter)).all()}
    assert counts[("contacts_by_kind", "visit")] == 2
    assert counts[("contacts_by_kind", "phone")] == 1
    assert counts[("visits", "visit")] == 2
    assert counts[("new_clients_by_gender", "female")] == 1
    assert counts[("new_clients_by_age_band", "36-50")] == 1
    assert counts[("heard_about", "internet")] == 1


async def test_a_centre_without_statistics_counts_nothing(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    person = await register(client, auth, gender=..., heard_about=...)
    await _record(client, person["id"], auth.staff("counsellor", sub=COUNSELLOR))
    assert db_session.exec(select(StatisticCounter)).all() == []


async def test_the_assigned_counsellor_lists_contacts_newest_first(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    headers = auth.staff("counsellor", sub=COUNSELLOR)
    for hours, kind in ((3, "phone"), (1, "video"), (2, "sms")):
        when = (now_utc() - timedelta(hours=hours)).isoformat()
        await _record(client, person["id"], headers, kind=kind, occurred_at=when)
    listed = await client.get(f"/registry/persons/{person['id']}/contacts", headers=headers)
    assert [e["kind"] for e in listed.json()] == ["video", "sms", "phone"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "letter"}, "kind"),
        ({"occurred_at": "2999-01-01T10:00:00+00:00"}, "occurred_at"),
        ({"occurred_at": "2026-01-01T10:00:00"}, "occurred_at"),  # no time zone
        ({"counsellor_id": "nobody"}, "counsellor_id"),
        ({"note": "what was said"}, "note"),  # contacts hold no content
    ],
)
async def test_a_wrong_contact_is_refused_and_nothing_moves(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    body: dict[str, object],
    field: str,
) -> None:
    person = await register(client, auth)
    response = await _record(client, person["id"], auth.staff("coordinator"), **body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert db_session.execute(text("SELECT count(*) FROM contact_event")).scalar() == 0


async def test_another_counsellor_cannot_record_or_list_contacts(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    headers = auth.staff("counsellor", sub=OTHER_COUNSELLOR)
    assert (await _record(client, person["id"], headers)).status_code == 403
    url = f"/registry/persons/{person['id']}/contacts"
    assert (await client.get(url, headers=headers)).status_code == 403


async def test_contacts_are_deleted_with_the_client(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    person = await register(client, auth)
    await _record(client, person["id"], auth.staff("counsellor", sub=COUNSELLOR))
    erased = await client.post(
        "/registry/internal/subjects/erase",
        json={"request_id": "req-contacts", "subject_ids": [person["id"]]},
        headers=auth.machine(),
    )
    assert erased.status_code == 200, erased.text
    assert db_session.execute(text("SELECT count(*) FROM contact_event")).scalar() == 0
