"""A SendGrid event webhook batch cut short: consent killed (SIGKILL, by pid) while it handles the
batch and started again, or the PostgreSQL server stopped (immediate, as a crash) and started
again. SendGrid redelivers the batch (it does so for any call that gets no 2xx), and every event
is then applied exactly once. None lost, none applied twice, the audit chain verifies.

A batch is one transaction in consent (event ids, deletions and audit events commit together), so
the fault must land while that transaction is open: the progress signal is PostgreSQL's own, the
batch's lock on `processed_webhook_event` held by an uncommitted transaction.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import create_engine, func, select, text

from vern.kit.audit import AuditEvent
from vern.kit.crypto import subject_key
from vern.kit.testing.pgserver import PostgresServer

from .processes import ROOT, Process, free_port, run_cli, serve, service_env, wait_for

pytestmark = pytest.mark.integration

HELD = 1500  # subscribers Vern holds, each unsubscribed in the batch
UNKNOWN = 50  # addresses Vern does not hold: suppressed all the same
WAIT = 90.0  # seconds: the bound on each wait on a busy machine


class Signer:
    """Signs bodies as SendGrid does (ECDSA P-256 over timestamp + body), with a key of our own."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(der).decode()

    def headers(self, body: bytes) -> dict[str, str]:
        stamp = str(int(time.time()))  # each delivery is signed afresh, redeliveries too
        signature = self.private_key.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "Content-Type": "application/json",
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }


def _url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def seed_subscribers(env: dict[str, str], count: int) -> list[str]:
    """Confirmed subscribers of the general newsletter, seeded by a process of its own."""
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.integration.consent_seed", str(count)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    ids: list[str] = json.loads(seeded.stdout.strip().splitlines()[-1])
    return ids


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.fixture
def databases(postgres: PostgresServer) -> dict[str, str]:
    # Migrated by `python -m vern.consent migrate` in the test: consent's models are never
    # imported here (see consent_seed).
    return {name: postgres.create_database(name) for name in ("consent", "consent_keys")}


def batch_open(consent_db: Any) -> bool:
    """Whether an uncommitted transaction holds the batch's lock on the processed-event table."""
    with consent_db.connect() as conn:
        held = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'processed_webhook_event' AND l.mode = 'RowExclusiveLock' "
                "AND l.pid <> pg_backend_pid()"
            )
        ).scalar_one()
    return bool(held)


@pytest.mark.parametrize("fault", ["consent killed", "postgresql stopped"])
def test_a_sendgrid_batch_cut_short_applies_each_event_once_after_redelivery(
    postgres: PostgresServer, databases: dict[str, str], tmp_path: Path, fault: str
) -> None:
    started = time.monotonic()
    signer = Signer()
    held = [f"abonnent{i}@example.org" for i in range(HELD)]  # as consent_seed makes them
    unknown = [f"ukjent{i}@example.org" for i in range(UNKNOWN)]
    events = [
        {"email": email, "event": "unsubscribe", "sg_event_id": uuid.uuid4().hex,
         "sg_message_id": f"msg.{i}", "timestamp": int(time.time())}
        for i, email in enumerate(held + unknown)
    ]  # fmt: skip
    body = json.dumps(events).encode()
    port = free_port()
    env = service_env(
        "CONSENT",
        database_url=databases["consent"],
        keystore_url=databases["consent_keys"],
        sendgrid_webhook_public_key=signer.public_key,
        registry_url=f"http://127.0.0.1:{free_port()}",
        token_issuer=f"http://127.0.0.1:{free_port()}",
    )
    migrated = run_cli("consent", "migrate", env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    subscriber_ids = seed_subscribers(env, HELD)
    url = f"http://127.0.0.1:{port}/consent/webhooks/sendgrid"
    consent_db = create_engine(_url(databases["consent"]))
    keystore = create_engine(_url(databases["consent_keys"]))
    processes: list[Process] = []

    def deliver() -> httpx.Response:
        return httpx.post(url, content=body, headers=signer.headers(body), timeout=WAIT)

    try:
        consent = serve("consent", port, env, tmp_path)
        processes.append(consent)
        first: list[BaseException | httpx.Response] = []

        def first_delivery() -> None:
            try:
                first.append(deliver())
            except httpx.TransportError as exc:
                first.append(exc)

        sender = threading.Thread(target=first_delivery)
        sender.start()
        wait_for(lambda: batch_open(consent_db), timeout=WAIT, what="the batch's transaction open")
        if fault == "consent killed":
            consent.kill()
        else:
            postgres.pause()
        sender.join(timeout=WAIT)
        assert len(first) == 1
        if fault == "consent killed":
            # SendGrid saw no answer: it redelivers.
            assert isinstance(first[0], httpx.TransportError), first[0]
            processes.append(serve("consent", port, env, tmp_path))
        else:
            # Consent answered that its database is unavailable: SendGrid redelivers.
            assert isinstance(first[0], httpx.Response), first[0]
            assert first[0].status_code == 503, first[0].text
            postgres.resume()
            consent_db.dispose()  # its connections went with the server
        # Nothing of the batch was applied.
        with consent_db.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM processed_webhook_event")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM subscriber")).scalar() == HELD

        redelivered = deliver()
        assert redelivered.status_code == 200, redelivered.text
        assert redelivered.json() == {
            "received": HELD + UNKNOWN, "ignored": 0, "duplicates": 0, "removed": HELD,
            "suppressed": HELD + UNKNOWN,
        }  # fmt: skip
        # SendGrid may deliver once more (its retries overlap): nothing happens twice.
        again = deliver()
        assert again.status_code == 200, again.text
        assert again.json()["duplicates"] == HELD + UNKNOWN
        assert (again.json()["removed"], again.json()["suppressed"]) == (0, 0)

        with consent_db.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM subscriber")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM subscription")).scalar() == 0
            assert (
                conn.execute(text("SELECT count(*) FROM suppressed_address")).scalar()
                == HELD + UNKNOWN
            )
            handled = conn.execute(
                text("SELECT count(DISTINCT event_id), count(*) FROM processed_webhook_event")
            ).one()
            deletions = conn.execute(
                select(AuditEvent.subject_id, func.count())  # type: ignore[call-overload]
                .where(AuditEvent.action == "subscriber.delete")
                .group_by(AuditEvent.subject_id)
            ).all()
        twice = handled[1] - handled[0] + sum(n - 1 for _s, n in deletions if n > 1)
        figures = (
            f"{handled[0]} of {HELD + UNKNOWN} events applied, "
            f"{HELD + UNKNOWN - handled[0]} lost, {twice} twice"
        )
        assert tuple(handled) == (HELD + UNKNOWN, HELD + UNKNOWN)
        assert dict(deletions) == dict.fromkeys(subscriber_ids, 1)
        with keystore.connect() as conn:
            keys = {str(s) for s in conn.execute(select(subject_key.c.subject_id)).scalars()}
        assert keys.isdisjoint(subscriber_ids)
        verified = run_cli("consent", "verify-audit", env)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        for process in reversed(processes):
            process.stop()
        consent_db.dispose()
        keystore.dispose()
    print(
        f"\n{fault} during a webhook batch, after SendGrid's redeliveries: {figures}; "
        f"test {time.monotonic() - started:.1f} s"
    )
