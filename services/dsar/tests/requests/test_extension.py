"""Extending the deadline (Art. 12(3)): up to the profile's two months, with a reason, only while
the first deadline runs, and with the letter to the subject recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from vern.kit.audit import AuditEvent
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from .conftest import STAFF_BODY, Clock, file_request

pytestmark = pytest.mark.anyio

RECEIVED = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)  # due 28 February 2026
FIRST_DUE = date(2026, 2, 28)
LETTER = {
    "months": 2,
    "reason": "complexity",
    "letter_sent_date": "2026-02-20",
    "letter_sent_via": "letter",
}


async def received_on_31_january(client: httpx.AsyncClient, auth: Tokens, clock: Clock) -> str:
    clock.set(RECEIVED)
    created = await file_request(client, auth.staff("counsellor"), type="objection", **STAFF_BODY)
    assert created["due_date"] == FIRST_DUE.isoformat()
    request_id: str = created["id"]
    return request_id


async def extend(
    client: httpx.AsyncClient, auth: Tokens, request_id: str, **change: Any
) -> httpx.Response:
    return await client.post(
        f"/dsar/requests/{request_id}/extension",
        json={**LETTER, **change},
        headers=auth.staff("dpo"),
    )


async def test_an_extension_within_the_first_month_moves_the_due_date_and_records_the_letter(
    client: httpx.AsyncClient,
    auth: Tokens,
    tryggere: OrgProfile,
    clock: Clock,
    db_session: Session,
) -> None:
    request_id = await received_on_31_january(client, auth, clock)
    clock.set(datetime(2026, 2, 27, 12, 0, tzinfo=UTC))
    response = await extend(client, auth, request_id)
    assert response.status_code == 200, response.text
    extended = response.json()
    assert (extended["first_due_date"], extended["due_date"]) == ("2026-02-28", "2026-04-28")
    assert extended["extension"]["letter_sent_date"] == "2026-02-20"
    assert extended["extension"]["letter_sent_via"] == "letter"
    assert extended["extension"]["reason"] == "complexity"
    assert extended["days_left"] == (date(2026, 4, 28) - date(2026, 2, 27)).days
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_id == request_id)
    ).all()
    assert "data_request.extend" in actions


async def test_an_extension_on_the_first_due_date_itself_is_still_in_time(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    request_id = await received_on_31_january(client, auth, clock)
    clock.set(datetime(2026, 2, 28, 22, 30, tzinfo=UTC))  # 23:30 in Oslo, 28 February
    response = await extend(client, auth, request_id, letter_sent_date="2026-02-28", months=1)
    assert response.status_code == 200, response.text
    assert response.json()["due_date"] == "2026-03-28"


async def test_an_extension_after_the_first_month_is_refused_naming_the_field(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    request_id = await received_on_31_january(client, auth, clock)
    clock.set(datetime(2026, 2, 28, 23, 30, tzinfo=UTC))  # 00:30 in Oslo, 1 March
    response = await extend(client, auth, request_id)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["months"]
    stored = await client.get(f"/dsar/requests/{request_id}", headers=auth.staff("dpo"))
    assert (stored.json()["due_date"], stored.json()["extension"]) == ("2026-02-28", None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"months": 3}, "months"),
        ({"months": 0}, "months"),
        ({"reason": None}, "reason"),
        ({"reason": "we are busy"}, "reason"),
        ({"letter_sent_date": None}, "letter_sent_date"),
        ({"letter_sent_date": "2026-02-26"}, "letter_sent_date"),  # in the future
        ({"letter_sent_date": "2026-01-30"}, "letter_sent_date"),  # before the request
        ({"letter_sent_via": None}, "letter_sent_via"),
        ({"letter_sent_via": "pigeon"}, "letter_sent_via"),
    ],
)
async def test_an_extension_needs_a_reason_a_letter_and_at_most_two_months(
    client: httpx.AsyncClient,
    auth: Tokens,
    tryggere: OrgProfile,
    clock: Clock,
    change: dict[str, Any],
    field: str,
) -> None:
    request_id = await received_on_31_january(client, auth, clock)
    clock.set(datetime(2026, 2, 25, 12, 0, tzinfo=UTC))
    body = {k: v for k, v in {**LETTER, **change}.items() if v is not None}
    response = await client.post(
        f"/dsar/requests/{request_id}/extension", json=body, headers=auth.staff("dpo")
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_a_letter_sent_after_the_first_month_does_not_extend_it(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    # Recorded late, but the letter itself must have gone out in time.
    request_id = await received_on_31_january(client, auth, clock)
    clock.set(datetime(2026, 2, 28, 12, 0, tzinfo=UTC))
    response = await extend(client, auth, request_id, letter_sent_date="2026-03-01")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["letter_sent_date"]


async def test_a_deadline_is_extended_only_once(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    request_id = await received_on_31_january(client, auth, clock)
    clock.set(datetime(2026, 2, 21, 12, 0, tzinfo=UTC))
    assert (await extend(client, auth, request_id, months=1)).status_code == 200
    again = await extend(client, auth, request_id, months=1)
    assert again.status_code == 409
    assert again.json()["type"] == "urn:vern:problem:already-extended"


async def test_a_closed_request_has_no_deadline_to_extend(
    client: httpx.AsyncClient, auth: Tokens, tryggere: OrgProfile, clock: Clock
) -> None:
    request_id = await received_on_31_january(client, auth, clock)
    await client.post(
        f"/dsar/requests/{request_id}/transitions",
        json={"status": "withdrawn"},
        headers=auth.staff("dpo"),
    )
    clock.set(datetime(2026, 2, 21, 12, 0, tzinfo=UTC))
    refused = await extend(client, auth, request_id)
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:vern:problem:request-closed"


async def test_nok_bergen_extends_from_its_own_30_day_due_date(
    client: httpx.AsyncClient, auth: Tokens, nokbergen: OrgProfile, clock: Clock
) -> None:
    clock.set(datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    created = await file_request(client, auth.staff("manager"), type="objection", **STAFF_BODY)
    assert created["due_date"] == "2026-03-31"  # 30 days, before one month (1 April)
    clock.set(datetime(2026, 3, 31, 10, 0, tzinfo=UTC))
    response = await extend(client, auth, created["id"], letter_sent_date="2026-03-31")
    assert response.json()["due_date"] == "2026-05-31"
