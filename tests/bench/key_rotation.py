"""Benchmark: key rotation on PostgreSQL. Re-wrapping every client's data key under a new KEK
(`python -m vern.<svc> rewrap-keys`), and re-indexing the register's blind indexes under a new
blind-index key (`python -m vern.registry reindex`), in batches, against a plain bulk UPDATE of
the same rows as the baseline. Prints rows per second and the ratio.

    uv run python -m tests.bench.key_rotation [--clients 20000] [--batch-size 1000]
"""

from __future__ import annotations

import argparse
import base64
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, text

from vern.kit import keyadmin
from vern.kit.crypto import Vault
from vern.kit.db import make_engine
from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import DEV_BLIND_INDEX_KEY, DEV_KEK
from vern.kit.testing.pgserver import PostgresServer
from vern.registry import main as registry_main
from vern.registry.config import RegistrySettings
from vern.registry.persons.models import Person
from vern.registry.reindex import reindex_registry

OLD_KEK, NEW_KEK = base64.b64decode(DEV_KEK), b"n" * 32
OLD_INDEX, NEW_INDEX = base64.b64decode(DEV_BLIND_INDEX_KEY), b"m" * 32


def vault(keystore: str, *, rotating: bool) -> Vault:
    keks = {"old": OLD_KEK, "new": NEW_KEK} if rotating else {"old": OLD_KEK}
    return Vault(
        make_engine(keystore), keks=keks, active_kek_id="new" if rotating else "old",
        blind_index_key=OLD_INDEX, blind_index_keys={"2027": NEW_INDEX} if rotating else {},
        active_blind_index_key_id="2027" if rotating else None,
    )  # fmt: skip


def load(database: str, keystore: str, clients: int) -> None:
    """Clients with real data keys and sealed, blind-indexed email, phone and national id."""
    before = vault(keystore, rotating=False)
    engine = make_engine(database)
    now, today = datetime.now(UTC), date.today()
    for start in range(0, clients, 5000):
        ids = [str(uuid.uuid4()) for _ in range(min(5000, clients - start))]
        before.create_subject_keys(ids)
        before.warm(ids)
        rows = []
        for n, subject in enumerate(ids, start):
            fields = {"email": f"c{n}@example.org", "phone": f"+47{40000000 + n}",
                      "national_id": f"{n:011d}"}  # fmt: skip
            row: dict[str, object] = {
                "id": uuid.UUID(subject), "created_at": now, "intake_date": today,
                "retention_due_date": today + timedelta(days=365),
            }  # fmt: skip
            for kind, value in fields.items():
                row[f"{kind}_ct"] = before.encrypt(subject, value, context=f"person.{kind}")
                row[f"{kind}_bidx"] = before.blind_index(kind, value)
            rows.append(row)
        with engine.begin() as conn:
            conn.execute(insert(Person.__table__), rows)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def plain_update_seconds(database: str) -> float:
    """The floor: one UPDATE writing the three index columns of every row, nothing computed."""
    began = time.perf_counter()
    with make_engine(database).begin() as conn:
        conn.execute(
            text(
                "UPDATE person SET email_bidx = 'x' || substr(email_bidx, 2), "
                "phone_bidx = 'x' || substr(phone_bidx, 2), "
                "national_id_bidx = 'x' || substr(national_id_bidx, 2)"
            )
        )
        conn.rollback()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    with PostgresServer() as server:
        database = server.create_database("registry")
        keystore = server.create_database("registry_keys")
        upgrade_service(migrations_dir(registry_main.__file__), database, keystore)
        began = time.perf_counter()
        load(database, keystore, args.clients)
        print(f"loaded {args.clients:,} clients in {time.perf_counter() - began:.1f} s")
        rotating = vault(keystore, rotating=True)

        rewrapped = keyadmin.rewrap(rotating, batch_size=args.batch_size)
        assert rewrapped.rows == args.clients, rewrapped
        print(f"KEK rotation: {rewrapped.rows:,} keys re-wrapped in {rewrapped.seconds:.1f} s, "
              f"{rewrapped.per_second:,.0f} keys/s (batches of {args.batch_size})")  # fmt: skip

        floor = plain_update_seconds(database)
        settings = RegistrySettings(database_url=database, keystore_url=keystore)
        began = time.perf_counter()
        report = reindex_registry(settings, rotating, args.batch_size)
        seconds = time.perf_counter() - began
        assert report["person.rewritten"] == args.clients, report
        assert report["person.stale"] == 0, report
        print(f"blind-index rotation: {args.clients:,} clients re-indexed (3 indexes each) in "
              f"{seconds:.1f} s, {args.clients / seconds:,.0f} rows/s; a plain UPDATE of the same "
              f"rows takes {floor:.2f} s: ratio {seconds / floor:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
