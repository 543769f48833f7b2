"""The journal vendor's API: who may call it, whom it finds, and what a report changes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import Session, col, select

from vern.kit.audit import AuditEvent
from vern.kit.clock import add_months, oslo_date
from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens
from vern.registry.contacts.models import ContactEvent
from vern.registry.journal.models import JournalLink

from ..conftest import COUNSELLOR, OTHER_COUNSELLOR
from .conftest import INTAKE_DUE, NATIONAL_ID, OTHER_NATIONAL_ID, MakeClient

pytestmark = pytest.mark.anyio

LOOKUP = "/registry/journal/clients/lookup"


def sessions_path(client_id: object) -> str:
    return f"/registry/journal/clients/{client_id}/sessions"


async def lookup(client: httpx.AsyncClient, headers: dict[str, str], **body: str) -> httpx.Response:
    return await client.post(LOOKUP, json=body, headers=headers)


async def test_the_vendor_finds_a_consenting_client_by_national_id_in_the_body(
    client: httpx.AsyncClient, vendor: dict[str, str], make_client: MakeClient, tryggere: OrgProfile
) -> None:
    person = make_client()
    response = await lookup(client, vendor, national_id=NATIONAL_ID)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["client_id"] == str(person.id)
    assert body["retention_due_date"] == INTAKE_DUE.isoformat()
    assert NATIONAL_ID not in response.text


async def test_a_client_without_journal_consent_looks_exactly_like_no_client(
    client: httpx.AsyncClient, vendor: dict[str, str], make_client: MakeClient, tryggere: OrgProfile
) -> None:
    make_client(consent=False)
    refused = await lookup(client, vendor, national_id=NATIONAL_ID)
    unknown = await lookup(client, vendor, national_id=OTHER_NATIONAL_ID)
    assert refused.status_code == unknown.status_code == 404
    assert refused.json() == unknown.json()
    assert refused.headers["content-type"] == unknown.headers["content-type"]


async def test_a_vendor_reference_given_once_finds_the_client_from_then_on(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    person = make_client()
    assert (await lookup(client, vendor, vendor_reference="ASPIT-42")).status_code == 404
    linked = await lookup(client, vendor, national_id=NATIONAL_ID, vendor_reference="ASPIT-42")
    assert linked.json()["vendor_reference"] == "ASPIT-42"
    found = await lookup(client, vendor, vendor_reference="ASPIT-42")
    assert found.status_code == 200
    assert found.json()["client_id"] == str(person.id)
    stored = db_session.exec(select(JournalLink)).one()
    assert "ASPIT-42" not in stored.vendor_reference_ct  # sealed under the client's key


async def test_a_reference_and_a_national_id_of_different_clients_match_neither(
    client: httpx.AsyncClient, vendor: dict[str, str], make_client: MakeClient, tryggere: OrgProfile
) -> None:
    make_client()
    make_client(national_id=OTHER_NATIONAL_ID)
    await lookup(client, vendor, national_id=NATIONAL_ID, vendor_reference="ASPIT-1")
    mixed = await lookup(client, vendor, national_id=OTHER_NATIONAL_ID, vendor_reference="ASPIT-1")
    assert mixed.status_code == 404


async def test_a_client_whose_consent_was_withdrawn_is_no_longer_found(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    person = make_client()
    await lookup(client, vendor, national_id=NATIONAL_ID, vendor_reference="ASPIT-7")
    person.journal_consent = False
    db_session.add(person)
    db_session.flush()
    assert (await lookup(client, vendor, vendor_reference="ASPIT-7")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "national_id"),
        ({"national_id": "15076500566"}, "national_id"),
        ({"vendor_reference": NATIONAL_ID}, "vendor_reference"),
        ({"vendor_reference": "has space"}, "vendor_reference"),
        ({"national_id": NATIONAL_ID, "name": "Sigrid"}, "name"),
    ],
)
async def test_a_bad_lookup_is_422_naming_the_field_without_echoing_it(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    tryggere: OrgProfile,
    body: dict[str, str],
    field: str,
) -> None:
    response = await client.post(LOOKUP, json=body, headers=vendor)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    for value in body.values():
        assert value not in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("no token", 401),
        ("another service's audience", 401),
        ("staff", 403),
        ("client with BankID", 403),
        ("machine without the journal scope", 403),
    ],
)
async def test_only_the_vendor_with_the_journal_scope_may_call(
    client: httpx.AsyncClient,
    auth: Tokens,
    make_client: MakeClient,
    tryggere: OrgProfile,
    who: str,
    status: int,
) -> None:
    person = make_client()
    headers = {
        "no token": {},
        "another service's audience": {
            "Authorization": "Bearer "
            + auth.factory.machine("urn:vern:consent", "journal", client_id="journal-vendor")
        },
        "staff": auth.staff("manager"),
        "client with BankID": auth.client(NATIONAL_ID),
        "machine without the journal scope": auth.machine("registry:internal"),
    }[who]
    found = await lookup(client, headers, national_id=NATIONAL_ID)
    reported = await client.post(
        sessions_path(person.id), json={"held_at": datetime.now(UTC).isoformat()}, headers=headers
    )
    assert (found.status_code, reported.status_code) == (status, status)


async def test_the_journal_api_answers_the_vendor_404_everywhere_where_the_module_is_off(
    client: httpx.AsyncClient, vendor: dict[str, str], make_client: MakeClient
) -> None:
    person = make_client()  # the test app runs Nok. Bergen's profile: no journal vendor
    now = datetime.now(UTC).isoformat()
    responses = [
        await lookup(client, vendor, national_id=NATIONAL_ID),
        await client.post(sessions_path(person.id), json={"held_at": now}, headers=vendor),
        await client.post(
            f"/registry/journal/clients/{person.id}/counselling-ended",
            json={"ended_at": now},
            headers=vendor,
        ),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    # Without a token it is 401, as on every secured operation.
    assert (await lookup(client, {}, national_id=NATIONAL_ID)).status_code == 401


async def test_a_reported_session_moves_the_last_contact_and_the_retention_due_date(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    person = make_client()
    held_at = datetime.now(UTC) - timedelta(days=1)
    response = await client.post(
        sessions_path(person.id), json={"held_at": held_at.isoformat()}, headers=vendor
    )
    assert response.status_code == 200, response.text
    db_session.refresh(person)
    assert person.last_counsellor_contact_at == held_at
    assert person.retention_due_date == add_months(oslo_date(held_at), 36)
    assert person.retention_due_date > INTAKE_DUE
    assert response.json()["retention_due_date"] == person.retention_due_date.isoformat()
    contact = db_session.exec(select(ContactEvent)).one()
    assert (contact.counsellor_id, contact.source) == (COUNSELLOR, "journal")


async def test_a_session_with_a_named_counsellor_is_recorded_as_theirs(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    person = make_client()
    body = {"held_at": datetime.now(UTC).isoformat(), "counsellor_id": OTHER_COUNSELLOR}
    response = await client.post(sessions_path(person.id), json=body, headers=vendor)
    assert response.status_code == 200, response.text
    assert db_session.exec(select(ContactEvent.counsellor_id)).one() == OTHER_COUNSELLOR


async def test_a_session_reported_again_under_its_session_id_is_recorded_once(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    person = make_client()
    other = make_client(national_id=OTHER_NATIONAL_ID)
    body = {"held_at": datetime.now(UTC).isoformat(), "session_id": "S-1001"}
    responses = [
        await client.post(sessions_path(person.id), json=body, headers=vendor),
        await client.post(sessions_path(person.id), json=body, headers=vendor),
        await client.post(sessions_path(other.id), json=body, headers=vendor),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[0].json() == responses[1].json()
    recorded = db_session.exec(select(ContactEvent.person_id)).all()
    assert sorted(map(str, recorded)) == sorted([str(person.id), str(other.id)])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"held_at": "2026-01-05T10:00:00"}, "held_at"),  # no time zone
        ({"held_at": "2999-01-05T10:00:00+01:00"}, "held_at"),
        ({"held_at": "2026-01-05T10:00:00+01:00", "counsellor_id": "nobody"}, "counsellor_id"),
        ({"held_at": "2026-01-05T10:00:00+01:00", "kind": "sms"}, "kind"),
    ],
)
async def test_a_bad_session_report_is_422_and_records_nothing(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
    body: dict[str, str],
    field: str,
) -> None:
    person = make_client()
    response = await client.post(sessions_path(person.id), json=body, headers=vendor)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert db_session.exec(select(ContactEvent)).all() == []


async def test_a_session_for_a_client_without_a_counsellor_must_name_one(
    client: httpx.AsyncClient, vendor: dict[str, str], make_client: MakeClient, tryggere: OrgProfile
) -> None:
    person = make_client(counsellor=None)
    response = await client.post(
        sessions_path(person.id), json={"held_at": datetime.now(UTC).isoformat()}, headers=vendor
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["counsellor_id"]


@pytest.mark.parametrize("who", ["without consent", "unknown"])
async def test_reports_on_a_client_without_consent_are_404_and_record_nothing(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
    who: str,
) -> None:
    person_id = make_client(consent=False).id if who == "without consent" else uuid.uuid4()
    now = datetime.now(UTC).isoformat()
    session = await client.post(sessions_path(person_id), json={"held_at": now}, headers=vendor)
    ended = await client.post(
        f"/registry/journal/clients/{person_id}/counselling-ended",
        json={"ended_at": now},
        headers=vendor,
    )
    assert (session.status_code, ended.status_code) == (404, 404)
    assert db_session.exec(select(ContactEvent)).all() == []


async def test_reported_end_of_counselling_starts_the_three_year_clock(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    person = make_client()
    ended_at = datetime.now(UTC) - timedelta(hours=2)
    response = await client.post(
        f"/registry/journal/clients/{person.id}/counselling-ended",
        json={"ended_at": ended_at.isoformat()},
        headers=vendor,
    )
    assert response.status_code == 200, response.text
    db_session.refresh(person)
    assert person.counselling_ended_at == ended_at
    assert person.retention_due_date == add_months(oslo_date(ended_at), 36)


async def test_a_national_id_looked_up_never_reaches_the_logs(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_client()
    await lookup(client, vendor, national_id=NATIONAL_ID)
    await lookup(client, vendor, national_id=OTHER_NATIONAL_ID)
    await lookup(client, vendor, national_id="15076500566")  # refused: bad check digits
    captured = capsys.readouterr()
    logs = captured.out + captured.err + caplog.text
    assert "/registry/journal/clients/lookup" in logs  # the requests were logged
    for national_id in (NATIONAL_ID, OTHER_NATIONAL_ID, "15076500566"):
        assert national_id not in logs


async def test_every_call_is_audited_with_ids_only(
    client: httpx.AsyncClient,
    vendor: dict[str, str],
    make_client: MakeClient,
    tryggere: OrgProfile,
    db_session: Session,
) -> None:
    person = make_client()
    await lookup(client, vendor, national_id=NATIONAL_ID, vendor_reference="ASPIT-9")
    await lookup(client, vendor, national_id=OTHER_NATIONAL_ID)
    await client.post(
        sessions_path(person.id), json={"held_at": datetime.now(UTC).isoformat()}, headers=vendor
    )
    unknown = uuid.uuid4()
    missed = await client.post(
        sessions_path(unknown), json={"held_at": datetime.now(UTC).isoformat()}, headers=vendor
    )
    assert missed.status_code == 404
    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.actor == "journal-vendor").order_by(col(AuditEvent.id))
    ).all()
    journal = [(e.action, e.subject_id) for e in events if e.action.startswith("journal.")]
    assert journal == [
        ("journal.lookup", str(person.id)),
        ("journal.lookup_miss", None),
        ("journal.session_reported", str(person.id)),
        ("journal.report_miss", str(unknown)),
    ]
    dump = repr([e.model_dump() for e in events])
    for secret in (NATIONAL_ID, OTHER_NATIONAL_ID, "ASPIT-9"):
        assert secret not in dump
