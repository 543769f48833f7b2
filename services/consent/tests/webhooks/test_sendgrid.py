"""SendGrid's signed event webhook over HTTP: verified, deduplicated, and deleting at once."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import httpx
import pytest
from sqlmodel import Session, select

from vern.consent.consents.models import Subscriber, SuppressedAddress, SuppressionReason
from vern.consent.subscriptions import hooks
from vern.consent.subscriptions.models import Subscription
from vern.consent.webhooks.models import ProcessedWebhookEvent
from vern.kit.audit import AuditEvent
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault

from .conftest import (
    SENDGRID_EVENTS,
    SENDGRID_PAYLOAD,
    SENDGRID_SIGNATURE,
    SENDGRID_TIMESTAMP,
    Signer,
    hold,
    row_counts,
    sendgrid_event,
    tables_holding,
)

pytestmark = pytest.mark.anyio
URL = "/consent/webhooks/sendgrid"
VECTOR_HEADERS = {
    "Content-Type": "application/json",
    "X-Twilio-Email-Event-Webhook-Signature": SENDGRID_SIGNATURE,
    "X-Twilio-Email-Event-Webhook-Timestamp": SENDGRID_TIMESTAMP,
}


async def post(
    client: httpx.AsyncClient, signer: Signer, *events: dict[str, object]
) -> httpx.Response:
    body = json.dumps(list(events)).encode()
    return await client.post(URL, content=body, headers=signer.headers(body))


@pytest.mark.usefixtures("published_vector")
async def test_sendgrids_published_vector_is_accepted_and_acted_on(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    subscriber = hold(db_session, vault, "hello@world.com")
    response = await client.post(URL, content=SENDGRID_PAYLOAD, headers=VECTOR_HEADERS)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "received": 1, "ignored": 0, "duplicates": 0, "removed": 1, "suppressed": 1
    }  # fmt: skip
    assert db_session.get(Subscriber, subscriber.id) is None
    suppressed = db_session.get(SuppressedAddress, subscriber.email_bidx)
    assert suppressed is not None
    assert suppressed.reason == SuppressionReason.dropped


@pytest.mark.usefixtures("published_vector")
@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ("body", "does not match"),
        ("key", "does not match"),
        ("old", "older than the replay window"),
        ("future", "in the future"),
        ("unsigned", "missing"),
    ],
)
async def test_a_request_not_signed_by_sendgrid_now_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
    db_session: Session,
    vault: Vault,
    monkeypatch: pytest.MonkeyPatch,
    change: str,
    detail: str,
) -> None:
    from vern.consent.webhooks.dependencies import webhook_clock

    hold(db_session, vault, "hello@world.com")
    before = row_counts(db_session)
    body, headers = SENDGRID_PAYLOAD, dict(VECTOR_HEADERS)
    app = client._transport.app  # type: ignore[attr-defined]
    if change == "body":
        body = body.replace(b"dropped", b"droppee")
    elif change == "key":
        monkeypatch.setattr(app.state.settings, "sendgrid_webhook_public_key", Signer().public_key)
    elif change == "old":
        later = int(SENDGRID_TIMESTAMP) + 601
        app.dependency_overrides[webhook_clock] = lambda: _at(later)
    elif change == "future":
        earlier = int(SENDGRID_TIMESTAMP) - 121
        app.dependency_overrides[webhook_clock] = lambda: _at(earlier)
    else:
        headers.pop("X-Twilio-Email-Event-Webhook-Signature")
    response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == 403
    assert detail in response.json()["detail"]
    assert "hello@world.com" not in response.text
    assert row_counts(db_session) == before


def _at(timestamp: int):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC)


async def test_without_a_configured_key_every_call_is_refused(
    client: httpx.AsyncClient, signer: Signer
) -> None:
    response = await post(client, signer, sendgrid_event("kari@example.org", "unsubscribe"))
    assert response.status_code == 403


@pytest.mark.parametrize("event", ["unsubscribe", "group_unsubscribe", "bounce", "dropped",
                                   "spamreport"])  # fmt: skip
async def test_after_the_event_no_table_but_the_suppression_list_holds_the_address(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, sendgrid_key: Signer,
    event: str,
) -> None:  # fmt: skip
    email = "Sigrid.Fjell@Example.org"
    subscriber = hold(db_session, vault, email.lower(), "general", "partners")
    bidx = subscriber.email_bidx
    extra = {"type": "bounce"} if event == "bounce" else {}
    response = await post(client, sendgrid_key, sendgrid_event(email, event, **extra))
    assert response.status_code == 200, response.text
    assert response.json()["removed"] == 2
    assert tables_holding(db_session, email.lower(), email, bidx) == {"suppressed_address"}
    assert tables_holding(db_session, str(subscriber.id)) <= {"audit_event"}
    assert db_session.exec(select(Subscription)).all() == []
    assert str(subscriber.id) in vault.shredded_since(now_utc() - timedelta(minutes=1))


async def test_a_soft_block_and_engagement_events_change_nothing(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, sendgrid_key: Signer
) -> None:
    subscriber = hold(db_session, vault, "kari@example.org")
    response = await post(
        client, sendgrid_key,
        sendgrid_event("kari@example.org", "bounce", type="blocked"),
        sendgrid_event("kari@example.org", "open"),
        sendgrid_event("kari@example.org", "delivered"),
    )  # fmt: skip
    assert response.json() == {
        "received": 3, "ignored": 3, "duplicates": 0, "removed": 0, "suppressed": 0
    }  # fmt: skip
    assert db_session.get(Subscriber, subscriber.id) is not None


async def test_a_repeated_event_changes_nothing(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, sendgrid_key: Signer
) -> None:
    event = sendgrid_event("kari@example.org", "unsubscribe", sg_event_id="sg-1")
    first = await post(client, sendgrid_key, event)
    assert first.json()["suppressed"] == 1
    hold(db_session, vault, "kari@example.org")  # subscribed again, with a fresh opt-in
    before = row_counts(db_session)
    again = await post(client, sendgrid_key, event, event)
    assert again.json() == {
        "received": 2, "ignored": 0, "duplicates": 2, "removed": 0, "suppressed": 0
    }  # fmt: skip
    after = row_counts(db_session)
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }


async def test_an_event_twice_in_one_batch_is_handled_once(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, sendgrid_key: Signer
) -> None:
    hold(db_session, vault, "kari@example.org")
    event = sendgrid_event("kari@example.org", "spamreport", sg_event_id="sg-2")
    response = await post(client, sendgrid_key, event, event)
    assert response.json()["duplicates"] == 1
    assert response.json()["removed"] == 1


async def test_an_address_vern_does_not_hold_is_suppressed_so_no_sync_adds_it(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, sendgrid_key: Signer
) -> None:
    response = await post(client, sendgrid_key, sendgrid_event("ola@example.org", "bounce"))
    assert response.json()["suppressed"] == 1
    assert db_session.get(SuppressedAddress, vault.blind_index("email", "ola@example.org"))


async def test_processed_event_ids_older_than_their_retention_are_deleted(
    client: httpx.AsyncClient, db_session: Session, sendgrid_key: Signer
) -> None:
    db_session.add(
        ProcessedWebhookEvent(
            provider="sendgrid", event_id="ancient", received_at=now_utc() - timedelta(days=8)
        )
    )
    db_session.flush()
    await post(client, sendgrid_key, sendgrid_event("kari@example.org", "open"))
    ids = db_session.exec(select(ProcessedWebhookEvent.event_id)).all()
    assert "ancient" not in ids


async def test_a_call_is_audited_with_counts_and_no_address(
    client: httpx.AsyncClient, db_session: Session, sendgrid_key: Signer
) -> None:
    await post(client, sendgrid_key, sendgrid_event("kari@example.org", "unsubscribe"))
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "webhook.sendgrid")).one()
    assert event.reason is not None
    assert "suppressed 1" in event.reason
    assert "kari" not in event.model_dump_json()


@pytest.mark.parametrize("body", [b"not json", b'{"event": "unsubscribe"}'])
async def test_a_signed_body_that_is_not_an_event_array_is_a_bad_request(
    client: httpx.AsyncClient, db_session: Session, sendgrid_key: Signer, body: bytes
) -> None:
    before = row_counts(db_session)
    response = await client.post(URL, content=body, headers=sendgrid_key.headers(body))
    assert response.status_code == 400
    assert row_counts(db_session) == before


def test_the_published_vector_payload_is_the_event_list() -> None:
    assert json.loads(SENDGRID_PAYLOAD) == SENDGRID_EVENTS


async def test_the_address_removed_hooks_see_each_address_before_its_key_goes(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, sendgrid_key: Signer
) -> None:
    seen: list[tuple[str | None, bool, int]] = []

    def hook(_session: Session, _vault: Vault, removal: hooks.AddressRemoval) -> None:
        seen.append((removal.email, removal.address_deleted, len(removal.subscriptions)))

    hold(db_session, vault, "kari@example.org", "general", "partners")
    hooks.address_removed_hooks.append(hook)
    try:
        await post(client, sendgrid_key, sendgrid_event("kari@example.org", "unsubscribe"))
    finally:
        hooks.address_removed_hooks.remove(hook)
    assert seen == [("kari@example.org", True, 2)]


async def test_no_address_from_the_body_reaches_the_logs(
    client: httpx.AsyncClient,
    db_session: Session,
    vault: Vault,
    sendgrid_key: Signer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hold(db_session, vault, "kari.logged@example.org")
    caplog.set_level(logging.DEBUG)
    event = sendgrid_event("Kari.Logged@Example.org", "unsubscribe")
    await post(client, sendgrid_key, event, sendgrid_event("ola.logged@example.org", "open"))
    body = json.dumps([event]).encode()
    refused = {**sendgrid_key.headers(body), "X-Twilio-Email-Event-Webhook-Timestamp": "1"}
    assert (await client.post(URL, content=body, headers=refused)).status_code == 403
    assert "logged@example.org" not in caplog.text.lower()


async def test_an_event_without_an_event_id_still_deletes_the_address(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, sendgrid_key: Signer
) -> None:
    subscriber = hold(db_session, vault, "kari@example.org")
    event = sendgrid_event("kari@example.org", "unsubscribe")
    del event["sg_event_id"]
    response = await post(client, sendgrid_key, event)
    assert response.json()["removed"] == 1
    assert db_session.get(Subscriber, subscriber.id) is None
