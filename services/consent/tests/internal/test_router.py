"""The internal subject contract (search, export, erase), the retention sweep, and who may call."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session, select

from vern.consent.consents.models import (
    ConsentEvent,
    ConsentSource,
    ProcessedMessage,
    Subscriber,
    SuppressedAddress,
)
from vern.consent.mail.models import MailMessage
from vern.consent.subscriptions.models import Subscription
from vern.kit.audit import AuditEvent
from vern.kit.clock import now_utc, today_oslo
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.testing.tokens import Tokens

from ..conftest import OPT_IN, record

pytestmark = pytest.mark.anyio


async def call(
    client: httpx.AsyncClient, auth: Tokens, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(f"/consent/internal{path}", json=body, headers=auth.machine())
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_search_finds_subscribers_by_address_and_by_registry_person(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = await record(client, auth)
    await record(client, auth, subject_ref="another-person", email="annen@example.org")
    by_email = await call(
        client, auth, "/subjects/search", {"identifiers": {"email": "SIGRID.fjell@example.org"}}
    )
    by_ref = await call(
        client, auth, "/subjects/search", {"identifiers": {"subject_refs": [OPT_IN["subject_ref"]]}}
    )
    assert by_email["service"] == "consent"
    assert by_email["subjects"] == [{"subject_id": body["subscriber_id"], "matched_on": ["email"]}]
    assert by_ref["subjects"] == [
        {"subject_id": body["subscriber_id"], "matched_on": ["subject_ref"]}
    ]


async def test_export_holds_the_address_and_the_consent_history_with_the_profiles_purpose(
    client: httpx.AsyncClient, auth: Tokens, vern_app: FastAPI
) -> None:
    profile = vern_app.state.profile
    body = await record(client, auth)
    exported = await call(
        client,
        auth,
        "/subjects/export",
        {"request_id": "dsar-1", "subject_ids": [body["subscriber_id"]]},
    )
    [subject] = exported["subjects"]
    categories = {c["category"]: c for c in subject["categories"]}
    assert set(categories) == {"newsletter_subscription", "consent_history"}
    subscription = categories["newsletter_subscription"]
    assert subscription["data"]["email"] == "sigrid.fjell@example.org"
    [held] = subscription["data"]["subscriptions"]
    assert (held["list_id"], held["status"], held["ip_network"]) == ("general", "confirmed", None)
    newsletter = profile.processing_activities["newsletter"]
    assert subscription["activity"] == newsletter.name_nb
    assert subscription["purpose"] == newsletter.purpose_nb
    assert subscription["legal_basis"].startswith(
        "personvernforordningen artikkel 6 nr. 1 bokstav a"
    )
    assert [(r["name"], r["role"]) for r in subscription["recipient_details"]] == [
        (r.name, r.role.value) for r in newsletter.recipients
    ]
    assert subscription["recipient_details"]
    assert subscription["retention_due_date"] is None  # kept while the consent is in force
    assert subscription["retention"].startswith("slettes straks")
    history = categories["consent_history"]["data"]
    assert [e["event"] for e in history["events"]] == ["given"]
    assert history["current"][0]["state"] == "given"
    assert [e["action"] for e in subject["access_log"]] == ["subscriber.create", "consent.record"]


@pytest.mark.parametrize("source", [s.value for s in ConsentSource if s is not ConsentSource.staff])
async def test_export_names_every_source_a_consent_can_come_from(
    client: httpx.AsyncClient, auth: Tokens, source: str
) -> None:
    body = await record(client, auth)
    await record(client, auth, purpose="surveys", source=source, email=None)
    exported = await call(
        client,
        auth,
        "/subjects/export",
        {"request_id": "dsar-3", "subject_ids": [body["subscriber_id"]]},
    )
    [subscription, _] = exported["subjects"][0]["categories"]
    assert subscription["source"].startswith("Senteret")
    assert len(subscription["source"].split("; ")) == 2


async def test_export_of_a_withdrawn_subscriber_shows_the_deletion_date(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    body = await record(client, auth, purpose="surveys")
    await record(client, auth, purpose="surveys", event="withdrawn", email=None)
    exported = await call(
        client,
        auth,
        "/subjects/export",
        {"request_id": "dsar-2", "subject_ids": [body["subscriber_id"]]},
    )
    due = exported["subjects"][0]["categories"][0]["retention_due_date"]
    assert due == today_oslo().isoformat()


async def test_erasure_deletes_the_rows_and_shreds_the_key_and_is_idempotent(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault
) -> None:
    body = await record(client, auth)
    subscriber_id = body["subscriber_id"]
    email_ct = db_session.exec(
        select(Subscriber.email_ct).where(Subscriber.id == uuid.UUID(subscriber_id))
    ).one()
    request = {"request_id": "dsar-erase-1", "subject_ids": [subscriber_id]}
    receipt = await call(client, auth, "/subjects/erase", request)
    assert receipt["erased"] == [
        {"subject_id": subscriber_id, "categories": ["newsletter_subscription", "consent_history"]}
    ]
    assert [k["category"] for k in receipt["kept"]] == ["newsletter_suppression"]
    assert db_session.get(Subscriber, uuid.UUID(subscriber_id)) is None
    assert db_session.exec(select(ConsentEvent)).all() == []
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(subscriber_id, email_ct, context="subscriber.email")
    assert await call(client, auth, "/subjects/erase", request) == receipt
    erasures = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "subscriber.erase")
    ).all()
    assert len(erasures) == 1


async def test_an_erased_address_stays_only_as_a_keyed_hash_on_the_suppression_list(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault
) -> None:
    body = await record(client, auth)
    request = {"request_id": "dsar-erase-2", "subject_ids": [body["subscriber_id"]]}
    await call(client, auth, "/subjects/erase", request)
    [entry] = db_session.exec(select(SuppressedAddress)).all()
    assert entry.email_bidx == vault.blind_index("email", "sigrid.fjell@example.org")
    assert entry.reason == "erasure"
    dump = repr(db_session.execute(text("SELECT * FROM suppressed_address")).all())
    assert "example.org" not in dump
    search = await call(
        client, auth, "/subjects/search", {"identifiers": {"email": OPT_IN["email"]}}
    )
    assert search["subjects"] == []


async def test_a_staff_opt_in_after_erasure_asks_the_address_to_confirm_and_keeps_the_suppression(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    request = {"request_id": "dsar-erase-3", "subject_ids": [body["subscriber_id"]]}
    await call(client, auth, "/subjects/erase", request)
    again = await record(client, auth)
    assert again["state"] == "withdrawn"
    assert len(db_session.exec(select(SuppressedAddress)).all()) == 1
    [subscription] = db_session.exec(select(Subscription)).all()
    assert subscription.status == "pending"
    [mail] = db_session.exec(select(MailMessage)).all()
    assert mail.kind == "confirmation"


async def test_erasing_a_registry_person_by_their_id_removes_what_consent_holds_for_them(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    request = {"request_id": "registry-erase-1", "subject_ids": [OPT_IN["subject_ref"]]}
    receipt = await call(client, auth, "/subjects/erase", request)
    assert [e["subject_id"] for e in receipt["erased"]] == [OPT_IN["subject_ref"]]
    assert db_session.get(Subscriber, uuid.UUID(body["subscriber_id"])) is None
    assert db_session.exec(select(Subscription)).all() == []


async def test_a_withdrawal_for_someone_unknown_records_nothing_but_suppresses_the_address(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth, event="withdrawn")
    assert body == {
        "subscriber_id": None,
        "consent_event_id": None,
        "purpose": "newsletter",
        "list_id": "general",
        "state": "withdrawn",
    }
    assert db_session.exec(select(Subscriber)).all() == []
    assert len(db_session.exec(select(SuppressedAddress)).all()) == 1


async def test_retention_deletes_subscribers_at_once_when_their_newsletter_consent_is_withdrawn(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault
) -> None:
    staying = await record(client, auth, subject_ref="stays", email="blir@example.org")
    leaving = await record(client, auth, purpose="surveys")
    await record(client, auth, purpose="surveys", event="withdrawn", email=None)
    email_ct = db_session.exec(
        select(Subscriber.email_ct).where(Subscriber.id == uuid.UUID(leaving["subscriber_id"]))
    ).one()
    today = today_oslo()

    preview = await client.get(
        "/consent/internal/retention/preview",
        params={"until": (today + timedelta(days=30)).isoformat()},
        headers=auth.machine(),
    )
    assert preview.status_code == 200
    assert preview.json()["items"] == [
        {
            "rule": "newsletter_address",
            "subject_id": leaving["subscriber_id"],
            "due_date": today.isoformat(),
        }
    ]
    dry = await call(client, auth, "/retention/sweep", {"dry_run": True})
    assert dry["counts"] == {
        "newsletter_address": 1,
        "unconfirmed_subscription": 0,
        "idempotency_record": 0,
    }
    assert db_session.get(Subscriber, uuid.UUID(leaving["subscriber_id"])) is not None

    swept = await call(client, auth, "/retention/sweep", {"dry_run": False})
    assert swept["counts"] == {
        "newsletter_address": 1,
        "unconfirmed_subscription": 0,
        "idempotency_record": 0,
    }
    assert db_session.get(Subscriber, uuid.UUID(leaving["subscriber_id"])) is None
    assert db_session.get(Subscriber, uuid.UUID(staying["subscriber_id"])) is not None
    [entry] = db_session.exec(select(SuppressedAddress)).all()
    assert entry.reason == "withdrawn"
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(leaving["subscriber_id"], email_ct, context="subscriber.email")


async def test_a_subscriber_with_another_consent_in_force_is_not_due(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    await record(client, auth, list_id="partners", email=None)
    await record(client, auth, event="withdrawn", email=None)
    swept = await call(client, auth, "/retention/sweep", {"dry_run": True})
    assert swept["counts"] == {
        "newsletter_address": 0,
        "unconfirmed_subscription": 0,
        "idempotency_record": 0,
    }
    assert db_session.get(Subscriber, uuid.UUID(body["subscriber_id"])) is not None
    assert [s.list_id for s in db_session.exec(select(Subscription)).all()] == ["partners"]


# -- who may call ----------------------------------------------------------------------------


async def test_no_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/consent/subjects/{uuid.uuid4()}/consents")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_token_for_the_registry_is_401(client: httpx.AsyncClient, auth: Tokens) -> None:
    token = auth.factory.machine("urn:vern:registry", "consent:internal registry:internal")
    response = await client.post(
        "/consent/internal/subjects/search",
        json={"identifiers": {"email": OPT_IN["email"]}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401


async def test_staff_without_a_second_factor_are_403(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.get(
        "/consent/subjects",
        params={"subject_ref": OPT_IN["subject_ref"]},
        headers=auth.staff("manager", second_factor=False),
    )
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/consent/internal/consents"),
        ("POST", "/consent/internal/events"),
        ("POST", "/consent/internal/outbox/deliver"),
        ("POST", "/consent/internal/subjects/search"),
        ("POST", "/consent/internal/subjects/export"),
        ("POST", "/consent/internal/subjects/erase"),
        ("POST", "/consent/internal/retention/sweep"),
        ("GET", "/consent/internal/retention/preview?until=2030-01-01"),
    ],
)
async def test_staff_cannot_call_internal_operations(
    client: httpx.AsyncClient, auth: Tokens, method: str, path: str
) -> None:
    response = await client.request(method, path, json={}, headers=auth.staff("manager", "dpo"))
    assert response.status_code == 403


async def test_a_machine_without_the_internal_scope_is_403(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.post(
        "/consent/internal/subjects/search",
        json={"identifiers": {"email": OPT_IN["email"]}},
        headers=auth.machine(scope="consent"),
    )
    assert response.status_code == 403


async def test_machines_cannot_read_consents_as_staff(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    response = await client.get(
        "/consent/subjects", params={"subject_ref": "x"}, headers=auth.machine()
    )
    assert response.status_code == 403


async def test_the_registrys_subject_erased_event_erases_the_persons_subscribers_once(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth)
    await record(client, auth, subject_ref="someone-else", email="annen@example.org")
    event = {
        "type": "subject.erased",
        "source": "registry",
        "subject_type": "person",
        "subject_refs": [OPT_IN["subject_ref"]],
        "reason": "retention",
        "rule": "contact_register",
        "on": today_oslo().isoformat(),
    }
    headers = {**auth.machine(), "Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/consent/internal/events", json=event, headers=headers)
    again = await client.post("/consent/internal/events", json=event, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"erased": 1}
    assert db_session.get(Subscriber, uuid.UUID(body["subscriber_id"])) is None
    assert [s.subject_ref for s in db_session.exec(select(Subscriber)).all()] == ["someone-else"]
    erasures = db_session.exec(select(AuditEvent).where(AuditEvent.action == "subscriber.erase"))
    assert len(erasures.all()) == 1


async def test_idempotency_records_are_deleted_after_30_days(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    await record(client, auth, key="old-message")
    await record(client, auth, key="new-message", purpose="surveys")
    old = db_session.get(ProcessedMessage, "old-message")
    assert old is not None
    old.processed_at = now_utc() - timedelta(days=31)
    db_session.add(old)
    db_session.flush()
    dry = await call(client, auth, "/retention/sweep", {"dry_run": True})
    assert dry["counts"]["idempotency_record"] == 1
    swept = await call(client, auth, "/retention/sweep", {"dry_run": False})
    assert swept["counts"]["idempotency_record"] == 1
    assert [m.key for m in db_session.exec(select(ProcessedMessage)).all()] == ["new-message"]


async def test_deleting_a_subscriber_deletes_the_idempotency_records_that_name_them(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    body = await record(client, auth, key="opt-in")
    await record(client, auth, key="someone-else", subject_ref="p2", email="to@example.org")
    request = {"request_id": "dsar-erase-9", "subject_ids": [body["subscriber_id"]]}
    await call(client, auth, "/subjects/erase", request)
    assert [m.key for m in db_session.exec(select(ProcessedMessage)).all()] == ["someone-else"]
