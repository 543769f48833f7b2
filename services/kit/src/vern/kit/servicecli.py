"""The command line every service shares: migrate, serve, seed, revision."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from vern.kit import keyadmin
from vern.kit.crypto import Vault
from vern.kit.migrations import alembic_config, upgrade_service
from vern.kit.settings import ServiceSettings

# A service's re-index: rewrites its blind indexes under the active key in batches of the given
# size; returns rows rewritten per table.
Reindex = Callable[[ServiceSettings, Vault, int], dict[str, int]]


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
    reindex: Reindex | None = None,
    purge: keyadmin.Purge | None = None,
) -> None:
    """`purge` deletes, after `replay-shreds`, the rows a restored data database brought back for
    the journalled subjects (see `vern.kit.keyadmin`)."""
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
    _add_key_commands(commands, reindex=reindex is not None)
    args = parser.parse_args()

    settings = settings_class()
    migrations = migrations_dir(module_file)
    if args.command in KEY_COMMANDS:
        raise SystemExit(_run_key_command(args, settings, reindex, purge))
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
            access_log=False,  # the kit writes its own access line (vern.kit.accesslog)
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


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


KEY_COMMANDS = {"keys", "rewrap-keys", "export-shreds", "replay-shreds", "reindex"}


def _add_key_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], *, reindex: bool
) -> None:
    commands.add_parser("keys", help="the key store: keys per KEK, erasures journalled")
    rewrap = commands.add_parser(
        "rewrap-keys", help="re-wrap every subject key under the active KEK, in batches"
    )
    rewrap.add_argument("--batch-size", type=int, default=1000)
    export = commands.add_parser(
        "export-shreds",
        help="write the shred journal (ids, dates, reason codes) to a file, JSON lines",
    )
    export.add_argument("file", type=Path)
    export.add_argument("--since", type=_moment, help="ISO date and time (UTC if no offset)")
    replay = commands.add_parser(
        "replay-shreds",
        help="after a restore: replay the erasures journalled since the backup (destroy the "
        "keys the key store brought back, delete the rows the data database brought back)",
    )
    replay.add_argument(
        "--journal", type=Path, help="a file from export-shreds (default: the key store's own)"
    )
    replay.add_argument("--since", type=_moment, help="ISO date and time (UTC if no offset)")
    if reindex:
        again = commands.add_parser(
            "reindex", help="rewrite every blind index under the active blind-index key"
        )
        again.add_argument("--batch-size", type=int, default=1000)


def _run_key_command(
    args: argparse.Namespace,
    settings: ServiceSettings,
    reindex: Reindex | None,
    purge: keyadmin.Purge | None = None,
) -> int:
    from vern.kit.app import make_vault
    from vern.kit.db import make_engine

    vault = make_vault(settings, make_engine(settings.keystore_url))
    if args.command == "keys":
        print(json.dumps(keyadmin.status(vault), indent=2))
    elif args.command == "rewrap-keys":
        done = keyadmin.rewrap(vault, batch_size=args.batch_size)
        print(f"re-wrapped {done.rows} keys in {done.seconds:.1f} s ({done.per_second:.0f}/s)")
        print(json.dumps({"keys_by_kek": vault.keys_by_kek()}))
    elif args.command == "export-shreds":
        count = keyadmin.export_journal(vault, args.file, since=args.since)
        print(f"{count} erasures written to {args.file}")
    elif args.command == "replay-shreds":
        journal = keyadmin.read_journal(args.journal) if args.journal else vault.journal()
        if args.since is not None:
            journal = [entry for entry in journal if entry.shredded_at >= args.since]
        replayed = keyadmin.replay(vault, journal)
        print(
            f"{replayed.journalled} erasures replayed, "
            f"{replayed.keys_destroyed} restored keys destroyed"
        )
        if purge is not None:
            deleted = keyadmin.purge(
                make_engine(settings.database_url), vault, [e.subject_id for e in journal], purge
            )
            print(
                f"{sum(deleted.values())} restored rows of erased subjects deleted "
                + json.dumps(deleted, sort_keys=True)
            )
    elif args.command == "reindex" and reindex is not None:
        print(json.dumps(reindex(settings, vault, args.batch_size)))
    return 0
