"""Benchmark: authenticated `GET /registry/persons/{id}` (token verification, need-to-know check,
decryption, audit write) against a bare FastAPI endpoint served the same way, in the same run.

    make bench            # or: uv run python -m tests.bench.persons_read [--seconds 10]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sqlmodel import Session

from tests.bench.harness import Result, free_port, load, python, serve_json, start
from vern.kit.app import make_vault
from vern.kit.auth import Principal
from vern.kit.db import make_engine
from vern.kit.migrations import upgrade_service
from vern.kit.orgprofile import load_profile
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import resolve_profile_path
from vern.kit.testing.tokens import TEST_ISSUER, TokenFactory
from vern.registry import main as registry_main
from vern.registry.config import RegistrySettings
from vern.registry.counsellors.models import Counsellor
from vern.registry.persons import service as person_service
from vern.registry.persons.schemas import PersonCreate

COUNSELLOR = "bench-counsellor"


def seed(settings: RegistrySettings, count: int) -> list[str]:
    engine = make_engine(settings.database_url)
    vault = make_vault(settings, make_engine(settings.keystore_url))
    seeder = Principal(subject="bench", kind="machine", issuer="bench")
    profile = load_profile(resolve_profile_path(settings.org_profile))
    ids = []
    with Session(engine) as session:
        session.add(Counsellor(id=COUNSELLOR, display_name="Bench"))
        for n in range(count):
            data = PersonCreate(
                full_name=f"Bench Person {n}",
                email=f"bench{n}@example.org",
                phone="+4791234567",
                assigned_counsellor_id=COUNSELLOR,
            )
            ids.append(
                str(
                    person_service.create(
                        session=session, vault=vault, principal=seeder, data=data, profile=profile
                    ).id
                )
            )
        session.commit()
    return ids


def report(name: str, result: Result) -> None:
    print(
        f"{name:<28} {result.rate:8.0f} req/s   p50 {result.pct(50):6.2f} ms   "
        f"p99 {result.pct(99):6.2f} ms   errors {result.errors}/{result.requests}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--persons", type=int, default=1000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="vern-bench-"))
    settings = RegistrySettings(
        database_url=f"sqlite:///{tmp}/registry.db", keystore_url=f"sqlite:///{tmp}/keys.db"
    )
    upgrade_service(
        migrations_dir(registry_main.__file__), settings.database_url, settings.keystore_url
    )
    ids = seed(settings, args.persons)
    tokens = TokenFactory()
    jwks_uri = serve_json(tokens.jwks())
    token = tokens.staff(
        "urn:vern:registry",
        "counsellor",
        sub=COUNSELLOR,
    )
    headers = {"Authorization": f"Bearer {token}"}

    registry_port, bare_port = free_port(), free_port()
    registry = start(
        [python(), "-m", "vern.registry", "serve", "--port", str(registry_port)],
        {
            "REGISTRY_DATABASE_URL": settings.database_url,
            "REGISTRY_KEYSTORE_URL": settings.keystore_url,
            "REGISTRY_ISSUERS": f'[{{"issuer": "{TEST_ISSUER}", "jwks_uri": "{jwks_uri}"}}]',
            "REGISTRY_LOG_LEVEL": "WARNING",
        },
        f"http://127.0.0.1:{registry_port}/registry/ready",
    )
    bare = start(
        [
            python(),
            "-m",
            "uvicorn",
            "tests.bench.bare:app",
            "--port",
            str(bare_port),
            "--log-level",
            "warning",
        ],
        {},
        f"http://127.0.0.1:{bare_port}/bare/persons/x",
    )
    try:
        base = load(
            lambda i: f"http://127.0.0.1:{bare_port}/bare/persons/{ids[i % len(ids)]}",
            {},
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
        real = load(
            lambda i: f"http://127.0.0.1:{registry_port}/registry/persons/{ids[i % len(ids)]}",
            headers,
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
    finally:
        registry.terminate()
        bare.terminate()
    print(
        f"GET /registry/persons/{{id}}: {args.seconds:.0f} s each, {args.concurrency} concurrent clients, "
        f"{args.persons} clients in the register, one uvicorn worker, SQLite"
    )
    report("bare FastAPI endpoint", base)
    report("registry persons/{id}", real)
    print(f"ratio (registry / bare throughput): {real.rate / base.rate:.3f}")


if __name__ == "__main__":
    main()
