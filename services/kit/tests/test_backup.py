"""Backups and crypto-shredding: restoring a backup taken before an erasure never brings the erased
subject's data back. On PostgreSQL with the machine's pg_dump and pg_restore, on SQLite with its
online backup and file copies, as the README's backup procedure says."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, Table, Text, delete, insert, select
from sqlalchemy.engine import make_url

from vern.kit import keyadmin
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.db import make_engine
from vern.kit.migrations import KEYSTORE_MIGRATIONS, upgrade
from vern.kit.servicecli import run_service_cli
from vern.kit.settings import ServiceSettings
from vern.kit.testing.pgserver import _bindir
from vern.kit.testing.plugin import Databases

KEK = b"k" * 32
BLIND = b"i" * 32

person = Table(
    "person",
    MetaData(),
    Column("id", String(64), primary_key=True),
    Column("full_name_ct", Text, nullable=False),
)


class Backups:
    """Takes and restores backups of one database the way the README tells an operator to."""

    def __init__(self, databases: Databases, root: Path) -> None:
        self.databases = databases
        self.root = root

    def new_database(self, name: str) -> str:
        return self.databases.make(f"{name}_{uuid.uuid4().hex[:8]}")

    def dump(self, url: str, name: str) -> Path:
        target = self.root / f"{name}.dump"
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
    subprocess.run([str(_bindir() / tool), *args], check=True, capture_output=True)


@pytest.fixture
def backups(vern_databases: Databases, tmp_path: Path) -> Backups:
    return Backups(vern_databases, tmp_path)


def _vault(url: str) -> Vault:
    return Vault(
        make_engine(url), keks={"k1": KEK}, active_kek_id="k1", blind_index_key=BLIND,
        cache_seconds=0,
    )  # fmt: skip


def _store(data_url: str, vault: Vault, subject_id: str, name: str) -> None:
    vault.create_subject_key(subject_id)
    with make_engine(data_url).begin() as conn:
        sealed = vault.encrypt(subject_id, name, context="person.full_name")
        conn.execute(insert(person).values(id=subject_id, full_name_ct=sealed))


def _erase(data_url: str, vault: Vault, subject_id: str) -> None:
    with make_engine(data_url).begin() as conn:
        conn.execute(delete(person).where(person.c.id == subject_id))
    vault.shred(subject_id)


def _read(data_url: str, vault: Vault, subject_id: str) -> str | None:
    with make_engine(data_url).connect() as conn:
        sealed = conn.execute(select(person.c.full_name_ct).where(person.c.id == subject_id))
        return vault.decrypt(subject_id, sealed.scalar_one(), context="person.full_name")


@pytest.fixture
def centre(backups: Backups) -> tuple[str, str]:
    """A data database and its key store, migrated, with two clients: one to erase, one to keep."""
    data_url = backups.new_database("data")
    keys_url = backups.new_database("keys")
    person.metadata.create_all(make_engine(data_url))
    upgrade(KEYSTORE_MIGRATIONS, keys_url)
    vault = _vault(keys_url)
    _store(data_url, vault, "erased", "Kari Nordmann")
    _store(data_url, vault, "kept", "Ola Nordmann")
    return data_url, keys_url


def test_a_data_backup_restored_after_an_erasure_cannot_be_read(
    backups: Backups, centre: tuple[str, str]
) -> None:
    data_url, keys_url = centre
    vault = _vault(keys_url)
    nightly = backups.dump(data_url, "data")
    _erase(data_url, vault, "erased")

    restored = backups.restore(nightly, "data_restored")

    assert _read(restored, vault, "kept") == "Ola Nordmann"
    with make_engine(restored).connect() as conn:  # the row came back with the dump...
        assert conn.execute(select(person.c.id).where(person.c.id == "erased")).first()
    with pytest.raises(SubjectKeyMissing):  # ...but its key did not
        _read(restored, vault, "erased")
    assert [s for s, _ in vault.journal()] == ["erased"]


def test_a_key_store_backup_restored_after_an_erasure_ends_without_the_key_once_replayed(
    backups: Backups, centre: tuple[str, str], tmp_path: Path
) -> None:
    data_url, keys_url = centre
    live = _vault(keys_url)
    old_data = backups.dump(data_url, "data")
    old_keys = backups.dump(keys_url, "keys")  # taken before the erasure: it still holds the key
    _erase(data_url, live, "erased")
    journal = tmp_path / "shreds.jsonl"
    assert keyadmin.export_journal(live, journal) == 1

    restored_keys = _vault(backups.restore(old_keys, "keys_restored"))
    restored_data = backups.restore(old_data, "data_restored")
    assert _read(restored_data, restored_keys, "erased") == "Kari Nordmann"  # why replay matters

    replayed = keyadmin.replay(restored_keys, keyadmin.read_journal(journal))

    assert replayed == keyadmin.Replay(journalled=1, keys_destroyed=1)
    with pytest.raises(SubjectKeyMissing):
        _read(restored_data, restored_keys, "erased")
    assert _read(restored_data, restored_keys, "kept") == "Ola Nordmann"
    assert restored_keys.journal() == live.journal()  # the first date of the erasure is kept
    assert keyadmin.replay(restored_keys, keyadmin.read_journal(journal)).keys_destroyed == 0


def test_the_service_command_replays_an_exported_journal_into_a_restored_key_store(
    backups: Backups,
    centre: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_url, keys_url = centre
    old_keys = backups.dump(keys_url, "keys")
    _erase(data_url, _vault(keys_url), "erased")
    restored_url = backups.restore(old_keys, "keys_restored")
    journal = tmp_path / "shreds.jsonl"
    monkeypatch.setenv("KEKS", '{"k1": "' + _b64(KEK) + '"}')
    monkeypatch.setenv("ACTIVE_KEK_ID", "k1")

    _cli(monkeypatch, keys_url, "export-shreds", str(journal))
    _cli(monkeypatch, restored_url, "replay-shreds", "--journal", str(journal))

    assert "1 erasures replayed, 1 restored keys destroyed" in capsys.readouterr().out
    assert _vault(restored_url).keys_by_kek() == {"k1": 1}  # only the kept client's key


def _b64(key: bytes) -> str:
    import base64

    return base64.b64encode(key).decode()


def _cli(monkeypatch: pytest.MonkeyPatch, keystore_url: str, *argv: str) -> None:
    monkeypatch.setenv("KEYSTORE_URL", keystore_url)
    monkeypatch.setattr(sys, "argv", ["vern-test", *argv])
    with pytest.raises(SystemExit) as exited:
        run_service_cli(
            name="test", app="unused:app", settings_class=ServiceSettings,
            module_file=__file__, port=0,
        )  # fmt: skip
    assert exited.value.code == 0
