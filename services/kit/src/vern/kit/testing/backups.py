"""Backups taken and restored the way the README tells an operator to: `pg_dump --format=custom`
and `pg_restore` on PostgreSQL (the machine's binaries), SQLite's online backup."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from vern.kit.auth import TokenVerifier
from vern.kit.migrations import upgrade_service
from vern.kit.settings import ServiceSettings
from vern.kit.testing.pgserver import _bindir
from vern.kit.testing.plugin import Databases, ServiceSpec


class Backups:
    """Takes and restores backups of one database at a time."""

    def __init__(self, databases: Databases, root: Path) -> None:
        self.databases = databases
        self.root = root

    def new_database(self, name: str) -> str:
        return self.databases.make(f"{name}_{uuid.uuid4().hex[:8]}")

    def dump(self, url: str, name: str) -> Path:
        target = self.root / f"{name}-{uuid.uuid4().hex[:8]}.dump"
        if self.databases.backend == "sqlite":
            # SQLite's online backup, not a plain copy: in WAL mode the file alone may lack the
            # latest commits.
            with sqlite3.connect(_sqlite_path(url)) as source, sqlite3.connect(target) as copy:
                source.backup(copy)
        else:
            _pg_tool("pg_dump", "--format=custom", f"--file={target}", f"--dbname={_libpq(url)}")
        return target

    def restore(self, dump: Path, name: str) -> str:
        """Restores a dump into a fresh database; returns its URL."""
        url = self.new_database(name)
        if self.databases.backend == "sqlite":
            shutil.copy(dump, _sqlite_path(url))
        else:
            _pg_tool(
                "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}", str(dump)
            )
        return url


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    assert database is not None
    return database


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(tool: str, *args: str) -> None:
    subprocess.run([str(_bindir() / tool), *args], check=True, capture_output=True)  # noqa: S603


def service_on(
    spec: ServiceSpec,
    settings: ServiceSettings,
    verifier: TokenVerifier,
    *,
    database_url: str,
    keystore_url: str,
) -> FastAPI:
    """The service under test on databases of its own (e.g. restored ones), where each request
    commits (no test transaction around it), so a dump sees what the requests wrote."""
    moved = settings.model_copy(update={"database_url": database_url, "keystore_url": keystore_url})
    return spec.create_app(moved, verifier)


def fresh_service(
    spec: ServiceSpec, settings: ServiceSettings, verifier: TokenVerifier, backups: Backups
) -> FastAPI:
    """The service on new, migrated databases (data and key store) of its own."""
    data_url = backups.new_database(f"{spec.name}_data")
    keys_url = backups.new_database(f"{spec.name}_keys")
    upgrade_service(spec.migrations, data_url, keys_url)
    return service_on(spec, settings, verifier, database_url=data_url, keystore_url=keys_url)


def replay_shreds(settings: ServiceSettings, service: str, journal: Path) -> str:
    """Runs `python -m vern.<service> replay-shreds --journal FILE` against the settings'
    databases, as an operator does after a restore; returns what it printed."""
    prefix = f"{service.upper()}_"
    env = {
        **os.environ,
        f"{prefix}ENVIRONMENT": settings.environment,
        f"{prefix}DATABASE_URL": settings.database_url,
        f"{prefix}KEYSTORE_URL": settings.keystore_url,
    }
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", f"vern.{service}", "replay-shreds", "--journal", str(journal)],
        check=True, capture_output=True, text=True, env=env,
    )  # fmt: skip
    return done.stdout
