"""Webhook test helpers: signing keys, SendGrid's published vector, subscribers Vern holds."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session

from vern.consent.consents.models import Subscriber
from vern.consent.subscriptions import service as subscription_service
from vern.consent.webhooks.dependencies import webhook_clock
from vern.kit.clock import now_utc
from vern.kit.crypto import Vault
from vern.kit.db import metadata

# SendGrid's own test vector for the signed event webhook, from sendgrid/sendgrid-python,
# test/unit/test_eventwebhook.py (public key, signature, timestamp and payload as published; the
# payload is the compact, key-sorted JSON followed by "\r\n").
SENDGRID_PUBLIC_KEY = (
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+"
    "2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="
)
SENDGRID_SIGNATURE = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM="
SENDGRID_TIMESTAMP = "1600112502"
SENDGRID_EVENTS = [
    {
        "email": "hello@world.com",
        "event": "dropped",
        "reason": "Bounced Address",
        "sg_event_id": "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA",
        "sg_message_id": "LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0",
        "smtp-id": "<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>",
        "timestamp": 1600112492,
    }
]
SENDGRID_PAYLOAD = (
    json.dumps(SENDGRID_EVENTS, sort_keys=True, separators=(",", ":")) + "\r\n"
).encode()
# Shortly after SendGrid signed the vector: inside the replay window.
VECTOR_NOW = datetime.fromtimestamp(int(SENDGRID_TIMESTAMP) + 30, UTC)
MAILCHIMP_SECRET = "mc-" + "s3cr3t" * 8


class Signer:
    """Signs bodies as SendGrid does, with a key of our own."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(der).decode()

    def headers(self, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(timestamp if timestamp is not None else int(now_utc().timestamp()))
        signature = self.private_key.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "Content-Type": "application/json",
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer()


@pytest.fixture
def sendgrid_key(vern_app: FastAPI, signer: Signer, monkeypatch: pytest.MonkeyPatch) -> Signer:
    """The app verifies with our own key."""
    monkeypatch.setattr(vern_app.state.settings, "sendgrid_webhook_public_key", signer.public_key)
    return signer


@pytest.fixture
def published_vector(vern_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app verifies with SendGrid's published test key, at the vector's time."""
    monkeypatch.setattr(vern_app.state.settings, "sendgrid_webhook_public_key", SENDGRID_PUBLIC_KEY)
    vern_app.dependency_overrides[webhook_clock] = lambda: VECTOR_NOW
    yield
    vern_app.dependency_overrides.pop(webhook_clock, None)


@pytest.fixture
def mailchimp_secret(vern_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(vern_app.state.settings, "mailchimp_webhook_secret", MAILCHIMP_SECRET)
    return MAILCHIMP_SECRET


def sendgrid_event(email: str, event: str, **extra: object) -> dict[str, object]:
    return {
        "email": email,
        "event": event,
        "sg_event_id": extra.pop("sg_event_id", uuid.uuid4().hex),
        "sg_message_id": "msg." + uuid.uuid4().hex,
        "timestamp": int(now_utc().timestamp()),
        **extra,
    }


def hold(session: Session, vault: Vault, email: str, *lists: str) -> Subscriber:
    """A subscriber Vern holds, confirmed on the given lists of the profile."""
    subscriber_id = uuid.uuid4()
    vault.create_subject_key(str(subscriber_id))
    subscriber = Subscriber(
        id=subscriber_id,
        email_ct=vault.encrypt(str(subscriber_id), email, context="subscriber.email") or "",
        email_bidx=vault.blind_index("email", email),
        created_at=now_utc(),
    )
    session.add(subscriber)
    session.flush()
    for list_id in lists or ("general",):
        subscription_service.subscribe_confirmed(
            session=session, vault=vault, subscriber=subscriber, list_id=list_id, at=now_utc()
        )
    return subscriber


def tables_holding(session: Session, *needles: str) -> set[str]:
    """The tables where any row contains any of the strings (plaintext, hash or id)."""
    found = set()
    for table in metadata.sorted_tables:
        rows = session.execute(text(f'SELECT * FROM "{table.name}"')).all()  # noqa: S608
        for row in rows:
            cells = " ".join(str(value) for value in row)
            if any(needle in cells for needle in needles):
                found.add(table.name)
                break
    return found


def row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: int(
            session.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar_one()  # noqa: S608
        )
        for table in metadata.sorted_tables
    }
