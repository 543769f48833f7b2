"""What Vern tells the journal vendor: signed webhooks from the outbox, once per event."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from vern.kit import outbox, webhooks
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.db import make_engine
from vern.kit.migrations import upgrade
from vern.kit.orgprofile import OrgProfile
from vern.kit.outbox import OutboxMessage
from vern.kit.testing.plugin import Databases, ServiceSpec
from vern.kit.webhooks import WebhookClient
from vern.registry.config import RegistrySettings
from vern.registry.journal import events
from vern.registry.journal.models import JournalLink
from vern.registry.persons.models import Person

from .conftest import MakeClient, add_client, profile
from .reference_vendor import Journal, ServedVendor

SECRET = webhooks.generate_secret()
TARGET = "journal:aspit_journal"
DUE = date(2028, 1, 10)


def _link(session: Session, vault: Vault, person: Person, reference: str) -> None:
    session.add(
        JournalLink(
            person_id=person.id,
            vendor_reference_ct=vault.encrypt(
                str(person.id), reference, context="journal.reference"
            )
            or "",
            vendor_reference_bidx=vault.blind_index("journal_reference", reference),
            linked_at=datetime.now(UTC),
        )
    )
    session.flush()


def _parts(app: FastAPI) -> dict[str, Any]:
    """The vault and the profile in force, as the app's callers pass them."""
    return {"vault": app.state.vault, "profile": app.state.profile}


def _payload(vault: Vault, message: OutboxMessage) -> dict[str, object]:
    sealed = vault.decrypt(message.subject_id, message.payload, context="outbox.payload")
    assert sealed is not None
    payload: dict[str, object] = json.loads(sealed)
    return payload


# -- what is queued -------------------------------------------------------------------------


def test_the_profile_names_the_vendor_to_notify() -> None:
    assert events.notified_vendors(profile("tryggere")) == ["aspit_journal"]
    assert events.notified_vendors(profile("nokbergen")) == []


def test_retention_due_is_queued_for_the_vendor_with_ids_reference_and_date_only(
    make_client: MakeClient, db_session: Session, vern_app: FastAPI, tryggere: OrgProfile
) -> None:
    vault = vern_app.state.vault
    person = make_client()
    _link(db_session, vault, person, "ASPIT-1")
    (message,) = events.enqueue_retention_due(
        db_session, **_parts(vern_app), person_id=person.id, due_date=DUE
    )
    assert message.target == TARGET
    assert "ASPIT-1" not in message.payload  # sealed
    payload = _payload(vault, message)
    assert payload["type"] == "journal.retention_due"
    assert payload["data"] == {
        "client_id": str(person.id),
        "vendor_reference": "ASPIT-1",
        "due_date": DUE.isoformat(),
    }


def test_queueing_the_same_event_twice_sends_it_once(
    make_client: MakeClient, db_session: Session, vern_app: FastAPI, tryggere: OrgProfile
) -> None:
    person = make_client()
    first = events.enqueue_subject_erased(
        db_session, **_parts(vern_app), person_id=person.id, reason="erasure_request"
    )
    again = events.enqueue_subject_erased(
        db_session, **_parts(vern_app), person_id=person.id, reason="erasure_request"
    )
    assert [m.id for m in first] == [m.id for m in again]
    assert len(db_session.exec(select(OutboxMessage)).all()) == 1


def test_the_vendor_hears_nothing_of_a_client_who_never_consented(
    make_client: MakeClient, db_session: Session, vern_app: FastAPI, tryggere: OrgProfile
) -> None:
    person = make_client(consent=False)
    assert (
        events.enqueue_subject_erased(
            db_session, **_parts(vern_app), person_id=person.id, reason="erasure_request"
        )
        == []
    )
    assert (
        events.enqueue_retention_due(
            db_session, **_parts(vern_app), person_id=person.id, due_date=DUE
        )
        == []
    )


def test_a_centre_without_a_journal_vendor_queues_nothing(
    make_client: MakeClient, db_session: Session, vern_app: FastAPI
) -> None:
    person = make_client()  # Nok. Bergen's profile
    assert (
        events.enqueue_subject_erased(
            db_session, **_parts(vern_app), person_id=person.id, reason="erasure_request"
        )
        == []
    )


