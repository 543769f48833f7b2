"""Signed outgoing webhooks: Standard Webhooks signatures, and their delivery from the outbox."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from standardwebhooks import Webhook

from vern.kit import outbox, webhooks
from vern.kit.crypto import Vault, keystore_metadata
from vern.kit.db import make_engine
from vern.kit.outbox import OutboxMessage
from vern.kit.testing.plugin import Databases
from vern.kit.webhooks import WebhookClient, WebhookRejected

SECRET = webhooks.generate_secret()
OTHER_SECRET = webhooks.generate_secret()
BODY = webhooks.encode_body({"type": "subject.erased", "data": {"client_id": "c-1"}})


def _signed(body: bytes = BODY, webhook_id: str = "msg_1") -> dict[str, str]:
    return webhooks.sign(SECRET, webhook_id=webhook_id, body=body, timestamp=datetime.now(UTC))


def test_a_signed_webhook_verifies_with_the_standardwebhooks_package() -> None:
    headers = _signed()
    assert Webhook(SECRET).verify(BODY, headers) == json.loads(BODY)
    assert webhooks.verify(SECRET, body=BODY, headers=headers) == json.loads(BODY)


@pytest.mark.parametrize(
    "tamper",
    ["body", "id", "timestamp", "secret", "signature header", "missing header", "old"],
)
def test_a_tampered_or_stale_webhook_is_rejected(tamper: str) -> None:
    body, secret = BODY, SECRET
    headers = _signed()
    if tamper == "body":
        body = BODY.replace(b"c-1", b"c-2")
    elif tamper == "id":
        headers["webhook-id"] = "msg_2"
    elif tamper == "timestamp":
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + 1)
    elif tamper == "secret":
        secret = OTHER_SECRET
    elif tamper == "signature header":
        headers["webhook-signature"] = "not-a-signature"
    elif tamper == "missing header":
        del headers["webhook-signature"]
    elif tamper == "old":
        headers = webhooks.sign(
            SECRET,
            webhook_id="msg_1",
            body=BODY,
            timestamp=datetime.now(UTC) - timedelta(minutes=10),
        )
    with pytest.raises(WebhookRejected):
        webhooks.verify(secret, body=body, headers=headers)


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "not-prefixed",
        "whsec_***not base64***",
        "whsec_" + base64.b64encode(b"short").decode(),
        "whsec_" + base64.b64encode(b"x" * 65).decode(),
    ],
)
def test_a_malformed_secret_is_refused_without_quoting_it(secret: str) -> None:
    with pytest.raises(ValueError, match="webhook secret") as refused:
        webhooks.check_secret(secret)
    assert not secret or secret not in str(refused.value)


def test_the_dev_secret_is_well_formed() -> None:
    assert webhooks.check_secret(webhooks.DEV_WEBHOOK_SECRET)


class Receiver:
    """A mock receiver that verifies every request and answers with the statuses queued."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        webhooks.verify(SECRET, body=request.content, headers=dict(request.headers))
        status = self.statuses.pop(0) if self.statuses else 204
        if status == 0:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(status, headers={"Location": "https://elsewhere.test/"})

    def client(self) -> WebhookClient:
        return WebhookClient(
            url="https://vendor.test/hooks", secret=SECRET, transport=httpx.MockTransport(self)
        )


def test_the_client_signs_the_exact_body_it_sends_with_the_idempotency_key_as_id() -> None:
    receiver = Receiver()
    receiver.client().post("", json={"a": "æøå"}, idempotency_key="msg_7")
    (request,) = receiver.requests
    assert request.headers["webhook-id"] == "msg_7"
    assert request.headers["content-type"] == "application/json"
    assert webhooks.verify(SECRET, body=request.content, headers=dict(request.headers)) == {
        "a": "æøå"
    }


@pytest.mark.parametrize("status", [500, 302, 404])
def test_a_receiver_that_does_not_answer_2xx_is_a_failed_delivery(status: int) -> None:
    receiver = Receiver(status)
    with pytest.raises(httpx.HTTPStatusError):
        receiver.client().post("", json={}, idempotency_key="msg_1")
    assert len(receiver.requests) == 1  # no redirect followed


