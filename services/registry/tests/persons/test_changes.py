"""Changing a client's record: updates under the same rules, (re)assignment, end of counselling."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import Session

from vern.kit.clock import add_months, now_utc, oslo_date, today_oslo
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from .conftest import FNR, UseProfile, register

pytestmark = pytest.mark.anyio


async def _patch(
    client: httpx.AsyncClient, person_id: str, headers: dict[str, str], **changes: object
) -> httpx.Response:
    return await client.patch(f"/registry/persons/{person_id}", json=changes, headers=headers)


async def test_assigned_counsellor_updates_contact_data(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await _patch(
        client, person["id"], auth.staff("counsellor", sub=COUNSELLOR), phone="40000009"
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "+4740000009"
    assert response.json()["email"] == "sigrid.fjell@example.org"  # untouched


async def test_another_counsellor_cannot_update(client: httpx.AsyncClient, auth: Tokens) -> None:
    person = await register(client, auth)
    headers = auth.staff("counsellor", sub=OTHER_COUNSELLOR)
    assert (await _patch(client, person["id"], headers, phone="40000009")).status_code == 403


async def test_an_update_may_not_leave_a_client_without_contact_data(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await _patch(client, person["id"], auth.staff("coordinator"), email=None, phone=None)
    assert response.status_code == 422
    assert "phone" in [e["field"] for e in response.json()["errors"]]


async def test_an_update_that_contradicts_the_national_id_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, auth: Tokens, every_field_profile: OrgProfile
) -> None:
    person = await register(client, auth, national_id=FNR)
    headers = auth.staff("coordinator")
    response = await _patch(client, person["id"], headers, birth_date="1970-01-01")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["birth_date"]
    again = await client.get(f"/registry/persons/{person['id']}", headers=headers)
    assert again.json()["birth_date"] == "1965-07-15"


async def test_an_update_changes_the_blind_index(client: httpx.AsyncClient, auth: Tokens) -> None:
    person = await register(client, auth)
    headers = auth.staff("coordinator")
    await _patch(client, person["id"], headers, email="ny@example.org")
    found = await client.post(
        "/registry/persons/search", json={"email": "ny@example.org"}, headers=headers
    )
    old = await client.post(
        "/registry/persons/search", json={"email": "sigrid.fjell@example.org"}, headers=headers
    )
    assert [p["id"] for p in found.json()["items"]] == [person["id"]]
    assert old.json()["items"] == []


async def test_an_update_of_a_switched_off_field_is_refused(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await _patch(client, person["id"], auth.staff("coordinator"), national_id=FNR)
    assert response.status_code == 422


async def test_journal_consent_can_be_given_and_withdrawn(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    person = await register(client, auth, gender=..., heard_about=...)
    assert person["journal_consent"] is False
    assert person["journal_consent_at"] is None
    headers = auth.staff("counsellor", sub=COUNSELLOR)
    given = (await _patch(client, person["id"], headers, journal_consent=True)).json()
    assert given["journal_consent"] is True
    assert given["journal_consent_at"]
    withdrawn = (await _patch(client, person["id"], headers, journal_consent=False)).json()
    assert withdrawn["journal_consent"] is False


async def test_coordinator_reassigns_a_client_and_the_new_counsellor_takes_over(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await client.put(
        f"/registry/persons/{person['id']}/counsellor",
        json={"counsellor_id": OTHER_COUNSELLOR},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 200
    assert response.json()["assigned_counsellor_id"] == OTHER_COUNSELLOR
    url = f"/registry/persons/{person['id']}"
    assert (
        await client.get(url, headers=auth.staff("counsellor", sub=OTHER_COUNSELLOR))
    ).status_code == 200
    assert (
        await client.get(url, headers=auth.staff("counsellor", sub=COUNSELLOR))
    ).status_code == 403


async def test_assigning_an_unknown_counsellor_is_refused(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await client.put(
        f"/registry/persons/{person['id']}/counsellor",
        json={"counsellor_id": "nobody"},
        headers=auth.staff("manager"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "counsellor_id"


async def test_counselling_ended_starts_tryggeres_three_years(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    person = await register(client, auth, gender=..., heard_about=...)
    ended = now_utc()
    response = await client.post(
        f"/registry/persons/{person['id']}/counselling-ended",
        json={"ended_at": ended.isoformat()},
        headers=auth.staff("counsellor", sub=COUNSELLOR),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert datetime.fromisoformat(body["counselling_ended_at"]) == ended
    assert body["retention_due_date"] == add_months(oslo_date(ended), 36).isoformat()


async def test_counselling_cannot_end_before_intake(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth, intake_date="2026-02-01")
    response = await client.post(
        f"/registry/persons/{person['id']}/counselling-ended",
        json={"ended_at": datetime(2026, 1, 31, 12, tzinfo=UTC).isoformat()},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ended_at"


async def test_counselling_cannot_end_in_the_future(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    person = await register(client, auth)
    response = await client.post(
        f"/registry/persons/{person['id']}/counselling-ended",
        json={"ended_at": "2999-01-01T10:00:00+00:00"},
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ended_at"


async def test_a_client_who_came_of_age_keeps_the_guardian_and_can_still_be_updated(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    born = add_months(today_oslo(), -12 * 15)
    guardian = {"name": "Omsorg Giversen", "phone": "+4798765432", "consent_date": "2026-01-10"}
    person = await register(client, auth, birth_date=born.isoformat(), guardian=guardian)
    # Time passes: the client is now 16 (moved back in the record, as if registered a year ago).
    older = add_months(born, -12).isoformat()
    headers = auth.staff("coordinator")
    response = await _patch(client, person["id"], headers, birth_date=older)
    assert response.status_code == 200, response.text
    assert response.json()["guardian"]["name"] == "Omsorg Giversen"
    assert (await _patch(client, person["id"], headers, phone="40000013")).status_code == 200
