"""Backups and crypto-shredding: restoring a backup taken before an erasure never brings the erased
subject's data back. On PostgreSQL with the machine's pg_dump and pg_restore, on SQLite with its
online backup and file copies, as the README's backup procedure says."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, Table, Text, delete, insert, select
from sqlmodel import Session

from vern.kit import audit, keyadmin
from vern.kit.audit import AuditEvent, verify_chain
from vern.kit.crypto import SubjectKeyMissing, Vault, keystore_metadata
from vern.kit.db import make_engine
from vern.kit.migrations import KEYSTORE_MIGRATIONS, upgrade
from vern.kit.servicecli import run_service_cli
from vern.kit.settings import ServiceSettings
from vern.kit.testing.backups import Backups
from vern.kit.testing.migrations import schema_drift
from vern.kit.testing.plugin import Databases

KEK = b"k" * 32
BLIND = b"i" * 32

person = Table(
    "person",
    MetaData(),
    Column("id", String(64), primary_key=True),
    Column("full_name_ct", Text, nullable=False),
)


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
    with Session(make_engine(data_url)) as session:
        session.execute(delete(person).where(person.c.id == subject_id))
        audit.record(
            session, principal=keyadmin.RESTORE, action="subject.erase", subject_type="person",
            subject_id=subject_id, reason="request r-1",
        )  # fmt: skip
        session.commit()
    vault.shred(subject_id, reason="erasure")


def _purge(session: Session, vault: Vault, subject_ids: Sequence[str]) -> dict[str, int]:
    """A service's purge, as the registry's does it: the rows, then one audit event each."""
    query = delete(person).where(person.c.id.in_(subject_ids)).returning(person.c.id)
    gone = [str(i) for i in session.execute(query).scalars()]
    audit.record_many(
        session, principal=keyadmin.RESTORE, action="subject.erase", subject_type="person",
        subject_ids=gone, reason=keyadmin.RESTORE_REASON,
    )  # fmt: skip
    return {"person": len(gone)}


def _ids(data_url: str) -> list[str]:
    with make_engine(data_url).connect() as conn:
        return sorted(conn.execute(select(person.c.id)).scalars())


def _erasure_events(data_url: str) -> list[tuple[str | None, str | None]]:
    with Session(make_engine(data_url)) as session:
        assert verify_chain(session).ok
        events = session.execute(
            select(AuditEvent.subject_id, AuditEvent.reason)  # type: ignore[call-overload]
            .where(AuditEvent.action == "subject.erase")
            .order_by(AuditEvent.id)
        )
        return [(subject, reason) for subject, reason in events]


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
    AuditEvent.metadata.create_all(make_engine(data_url), tables=[AuditEvent.__table__])  # type: ignore[attr-defined]
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
    assert [e.subject_id for e in vault.journal()] == ["erased"]


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
    # The first date of the erasure is kept, and why it was made.
    assert restored_keys.journal() == live.journal()
    assert restored_keys.journal_of(["erased", "kept"])["erased"].reason == "erasure"
    assert set(restored_keys.journal_of(["erased", "kept"])) == {"erased"}
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


def test_a_restore_replayed_deletes_the_erased_subjects_rows_with_their_audit_event(
    backups: Backups,
    centre: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_url, keys_url = centre
    old_data = backups.dump(data_url, "data")
    old_keys = backups.dump(keys_url, "keys")
    _erase(data_url, _vault(keys_url), "erased")
    journal = tmp_path / "shreds.jsonl"
    assert keyadmin.export_journal(_vault(keys_url), journal) == 1
    restored_data = backups.restore(old_data, "data_restored")
    restored_keys = backups.restore(old_keys, "keys_restored")
    assert _ids(restored_data) == ["erased", "kept"]  # the dump brought the row back
    monkeypatch.setenv("KEKS", '{"k1": "' + _b64(KEK) + '"}')
    monkeypatch.setenv("ACTIVE_KEK_ID", "k1")
    monkeypatch.setenv("DATABASE_URL", restored_data)

    _cli(monkeypatch, restored_keys, "replay-shreds", "--journal", str(journal), purge=_purge)

    out = capsys.readouterr().out
    assert "1 erasures replayed, 1 restored keys destroyed" in out
    assert '1 restored rows of erased subjects deleted {"person": 1}' in out
    assert _ids(restored_data) == ["kept"]  # gone, not only unreadable
    assert _read(restored_data, _vault(restored_keys), "kept") == "Ola Nordmann"
    assert _erasure_events(restored_data) == [("erased", keyadmin.RESTORE_REASON)]

    _cli(monkeypatch, restored_keys, "replay-shreds", "--journal", str(journal), purge=_purge)

    assert '0 restored rows of erased subjects deleted {"person": 0}' in capsys.readouterr().out
    assert _erasure_events(restored_data) == [("erased", keyadmin.RESTORE_REASON)]  # no second
    assert _erasure_events(data_url) == [("erased", "request r-1")]


def _b64(key: bytes) -> str:
    import base64

    return base64.b64encode(key).decode()


def _cli(
    monkeypatch: pytest.MonkeyPatch,
    keystore_url: str,
    *argv: str,
    purge: keyadmin.Purge | None = None,
) -> None:
    monkeypatch.setenv("KEYSTORE_URL", keystore_url)
    monkeypatch.setattr(sys, "argv", ["vern-test", *argv])
    with pytest.raises(SystemExit) as exited:
        run_service_cli(
            name="test", app="unused:app", settings_class=ServiceSettings,
            module_file=__file__, port=0, purge=purge,
        )  # fmt: skip
    assert exited.value.code == 0


def test_an_erasure_journalled_without_a_reason_is_exported_and_replayed_as_before(
    backups: Backups, tmp_path: Path
) -> None:
    live_url, restored_url = backups.new_database("keys"), backups.new_database("keys_restored")
    for url in (live_url, restored_url):
        upgrade(KEYSTORE_MIGRATIONS, url)
    live, restored = _vault(live_url), _vault(restored_url)
    live.create_subject_key("expired")
    live.shred("expired")
    journal = tmp_path / "shreds.jsonl"
    keyadmin.export_journal(live, journal)

    assert "reason" not in journal.read_text()
    assert keyadmin.replay(restored, keyadmin.read_journal(journal)).journalled == 1
    assert [(e.subject_id, e.reason) for e in restored.journal()] == [("expired", None)]


def test_the_key_store_migrations_create_exactly_what_the_key_store_declares(
    backups: Backups,
) -> None:
    url = backups.new_database("keys")
    upgrade(KEYSTORE_MIGRATIONS, url)
    with make_engine(url).connect() as connection:
        assert schema_drift(connection, keystore_metadata) == []