def test_the_erased_event_outlives_the_erasure_of_the_client(
    make_client: MakeClient, db_session: Session, vern_app: FastAPI, tryggere: OrgProfile
) -> None:
    vault = vern_app.state.vault
    person = make_client()
    _link(db_session, vault, person, "ASPIT-3")
    (message,) = events.enqueue_subject_erased(
        db_session, **_parts(vern_app), person_id=person.id, reason="erasure_request"
    )
    db_session.delete(person)
    db_session.flush()
    vault.shred(str(person.id))
    assert db_session.get(JournalLink, person.id) is None  # deleted with the client
    assert _payload(vault, message)["data"] == {
        "client_id": str(person.id),
        "vendor_reference": "ASPIT-3",
        "reason": "erasure_request",
        "erased_on": message.created_at.date().isoformat(),
    }


# -- delivery to the reference vendor over HTTP --------------------------------------------


@pytest.fixture(scope="session")
def delivery_engine(vern_service: ServiceSpec, vern_databases: Databases) -> Iterator[Engine]:
    """A database of its own, migrated, for delivery: the outbox commits what it delivers, which
    the rolled-back test transaction of `db_session` cannot show it."""
    url = vern_databases.make(f"registry_delivery_{uuid.uuid4().hex[:8]}")
    upgrade(vern_service.migrations, url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def vendor_server() -> Iterator[ServedVendor]:
    served = ServedVendor(SECRET)
    served.start()
    yield served
    served.stop()


def _deliver(
    engine: Engine, vault: Vault, vendor: ServedVendor, message_id: uuid.UUID, now: datetime
) -> dict[str, int]:
    clients = {TARGET: WebhookClient(url=vendor.url, secret=SECRET)}
    return outbox.deliver_due(engine, vault, clients, only=message_id, now=now)


def _erased_event(engine: Engine, vault: Vault, vendor: ServedVendor) -> uuid.UUID:
    """A consenting client with a journal at the vendor, and the queued `subject.erased`."""
    reference = f"ASPIT-{uuid.uuid4().hex[:8]}"
    with Session(engine, expire_on_commit=False) as session:
        person = add_client(session, vault, national_id=None, counsellor=None)
        _link(session, vault, person, reference)
        (message,) = events.enqueue_subject_erased(
            session,
            person_id=person.id,
            reason="retention_expired",
            vault=vault,
            profile=profile("tryggere"),
        )
        session.commit()
    vendor.state.journals[reference] = Journal(client_id=str(person.id))
    return message.id


def test_the_vendor_receives_a_correctly_signed_event_and_erases_the_journal(
    delivery_engine: Engine, vern_app: FastAPI, vendor_server: ServedVendor
) -> None:
    vault = vern_app.state.vault
    message_id = _erased_event(delivery_engine, vault, vendor_server)
    counts = _deliver(delivery_engine, vault, vendor_server, message_id, datetime.now(UTC))
    assert counts["delivered"] == 1
    assert vendor_server.state.applied == [(str(message_id), "subject.erased")]
    (journal,) = vendor_server.state.journals.values()
    assert journal.erased
    assert journal.notes == []


def test_the_vendor_rejects_a_tampered_event(vendor_server: ServedVendor) -> None:
    body = webhooks.encode_body({"type": "subject.erased", "data": {"client_id": "a"}})
    now = datetime.now(UTC)
    signed = webhooks.sign(SECRET, webhook_id="msg_1", body=body, timestamp=now)
    forged = webhooks.sign(webhooks.generate_secret(), webhook_id="msg_1", body=body, timestamp=now)
    tampered = body.replace(b'"a"', b'"b"')
    for content, headers in ((tampered, signed), (body, forged)):
        assert httpx.post(vendor_server.url, content=content, headers=headers).status_code == 401
    assert vendor_server.state.rejected == 2
    assert vendor_server.state.applied == []
    assert httpx.post(vendor_server.url, content=body, headers=signed).status_code == 204


def test_a_failing_vendor_is_retried_and_gets_the_event_once_it_is_back(
    delivery_engine: Engine, vern_app: FastAPI, vendor_server: ServedVendor
) -> None:
    vault = vern_app.state.vault
    message_id = _erased_event(delivery_engine, vault, vendor_server)
    now = datetime.now(UTC)
    vendor_server.state.fail_with = 500
    assert _deliver(delivery_engine, vault, vendor_server, message_id, now)["failed"] == 1
    # Backing off: the failed event is not due again at once.
    assert _deliver(delivery_engine, vault, vendor_server, message_id, now)["failed"] == 0
    vendor_server.stop()  # connection refused
    now += timedelta(minutes=5)
    assert _deliver(delivery_engine, vault, vendor_server, message_id, now)["failed"] == 1
    vendor_server.state.fail_with = None
    vendor_server.start()
    now += timedelta(minutes=5)
    assert _deliver(delivery_engine, vault, vendor_server, message_id, now)["delivered"] == 1
    assert [h["webhook-id"] for h in vendor_server.state.received] == [str(message_id)] * 2
    assert vendor_server.state.applied == [(str(message_id), "subject.erased")]
    with Session(delivery_engine) as session:
        stored = session.get(OutboxMessage, message_id)
        assert stored is not None
        assert stored.delivered_at is not None
        assert stored.attempts == 3


def test_a_repeated_delivery_carries_the_same_webhook_id_and_is_applied_once(
    delivery_engine: Engine, vern_app: FastAPI, vendor_server: ServedVendor
) -> None:
    vault = vern_app.state.vault
    message_id = _erased_event(delivery_engine, vault, vendor_server)
    now = datetime.now(UTC)
    assert _deliver(delivery_engine, vault, vendor_server, message_id, now)["delivered"] == 1
    # The vendor's answer was lost: the outbox still holds the event as undelivered and sends it
    # again (with a fresh timestamp and signature, and the same id).
    with Session(delivery_engine) as session:
        stored = session.get(OutboxMessage, message_id)
        assert stored is not None
        stored.delivered_at = None
        session.add(stored)
        session.commit()
    assert _deliver(delivery_engine, vault, vendor_server, message_id, now)["delivered"] == 1
    ids = [h["webhook-id"] for h in vendor_server.state.received]
    assert ids == [str(message_id)] * 2
    assert len(vendor_server.state.applied) == 1


def test_what_the_vendor_was_told_is_forgotten_once_it_arrived(
    delivery_engine: Engine, vern_app: FastAPI, vendor_server: ServedVendor
) -> None:
    vault = vern_app.state.vault
    message_id = _erased_event(delivery_engine, vault, vendor_server)
    with Session(delivery_engine) as session:
        stored = session.get(OutboxMessage, message_id)
        assert stored is not None
    assert _payload(vault, stored)["type"] == "subject.erased"
    # Not yet delivered: the event must stay readable for its retries.
    events.forget_delivered(delivery_engine, vault)
    assert _payload(vault, stored)["type"] == "subject.erased"
    _deliver(delivery_engine, vault, vendor_server, message_id, datetime.now(UTC))
    assert events.forget_delivered(delivery_engine, vault) >= 1
    with Session(delivery_engine) as session:
        assert session.get(OutboxMessage, message_id) is None
    with pytest.raises(SubjectKeyMissing):
        _payload(vault, stored)


def test_the_registry_signs_for_the_vendor_its_settings_name(
    delivery_engine: Engine, vern_app: FastAPI, vendor_server: ServedVendor
) -> None:
    settings = RegistrySettings(
        journal_webhook_url=vendor_server.url, journal_webhook_secret=SECRET
    )
    assert events.vendor_clients(settings, profile("nokbergen")) == {}
    clients = events.vendor_clients(settings, profile("tryggere"))
    assert list(clients) == [TARGET]
    vault = vern_app.state.vault
    message_id = _erased_event(delivery_engine, vault, vendor_server)
    counts = outbox.deliver_due(delivery_engine, vault, clients, only=message_id)
    assert counts["delivered"] == 1
    assert vendor_server.state.applied == [(str(message_id), "subject.erased")]