# -- delivery from the outbox ---------------------------------------------------------------


@pytest.fixture
def stores(vern_databases: Databases) -> Iterator[tuple[Engine, Vault]]:
    tag = uuid.uuid4().hex[:8]
    engine = make_engine(vern_databases.make(f"outbox_{tag}"))
    OutboxMessage.__table__.create(engine)  # type: ignore[attr-defined]
    keystore = make_engine(vern_databases.make(f"outbox_keys_{tag}"))
    keystore_metadata.create_all(keystore)
    vault = Vault(keystore, keks={"a": b"a" * 32}, active_kek_id="a", blind_index_key=b"i" * 32)
    vault.create_subject_key("s1")
    yield engine, vault
    engine.dispose()
    keystore.dispose()


def _enqueue(engine: Engine, vault: Vault, message_id: uuid.UUID | None = None) -> OutboxMessage:
    with Session(engine, expire_on_commit=False) as session:
        message = outbox.enqueue(
            session,
            vault,
            target="vendor",
            path="",
            subject_id="s1",
            payload={"type": "subject.erased"},
            message_id=message_id,
        )
        session.commit()
        return message


def test_a_failing_receiver_gets_the_event_again_later_with_the_same_webhook_id(
    stores: tuple[Engine, Vault],
) -> None:
    engine, vault = stores
    receiver = Receiver(500, 0)  # a server error, then connection refused, then it is back
    clients = {"vendor": receiver.client()}
    message = _enqueue(engine, vault)
    now = datetime.now(UTC)
    assert outbox.deliver_due(engine, vault, clients, now=now)["failed"] == 1
    # Backing off: nothing is due until the next attempt's time has come.
    nothing = {"delivered": 0, "failed": 0, "dropped": 0}
    assert outbox.deliver_due(engine, vault, clients, now=now) == nothing
    later = now + timedelta(minutes=5)
    assert outbox.deliver_due(engine, vault, clients, now=later)["failed"] == 1
    much_later = later + timedelta(minutes=5)
    assert outbox.deliver_due(engine, vault, clients, now=much_later)["delivered"] == 1
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert ids == {str(message.id)}
    assert len(receiver.requests) == 3
    with Session(engine) as session:
        stored = session.get(OutboxMessage, message.id)
        assert stored is not None
        assert (stored.attempts, stored.last_error) == (3, None)
        assert stored.delivered_at is not None


def test_enqueueing_an_event_id_twice_stores_one_message(stores: tuple[Engine, Vault]) -> None:
    engine, vault = stores
    event_id = uuid.uuid4()
    first, second = _enqueue(engine, vault, event_id), _enqueue(engine, vault, event_id)
    assert first.id == second.id == event_id
    receiver = Receiver()
    assert outbox.deliver_due(engine, vault, {"vendor": receiver.client()})["delivered"] == 1
    assert len(receiver.requests) == 1


def test_a_delivery_running_while_another_sends_does_not_send_the_same_message(
    stores: tuple[Engine, Vault],
) -> None:
    engine, vault = stores
    first, second = _enqueue(engine, vault), _enqueue(engine, vault)
    receiver = Receiver()
    overlapping: list[dict[str, int]] = []

    class Overlapping:
        """Starts a second delivery (the scheduler's, say) from inside the first one's call."""

        def post(
            self, path: str, *, json: object, idempotency_key: str | None = None
        ) -> httpx.Response:
            if not overlapping:
                overlapping.append(outbox.deliver_due(engine, vault, {"vendor": self}))
            return receiver.client().post(path, json=json, idempotency_key=idempotency_key)

    counts = outbox.deliver_due(engine, vault, {"vendor": Overlapping()})

    assert overlapping == [{"delivered": 0, "failed": 0, "dropped": 0}]
    assert counts == {"delivered": 2, "failed": 0, "dropped": 0}
    ids = sorted(r.headers["webhook-id"] for r in receiver.requests)
    assert ids == sorted([str(first.id), str(second.id)])
