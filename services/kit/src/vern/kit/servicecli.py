"""The command line every service shares: migrate, serve, seed, revision."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from vern.kit.migrations import alembic_config, upgrade_service
from vern.kit.settings import ServiceSettings


def migrations_dir(module_file: str) -> Path:
    """`services/<name>/migrations`, found from a module in `services/<name>/src/vern/<name>/`."""
    return Path(module_file).resolve().parents[3] / "migrations"


def run_service_cli(
    *,
    name: str,
    app: str,
    settings_class: type[ServiceSettings],
    module_file: str,
    port: int,
    seed: Callable[[ServiceSettings], None] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m vern.{name}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade the data database and the key store to head")
    serve = commands.add_parser("serve", help="run the service with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=port)
    serve.add_argument("--workers", type=int, default=1)
    commands.add_parser("seed", help="load the demo data (development only)")
    commands.add_parser(
        "verify-audit",
        help="recompute the audit hash chain; exit 1 if a row was changed or removed",
    )
    revision = commands.add_parser("revision", help="autogenerate a migration")
    revision.add_argument("slug")
    args = parser.parse_args()

    settings = settings_class()
    migrations = migrations_dir(module_file)
    if args.command == "migrate":
        upgrade_service(migrations, settings.database_url, settings.keystore_url)
    elif args.command == "serve":
        import uvicorn

        uvicorn.run(
            app,
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=None,
            proxy_headers=True,
        )
    elif args.command == "seed":
        if settings.environment == "production":
            parser.error("demo data is never loaded in production")
        if seed is not None:
            seed(settings)
    elif args.command == "verify-audit":
        from sqlmodel import Session

        from vern.kit.audit import verify_chain
        from vern.kit.db import make_engine

        with Session(make_engine(settings.database_url)) as session:
            report = verify_chain(session)
        print(
            f"{name} audit chain: {report.events} events, "
            + (
                "intact"
                if report.ok
                else f"BROKEN at event {report.first_bad_id}: {report.problem}"
            )
        )
        raise SystemExit(0 if report.ok else 1)
    elif args.command == "revision":
        from alembic import command

        command.revision(
            alembic_config(migrations, settings.database_url), message=args.slug, autogenerate=True
        )
