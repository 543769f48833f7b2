"""Consents over HTTP: recording from the registry, idempotency, the ledger and its current state,
encryption at rest, and what staff may read."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from vern.consent.consents.models import ConsentEvent, Subscriber
from vern.consent.mail.models import MailMessage
from vern.kit.audit import AuditEvent
from vern.kit.testing.tokens import Tokens

from ..conftest import OPT_IN, record

pytestmark = pytest.mark.anyio


def count(session: Session, model: type[Any]) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


async def consents_of(client: httpx.AsyncClient, auth: Tokens, subscriber_id: str) -> Any:
    response = await client.get(
        f"/consent/subjects/{subscriber_id}/consents", headers=auth.staff("manager")
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_opt_in_from_the_registry_creates_a_subscriber_with_the_consent_given(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    assert body["state"] == "given"
    assert body["purpose"] == "newsletter"
    subscriber = db_session.get(Subscriber, uuid.UUID(body["subscriber_id"]))
    assert subscriber is not None
    assert subscriber.subject_ref == OPT_IN["subject_ref"]
    event = db_session.get(ConsentEvent, uuid.UUID(body["consent_event_id"]))
    assert event is not None
    assert (event.event, event.source, event.actor) == ("given", "staff", OPT_IN["actor"])


async def test_a_repeat_with_the_same_idempotency_key_returns_the_same_answer_and_records_nothing(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    first = await record(client, auth, key="outbox-message-1")
    counts = [count(db_session, m) for m in (Subscriber, ConsentEvent, AuditEvent)]
    again = await record(client, auth, key="outbox-message-1")
    assert again == first
    assert [count(db_session, m) for m in (Subscriber, ConsentEvent, AuditEvent)] == counts


async def test_an_idempotency_key_reused_for_another_request_is_refused(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    await record(client, auth, key="outbox-message-2")
    response = await client.post(
        "/consent/internal/consents",
        json={**OPT_IN, "event": "withdrawn"},
        headers={**auth.machine(), "Idempotency-Key": "outbox-message-2"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]


async def test_a_second_consent_for_the_same_person_goes_to_the_same_subscriber(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    first = await record(client, auth)
    second = await record(client, auth, list_id="partners", email=None)
    assert second["subscriber_id"] == first["subscriber_id"]
    assert count(db_session, Subscriber) == 1


async def test_a_web_form_consent_with_a_known_address_links_to_that_subscriber(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    from_form = await record(
        client,
        auth,
        subject_ref=None,
        source="web_form",
        actor="web",
        email="sigrid.fjell@example.org",
    )
    from_registry = await record(client, auth)
    assert from_registry["subscriber_id"] == from_form["subscriber_id"]
    consents = await consents_of(client, auth, from_form["subscriber_id"])
    assert consents["subject_ref"] == OPT_IN["subject_ref"]


async def test_current_state_is_derived_from_the_ledger_so_given_then_withdrawn_is_withdrawn(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    given = await record(client, auth, purpose="surveys")
    withdrawn = await record(
        client, auth, purpose="surveys", event="withdrawn", source="self_service", email=None
    )
    assert withdrawn["state"] == "withdrawn"
    consents = await consents_of(client, auth, given["subscriber_id"])
    assert [(s["purpose"], s["state"]) for s in consents["current"]] == [("surveys", "withdrawn")]
    assert [e["event"] for e in consents["history"]] == ["given", "withdrawn"]


async def test_an_older_event_delivered_late_does_not_undo_a_newer_one(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    earlier = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    await record(client, auth, purpose="surveys")
    await record(client, auth, purpose="surveys", event="withdrawn", email=None)
    late = await record(client, auth, purpose="surveys", occurred_at=earlier)
    assert late["state"] == "withdrawn"
    consents = await consents_of(client, auth, late["subscriber_id"])
    assert consents["current"][0]["state"] == "withdrawn"
    assert [e["event"] for e in consents["history"]] == ["given", "given", "withdrawn"]


async def test_a_late_newsletter_opt_in_given_before_an_unsubscribe_does_not_resubscribe(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    earlier = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    await record(client, auth)
    await record(client, auth, event="withdrawn", email=None)
    late = await record(client, auth, occurred_at=earlier)
    assert late["state"] == "withdrawn"
    assert count(db_session, Subscriber) == 0
    assert count(db_session, MailMessage) == 0


async def test_the_address_is_encrypted_at_rest(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    await record(client, auth)
    dump = repr(db_session.execute(text("SELECT * FROM subscriber")).all())
    dump += repr(db_session.execute(text("SELECT * FROM processed_message")).all())
    for plaintext in ("sigrid", "Sigrid", "fjell", "example.org"):
        assert plaintext not in dump


async def test_the_ledger_refuses_updates(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    with pytest.raises(DBAPIError), db_session.begin_nested():
        db_session.execute(text("UPDATE consent_event SET event = 'withdrawn'"))
    assert db_session.get(ConsentEvent, uuid.UUID(body["consent_event_id"])) is not None


@pytest.mark.parametrize("role", ["manager", "dpo"])
async def test_managers_and_the_dpo_read_consents_and_it_is_audited(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, role: str
) -> None:
    body = await record(client, auth)
    response = await client.get(
        f"/consent/subjects/{body['subscriber_id']}/consents", headers=auth.staff(role, sub="s1")
    )
    assert response.status_code == 200
    assert "example.org" not in response.text
    reads = db_session.exec(select(AuditEvent).where(AuditEvent.action == "consent.read")).all()
    assert [(e.actor, e.subject_id) for e in reads] == [("s1", body["subscriber_id"])]


@pytest.mark.parametrize("role", ["counsellor", "coordinator"])
async def test_counsellors_and_coordinators_cannot_read_consents(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    body = await record(client, auth)
    response = await client.get(
        f"/consent/subjects/{body['subscriber_id']}/consents", headers=auth.staff(role)
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_unknown_subscriber_is_not_found(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.get(
        f"/consent/subjects/{uuid.uuid4()}/consents", headers=auth.staff("manager")
    )
    assert response.status_code == 404


async def test_staff_find_the_subscribers_of_a_registry_person(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    await record(client, auth, subject_ref="another-person", email="annen@example.org")
    response = await client.get(
        "/consent/subjects",
        params={"subject_ref": OPT_IN["subject_ref"]},
        headers=auth.staff("manager"),
    )
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == [body["subscriber_id"]]
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "subscriber.list")).one()
    assert (event.subject_type, event.subject_id) == ("person", OPT_IN["subject_ref"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": None, "subject_ref": None}, "email"),
        ({"purpose": "Nyhetsbrev!"}, "purpose"),
        ({"event": "maybe"}, "event"),
        ({"source": "phone"}, "source"),
        ({"actor": ""}, "actor"),
        ({"legal_text_hash": "abc"}, "legal_text_hash"),
        ({"occurred_at": "2999-01-01T00:00:00+00:00"}, "occurred_at"),
        ({"occurred_at": "2024-01-01T00:00:00"}, "occurred_at"),
        ({"unknown": 1}, "unknown"),
    ],
)
async def test_invalid_input_is_refused_naming_the_field_without_echoing_it(
    client: httpx.AsyncClient,
    auth: Tokens,
    db_session: Session,
    change: dict[str, Any],
    field: str,
) -> None:
    response = await client.post(
        "/consent/internal/consents",
        json={**OPT_IN, **change},
        headers={**auth.machine(), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    for value in change.values():
        if isinstance(value, str) and value:
            assert value not in response.text
    assert count(db_session, ConsentEvent) == 0


async def test_a_consent_without_an_idempotency_key_is_refused(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.post("/consent/internal/consents", json=OPT_IN, headers=auth.machine())
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]


async def test_a_new_subscriber_needs_an_address(client: httpx.AsyncClient, auth: Tokens) -> None:
    response = await client.post(
        "/consent/internal/consents",
        json={**OPT_IN, "email": None},
        headers={**auth.machine(), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
