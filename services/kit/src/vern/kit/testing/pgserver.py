"""Starts a throwaway PostgreSQL server from the machine's binaries, for tests and benchmarks."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from vern.kit.testing import free_port


def _bindir() -> Path:
    for candidate in (
        shutil.which("pg_ctl"),
        *sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")),
    ):
        if candidate:
            return Path(candidate).resolve().parent
    raise RuntimeError(
        "PostgreSQL binaries not found: install postgresql (apt-get install postgresql)"
    )


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, listening on loopback only.

    PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system user.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="vern-pg-"))
        self.data = self.root / "data"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            self._as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
        self.bindir = _bindir()

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True)  # noqa: S603

    def start(self) -> PostgresServer:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        self.resume()
        return self

    def _ctl(self, *args: str) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), *args)

    def pause(self) -> None:
        """Stops the server at once, as a crash would; `resume` starts it again on its data."""
        self._ctl("-m", "immediate", "stop")

    def resume(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._ctl("-o", options, "-l", str(self.root / "server.log"), "-w", "start")

    def stop(self) -> None:
        try:
            self.pause()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        return create_database(self.url(), name, template)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """Creates a database on an already running server given by URL; returns the new URL."""
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        suffix = f" TEMPLATE {template}" if template else ""
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    return url.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )
