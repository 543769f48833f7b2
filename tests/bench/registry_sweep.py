"""Benchmark: the registry's retention sweep against a plain SQL DELETE of the same rows, and the
p99 of `GET /registry/persons/{id}` while a sweep runs against its p99 at rest.

    make bench-sweep                      # 1,000,000 clients, 200,000 due, SQLite and PostgreSQL
    uv run python -m tests.bench.registry_sweep --clients 100000 --db sqlite   # a quick run

The register is bulk-loaded: every client gets a real data key in the key store (through the
Vault's bulk API) and ciphertext-sized name, email and phone fields with indexed blind indexes;
the clients the read load asks for are sealed for real (the sweep never decrypts, reads do).

1. Plain DELETE: `DELETE FROM person WHERE retention_due_date <= today`, one transaction, timed;
   then the same rows are loaded again.
2. The sweep, alone: `POST /registry/internal/retention/sweep` on a real uvicorn registry; it
   deletes the same rows in batches with one audit event per row, queued and bulk-shredded keys
   and `subject.erased` outbox events. Checked afterwards: rows, keys, audit events.
3. p99 of reads at rest; then the same rows are loaded a third time and a second sweep runs while
   the same read load goes on, and the p99 during it is compared with the one at rest.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import Engine

from tests.bench.harness import Result, free_port, python, serve_json, start
from vern.kit.app import make_vault
from vern.kit.audit import AuditEvent
from vern.kit.clock import today_oslo
from vern.kit.crypto import Vault, subject_key
from vern.kit.db import make_engine
from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.testing.pgserver import PostgresServer
from vern.kit.testing.tokens import TEST_ISSUER, TokenFactory
from vern.registry import main as registry_main
from vern.registry.config import RegistrySettings
from vern.registry.counsellors.models import Counsellor
from vern.registry.persons.models import Person

AUDIENCE = "urn:vern:registry"
COUNSELLOR = "bench-counsellor"
CHUNK = 20_000
READ_SAMPLE = 2_000
RULE = "contact_register"
TOKEN_SECONDS = 6 * 3600


def _fake_ciphertext(rng: random.Random, plain_len: int) -> str:
    # The shape of vern.kit.crypto's tokens: version, key id, base64 of nonce + sealed text + tag.
    body = rng.randbytes(12 + plain_len + 16).hex()[: (12 + plain_len + 16) * 4 // 3]
    return f"v1.{uuid.UUID(int=rng.getrandbits(128))}.{body}"


def person_template() -> dict[str, Any]:
    """A column -> value row with every default the model gives, to vary per client."""
    sample = Person(
        id=uuid.uuid4(), created_at=datetime.now(UTC), intake_date=date(2020, 1, 1),
        retention_due_date=date(2020, 1, 1),
    )  # fmt: skip
    table = Person.__table__  # type: ignore[attr-defined]
    return {c.name: getattr(sample, c.name, None) for c in table.columns}


def client_rows(
    count: int, *, due: bool, today: date, rng: random.Random
) -> Iterator[list[dict[str, Any]]]:
    template = person_template()
    now = datetime.now(UTC)
    for start_at in range(0, count, CHUNK):
        rows = []
        for _ in range(min(CHUNK, count - start_at)):
            offset = -rng.randint(0, 365) if due else rng.randint(1, 1000)
            rows.append(
                {
                    **template,
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "created_at": now,
                    "intake_date": today - timedelta(days=1200),
                    "full_name_ct": _fake_ciphertext(rng, 22),
                    "email_ct": _fake_ciphertext(rng, 26),
                    "phone_ct": _fake_ciphertext(rng, 11),
                    "email_bidx": rng.randbytes(32).hex(),
                    "phone_bidx": rng.randbytes(32).hex(),
                    "assigned_counsellor_id": COUNSELLOR,
                    "retention_due_date": today + timedelta(days=offset),
                }
            )
        yield rows


def load_clients(
    engine: Engine, vault: Vault, rows_chunks: Iterator[list[dict[str, Any]]]
) -> list[str]:
    """Bulk-loads clients and their keys; returns their ids."""
    ids: list[str] = []
    postgres = engine.dialect.name == "postgresql"
    table = Person.__table__  # type: ignore[attr-defined]
    columns = [c.name for c in table.columns]
    for rows in rows_chunks:
        chunk_ids = [str(r["id"]) for r in rows]
        vault.create_subject_keys(chunk_ids)
        if postgres:
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                with cursor.copy(f"COPY person ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
                raw.commit()
            finally:
                raw.close()
        else:
            with engine.begin() as conn:
                conn.execute(insert(table), rows)
        ids += chunk_ids
    return ids


def seal_for_reading(engine: Engine, vault: Vault, ids: list[str]) -> None:
    """The clients the read load asks for get real ciphertexts under their keys."""
    table = Person.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for n, person_id in enumerate(ids):
            conn.execute(
                update(table)
                .where(table.c.id == uuid.UUID(person_id))
                .values(
                    full_name_ct=vault.encrypt(
                        person_id, f"Bench Person {n}", context="person.full_name"
                    ),
                    email_ct=vault.encrypt(
                        person_id, f"bench{n}@example.org", context="person.email"
                    ),
                    phone_ct=vault.encrypt(person_id, "+4791234567", context="person.phone"),
                )
            )


def count(engine: Engine, query: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def plain_delete_seconds(engine: Engine, today: date) -> tuple[float, int]:
    """`DELETE ... WHERE retention_due_date <= today` in one transaction, committed."""
    began = time.perf_counter()
    with engine.begin() as conn:
        deleted = conn.execute(
            text("DELETE FROM person WHERE retention_due_date <= :today"), {"today": today}
        ).rowcount
    return time.perf_counter() - began, deleted


async def _reads_until(url_for: Callable[[int], str], headers: dict[str, str], done: Callable[[], bool],
                       concurrency: int) -> Result:  # fmt: skip
    latencies: list[float] = []
    errors = 0

    async def worker(worker_id: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        i = worker_id
        while not done():
            began = time.perf_counter()
            response = await client.get(url_for(i), headers=headers)
            latencies.append((time.perf_counter() - began) * 1000)
            errors += response.status_code != 200
            i += concurrency

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(w, client) for w in range(concurrency)))
        elapsed = time.perf_counter() - began
    return Result(len(latencies), errors, elapsed, latencies)


def reads(url_for: Callable[[int], str], headers: dict[str, str], *, seconds: float | None = None,
          while_alive: threading.Thread | None = None, concurrency: int) -> Result:  # fmt: skip
    stop_at = time.perf_counter() + (seconds or 0)

    def done() -> bool:
        if while_alive is not None:
            return not while_alive.is_alive()
        return time.perf_counter() >= stop_at

    return asyncio.run(_reads_until(url_for, headers, done, concurrency))


@contextmanager
def registry_server(settings: RegistrySettings, jwks_uri: str) -> Iterator[str]:
    port = free_port()
    process = start(
        [python(), "-m", "vern.registry", "serve", "--port", str(port)],
        {
            "REGISTRY_DATABASE_URL": settings.database_url,
            "REGISTRY_KEYSTORE_URL": settings.keystore_url,
            "REGISTRY_ISSUERS": f'[{{"issuer": "{TEST_ISSUER}", "jwks_uri": "{jwks_uri}"}}]',
            "REGISTRY_LOG_LEVEL": "WARNING",
            "REGISTRY_DELIVER_AFTER_COMMIT": "false",
        },
        f"http://127.0.0.1:{port}/registry/ready",
    )
    try:
        yield f"http://127.0.0.1:{port}/registry"
    finally:
        process.terminate()
        process.wait(timeout=30)


def sweep(base: str, headers: dict[str, str], batch_size: int, out: dict[str, Any]) -> None:
    began = time.perf_counter()
    response = httpx.post(
        f"{base}/internal/retention/sweep",
        json={"dry_run": False, "batch_size": batch_size},
        headers=headers,
        timeout=3600,
    )
    out["seconds"] = time.perf_counter() - began
    response.raise_for_status()
    out["result"] = response.json()


def run(backend: str, database_url: str, keystore_url: str, args: argparse.Namespace) -> None:
    settings = RegistrySettings(database_url=database_url, keystore_url=keystore_url)
    upgrade_service(migrations_dir(registry_main.__file__), database_url, keystore_url)
    engine = make_engine(database_url)
    vault = make_vault(settings, make_engine(keystore_url))
    rng = random.Random(20261122)
    today = today_oslo()
    due_count = int(args.clients * args.due)
    with engine.begin() as conn:
        conn.execute(
            insert(Counsellor.__table__),
            [{"id": COUNSELLOR, "display_name": "Bench", "active": True}],
        )  # type: ignore[attr-defined]

    began = time.perf_counter()
    kept = load_clients(
        engine, vault, client_rows(args.clients - due_count, due=False, today=today, rng=rng)
    )
    due_rows = list(client_rows(due_count, due=True, today=today, rng=rng))
    due = load_clients(engine, vault, iter(due_rows))
    readable = rng.sample(kept, min(READ_SAMPLE, len(kept)))
    seal_for_reading(engine, vault, readable)
    if backend == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    print(f"[{backend}] loaded {args.clients:,} clients ({due_count:,} due) with keys in "
          f"{time.perf_counter() - began:.1f} s")  # fmt: skip

    plain_seconds, plain_deleted = plain_delete_seconds(engine, today)
    assert plain_deleted == due_count, (plain_deleted, due_count)
    load_clients(engine, vault, iter(due_rows))  # the same rows again (their keys are still there)

    tokens = TokenFactory()
    jwks_uri = serve_json(tokens.jwks())
    # Tokens that outlive the run (a 1M-client run takes longer than a real token lives).
    staff_token = tokens.token(
        audience=AUDIENCE, roles=["counsellor"], sub=COUNSELLOR, expires_in=TOKEN_SECONDS
    )
    machine_token = tokens.token(
        audience=AUDIENCE, scope="registry:internal", client_id="vern-bench", sub="vern-bench",
        expires_in=TOKEN_SECONDS,
    )  # fmt: skip
    staff = {"Authorization": f"Bearer {staff_token}"}
    machine = {"Authorization": f"Bearer {machine_token}"}
    with registry_server(settings, jwks_uri) as base:
        first: dict[str, Any] = {}
        sweep(base, machine, args.batch_size, first)
        swept = first["result"]["counts"][RULE]

        def url_for(i: int) -> str:
            return f"{base}/persons/{readable[i % len(readable)]}"

        reads(url_for, staff, seconds=1, concurrency=args.concurrency)  # warm-up
        at_rest = reads(url_for, staff, seconds=args.seconds, concurrency=args.concurrency)
        # The same rows due again (with new keys), and a second sweep under the same read load.
        load_clients(engine, vault, iter(due_rows))
        second: dict[str, Any] = {}
        sweeper = threading.Thread(target=sweep, args=(base, machine, args.batch_size, second))
        sweeper.start()
        during = reads(url_for, staff, while_alive=sweeper, concurrency=args.concurrency)
        sweeper.join()

    table = Person.__table__  # type: ignore[attr-defined]
    left = count(engine, select(func.count()).select_from(table))
    with vault._keystore.connect() as conn:
        keys = int(conn.execute(select(func.count()).select_from(subject_key)).scalar_one())
    audited = count(
        engine,
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "retention.delete"),
    )
    assert swept == due_count, (swept, due_count)
    assert second["result"]["counts"][RULE] == due_count
    assert left == args.clients - due_count, left
    assert keys == args.clients - due_count + 1, keys  # + the registry's events key
    assert audited == 2 * due_count, audited
    assert due[0] not in readable

    ratio = first["seconds"] / plain_seconds
    print(f"[{backend}] sweep of {due_count:,} due clients out of {args.clients:,} "
          f"(batches of {args.batch_size}, one audit event per row, keys shredded, outbox events):")  # fmt: skip
    print(f"[{backend}]   plain SQL DELETE of the same rows  {plain_seconds:8.2f} s")
    print(f"[{backend}]   retention sweep over HTTP          {first['seconds']:8.2f} s")
    print(f"[{backend}]   ratio (sweep / plain DELETE)       {ratio:8.2f}   target <= 3")
    print(f"[{backend}] GET /registry/persons/{{id}}, {args.concurrency} concurrent clients:")
    print(f"[{backend}]   at rest        p50 {at_rest.pct(50):7.2f} ms  p99 {at_rest.pct(99):7.2f} ms  "
          f"{at_rest.rate:6.0f} req/s  errors {at_rest.errors}/{at_rest.requests}")  # fmt: skip
    print(f"[{backend}]   during sweep   p50 {during.pct(50):7.2f} ms  p99 {during.pct(99):7.2f} ms  "
          f"{during.rate:6.0f} req/s  errors {during.errors}/{during.requests}  "
          f"(sweep {second['seconds']:.1f} s)")  # fmt: skip
    print(
        f"[{backend}]   ratio (p99 during / p99 at rest)   {during.pct(99) / at_rest.pct(99):6.2f}   target <= 2"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--due", type=float, default=0.2, help="share of the clients that is due")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0, help="read load at rest")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    if args.db in ("sqlite", "both"):
        tmp = Path(tempfile.mkdtemp(prefix="vern-bench-sweep-"))
        run("sqlite", f"sqlite:///{tmp}/registry.db", f"sqlite:///{tmp}/keys.db", args)
    if args.db in ("postgresql", "both"):
        with PostgresServer() as server:
            run(
                "postgresql",
                server.create_database("registry"),
                server.create_database("registry_keys"),
                args,
            )


if __name__ == "__main__":
    main()
