"""Benchmark: one signed SendGrid batch of 10,000 events (mixed types, 10% repeats) posted to
`/consent/webhooks/sendgrid` of a real uvicorn on loopback, end to end (signature, parsing,
deduplication, deletion of every held address, suppression, audit, commit), against verifying
and parsing the same batch in this process without touching a database.

    make bench            # or: uv run python -m tests.bench.sendgrid_webhook [--rounds 3]

Each round posts a fresh batch (new event ids, new addresses) to the same database, a tenth of
whose addresses Vern holds as confirmed subscribers; the figure is the median round.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlmodel import Session

from tests.bench.harness import free_port, python, start
from vern.consent import main as consent_main
from vern.consent.config import ConsentSettings
from vern.consent.consents.models import Subscriber
from vern.consent.subscriptions import service as subscription_service
from vern.consent.webhooks.events import parse_sendgrid
from vern.consent.webhooks.signature import SendGridVerifier, load_public_key
from vern.kit.app import make_vault
from vern.kit.db import make_engine
from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.testing.pgserver import PostgresServer

EVENTS = 10_000
REPEATS = 0.10
HELD = 0.10
# The mix SendGrid sends for a newsletter: mostly delivery and engagement events.
KINDS = [
    ("processed", {}),
    ("delivered", {}),
    ("delivered", {}),
    ("open", {}),
    ("click", {}),
    ("deferred", {}),
    ("bounce", {"type": "blocked"}),
    ("bounce", {"type": "bounce"}),
    ("dropped", {"reason": "Bounced Address"}),
    ("unsubscribe", {}),
    ("group_unsubscribe", {"asm_group_id": 1}),
    ("spamreport", {}),
]


def address(round_no: int, n: int) -> str:
    return f"bench{round_no}.{n}@example.org"


def make_batch(round_no: int) -> bytes:
    """10,000 events over fresh addresses and ids; every tenth repeats an earlier event."""
    unique = int(EVENTS * (1 - REPEATS))
    events = []
    for n in range(unique):
        kind, extra = KINDS[n % len(KINDS)]
        events.append(
            {
                "email": address(round_no, n),
                "event": kind,
                "sg_event_id": uuid.uuid4().hex,
                "sg_message_id": f"{uuid.uuid4().hex}.filter0001",
                "timestamp": int(time.time()),
                **extra,
            }
        )
    repeats = [events[(n * 7) % unique] for n in range(EVENTS - unique)]
    return json.dumps(events + repeats, separators=(",", ":")).encode()


def seed(settings: ConsentSettings, rounds: int) -> int:
    """Confirmed subscribers for a tenth of each round's addresses; returns how many."""
    engine = make_engine(settings.database_url)
    vault = make_vault(settings, make_engine(settings.keystore_url))
    unique = int(EVENTS * (1 - REPEATS))
    count = 0
    now = datetime.now(UTC)
    with Session(engine) as session:
        for round_no in range(rounds):
            for n in range(0, unique, int(1 / HELD)):
                email = address(round_no, n)
                subscriber_id = uuid.uuid4()
                vault.create_subject_key(str(subscriber_id))
                subscriber = Subscriber(
                    id=subscriber_id,
                    email_ct=vault.encrypt(str(subscriber_id), email, context="subscriber.email")
                    or "",
                    email_bidx=vault.blind_index("email", email),
                    created_at=now,
                )
                session.add(subscriber)
                session.flush()
                subscription_service.subscribe_confirmed(
                    session=session, vault=vault, subscriber=subscriber, list_id="general", at=now
                )
                count += 1
        session.commit()
    engine.dispose()
    return count


class Key:
    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        der = self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public = base64.b64encode(der).decode()

    def headers(self, body: bytes) -> dict[str, str]:
        stamp = str(int(time.time()))
        signature = self.private.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "Content-Type": "application/json",
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }


def baseline(key: Key, body: bytes) -> float:
    """Seconds to verify and parse the batch here, without a database."""
    verifier = SendGridVerifier(
        load_public_key(key.public), max_age=timedelta(minutes=10), max_future=timedelta(minutes=2)
    )
    headers = key.headers(body)
    began = time.perf_counter()
    verifier.verify(
        body=body,
        signature=headers["X-Twilio-Email-Event-Webhook-Signature"],
        timestamp=headers["X-Twilio-Email-Event-Webhook-Timestamp"],
        now=datetime.now(UTC),
    )
    parse_sendgrid(body)
    return time.perf_counter() - began


def run(backend: str, database_url: str, keystore_url: str, rounds: int) -> None:
    settings = ConsentSettings(database_url=database_url, keystore_url=keystore_url)
    upgrade_service(migrations_dir(consent_main.__file__), database_url, keystore_url)
    held = seed(settings, rounds)
    key = Key()
    port = free_port()
    server = start(
        [python(), "-m", "vern.consent", "serve", "--port", str(port)],
        {
            "CONSENT_DATABASE_URL": database_url,
            "CONSENT_KEYSTORE_URL": keystore_url,
            "CONSENT_SENDGRID_WEBHOOK_PUBLIC_KEY": key.public,
            "CONSENT_LOG_LEVEL": "WARNING",
        },
        f"http://127.0.0.1:{port}/consent/ready",
    )
    served, parsed, answers = [], [], []
    try:
        with httpx.Client(timeout=120) as http:
            for round_no in range(rounds):
                body = make_batch(round_no)
                parsed.append(baseline(key, body))
                began = time.perf_counter()
                response = http.post(
                    f"http://127.0.0.1:{port}/consent/webhooks/sendgrid",
                    content=body,
                    headers=key.headers(body),
                )
                served.append(time.perf_counter() - began)
                response.raise_for_status()
                answers.append(response.json())
    finally:
        server.terminate()
        server.wait()
    real, base = statistics.median(served), statistics.median(parsed)
    print(
        f"{backend:<10} {EVENTS / real:8.0f} events/s end to end "
        f"({real * 1000:6.0f} ms per batch; median of {rounds}); "
        f"verify+parse only {EVENTS / base:8.0f} events/s ({base * 1000:5.0f} ms); "
        f"ratio (end to end / verify+parse throughput) {base / real:.3f}"
    )
    print(f"{'':<10} {held} held subscribers seeded; last answer {answers[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(
        f"POST /consent/webhooks/sendgrid: one signed batch of {EVENTS} events "
        f"({REPEATS:.0%} repeats, {len(KINDS)} kinds mixed), one uvicorn worker on loopback"
    )
    if args.backend in ("sqlite", "both"):
        tmp = Path(tempfile.mkdtemp(prefix="vern-bench-"))
        run("SQLite", f"sqlite:///{tmp}/consent.db", f"sqlite:///{tmp}/keys.db", args.rounds)
    if args.backend in ("postgresql", "both"):
        with ExitStack() as stack:
            try:
                server = stack.enter_context(PostgresServer())
            except RuntimeError as exc:
                print(f"PostgreSQL skipped: {exc}")
                return
            run(
                "PostgreSQL",
                server.create_database("consent"),
                server.create_database("consent_keys"),
                args.rounds,
            )


if __name__ == "__main__":
    main()
