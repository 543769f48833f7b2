"""Per-subject encryption, blind indexes, crypto-shredding and key rotation."""

from __future__ import annotations

import base64
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, Table, Text, insert, select

from vern.kit.crypto import SubjectKeyMissing, Vault, keystore_metadata
from vern.kit.db import make_engine
from vern.kit.testing.plugin import Databases

KEK_A = base64.b64decode(base64.b64encode(b"a" * 32))
KEK_B = b"b" * 32
BLIND = b"i" * 32


def vault(url: str, keks: dict[str, bytes] | None = None, active: str = "a") -> Vault:
    engine = make_engine(url)
    keystore_metadata.create_all(engine)
    return Vault(
        engine,
        keks=keks or {"a": KEK_A},
        active_kek_id=active,
        blind_index_key=BLIND,
        cache_seconds=0,
    )


@pytest.fixture
def keystore_url(vern_databases: Databases) -> str:
    return vern_databases.make(f"keys_{uuid.uuid4().hex[:8]}")


def test_a_field_round_trips_and_the_ciphertext_holds_no_plaintext(keystore_url: str) -> None:
    v = vault(keystore_url)
    v.create_subject_key("s1")
    sealed = v.encrypt("s1", "Kari Nordmann", context="person.full_name")
    assert sealed is not None
    assert "Kari" not in sealed
    assert v.decrypt("s1", sealed, context="person.full_name") == "Kari Nordmann"


def test_a_ciphertext_moved_to_another_field_or_subject_does_not_decrypt(keystore_url: str) -> None:
    v = vault(keystore_url)
    v.create_subject_key("s1")
    sealed = v.encrypt("s1", "kari@example.org", context="person.email")
    with pytest.raises(ValueError, match="authentication"):
        v.decrypt("s1", sealed, context="person.phone")


def test_after_shredding_the_subject_cannot_be_decrypted(keystore_url: str) -> None:
    v = vault(keystore_url)
    v.create_subject_key("s1")
    sealed = v.encrypt("s1", "Kari", context="person.full_name")
    assert v.shred("s1") is True
    with pytest.raises(SubjectKeyMissing):
        v.decrypt("s1", sealed, context="person.full_name")
    assert v.shredded_since(datetime(2000, 1, 1, tzinfo=UTC)) == ["s1"]


def test_a_restored_pre_erasure_copy_of_the_data_cannot_be_read(
    tmp_path: Path, keystore_url: str
) -> None:
    """Backups of the data database outlive an erasure; the key store does not keep the key."""
    data = make_engine(f"sqlite:///{tmp_path}/data.db")
    table = Table(
        "person", MetaData(), Column("id", String, primary_key=True), Column("name_ct", Text)
    )
    table.metadata.create_all(data)
    v = vault(keystore_url)
    v.create_subject_key("s1")
    with data.begin() as conn:
        conn.execute(
            insert(table).values(id="s1", name_ct=v.encrypt("s1", "Kari", context="person.name"))
        )
    data.dispose()
    shutil.copy(
        tmp_path / "data.db", tmp_path / "backup.db"
    )  # the nightly dump, before the erasure
    v.shred("s1")
    restored = make_engine(f"sqlite:///{tmp_path}/backup.db")
    with restored.connect() as conn:
        sealed = conn.execute(select(table.c.name_ct)).scalar_one()
    with pytest.raises(SubjectKeyMissing):
        v.decrypt("s1", sealed, context="person.name")
    assert "s1" in v.shredded_since(datetime(2000, 1, 1, tzinfo=UTC))  # the restore replays this


def test_rotating_the_key_encryption_key_keeps_every_field_readable(keystore_url: str) -> None:
    old = vault(keystore_url)
    sealed = {}
    for n in range(5):
        old.create_subject_key(f"s{n}")
        sealed[f"s{n}"] = old.encrypt(f"s{n}", f"value {n}", context="f")
    rotated = vault(keystore_url, keks={"a": KEK_A, "b": KEK_B}, active="b")
    assert rotated.rewrap_all() == 5
    only_new = vault(keystore_url, keks={"b": KEK_B}, active="b")
    for subject, token in sealed.items():
        assert only_new.decrypt(subject, token, context="f") == f"value {subject[1:]}"


def test_blind_indexes_are_stable_and_keyed(keystore_url: str) -> None:
    v = vault(keystore_url)
    assert v.blind_index("email", "kari@example.org") == v.blind_index("email", "kari@example.org")
    assert v.blind_index("email", "kari@example.org") != v.blind_index("phone", "kari@example.org")
    other = Vault(
        make_engine(keystore_url), keks={"a": KEK_A}, active_kek_id="a", blind_index_key=b"j" * 32
    )
    assert other.blind_index("email", "kari@example.org") != v.blind_index(
        "email", "kari@example.org"
    )


def test_a_kek_rotates_in_batches_while_every_replica_keeps_reading_and_writing(
    keystore_url: str,
) -> None:
    """Every replica is given the new KEK first; then it is made active and the keys are moved a
    batch at a time, while a replica still on the old active KEK goes on creating keys."""
    before = vault(keystore_url)
    sealed = {}
    for n in range(25):
        before.create_subject_key(f"s{n}")
        sealed[f"s{n}"] = before.encrypt(f"s{n}", f"value {n}", context="f")
    both = {"a": KEK_A, "b": KEK_B}
    rotating = vault(keystore_url, keks=both, active="b")
    lagging = vault(keystore_url, keks=both, active="a")

    batches = 0
    while moved := rotating.rewrap_batch(batch_size=10):
        batches += 1
        assert moved <= 10
        if batches == 1:  # a client registered on the lagging replica mid-rotation
            lagging.create_subject_key("late")
            sealed["late"] = lagging.encrypt("late", "value late", context="f")
        for replica in (rotating, lagging):
            for subject, token in sealed.items():
                assert replica.decrypt(subject, token, context="f") == _value(subject)

    assert batches == 3
    assert rotating.keys_by_kek() == {"b": 26}
    only_new = vault(keystore_url, keks={"b": KEK_B}, active="b")
    for subject, token in sealed.items():
        assert only_new.decrypt(subject, token, context="f") == _value(subject)


def _value(subject: str) -> str:
    return "value late" if subject == "late" else f"value {subject[1:]}"


def test_a_rewrap_leaves_a_key_shredded_meanwhile_shredded(keystore_url: str) -> None:
    old = vault(keystore_url)
    for n in range(3):
        old.create_subject_key(f"s{n}")
    rotating = vault(keystore_url, keks={"a": KEK_A, "b": KEK_B}, active="b")
    assert rotating.rewrap_batch(batch_size=1) == 1
    old.shred("s2")
    assert rotating.rewrap_all() == 1
    assert rotating.keys_by_kek() == {"b": 2}


def index_vault(
    url: str, *, legacy: bool = True, keys: dict[str, bytes], active: str | None
) -> Vault:
    return Vault(
        make_engine(url), keks={"a": KEK_A}, active_kek_id="a",
        blind_index_key=BLIND if legacy else None, blind_index_keys=keys,
        active_blind_index_key_id=active,
    )  # fmt: skip


def test_a_versioned_blind_index_names_its_key_and_fits_the_old_columns(keystore_url: str) -> None:
    before = index_vault(keystore_url, keys={}, active=None)
    during = index_vault(keystore_url, keys={"2027": b"n" * 32}, active="2027")
    after = index_vault(keystore_url, legacy=False, keys={"2027": b"n" * 32}, active="2027")

    old = before.blind_index("email", "kari@example.org")
    new = during.blind_index("email", "kari@example.org")
    assert len(old) == 64
    assert ":" not in old
    assert new.startswith("2027:")
    assert len(new) == 64
    assert new != old
    assert during.blind_indexes("email", "kari@example.org") == [new, old]
    assert during.blind_index_is_current(new)
    assert not during.blind_index_is_current(old)
    assert after.blind_indexes("email", "kari@example.org") == [new]
    assert before.blind_index_is_current(old)
    assert not before.blind_index_is_current(new)


def test_blind_index_key_ids_are_short_and_the_active_one_must_exist(keystore_url: str) -> None:
    with pytest.raises(ValueError, match="1-8"):
        index_vault(keystore_url, keys={"too-long-id": b"n" * 32}, active="too-long-id")
    with pytest.raises(ValueError, match="names no blind-index key"):
        index_vault(keystore_url, keys={"2027": b"n" * 32}, active="2028")
    with pytest.raises(ValueError, match="names no blind-index key"):
        index_vault(keystore_url, legacy=False, keys={"2027": b"n" * 32}, active=None)


def test_an_empty_unversioned_blind_index_key_means_none_once_rotated() -> None:
    from vern.kit.settings import ServiceSettings

    new = base64.b64encode(b"n" * 32).decode()
    retired = ServiceSettings(
        blind_index_key="", blind_index_keys={"2027": new}, active_blind_index_key_id="2027"
    )
    assert retired.blind_index_key is None
    with pytest.raises(ValueError, match="no active blind-index key"):
        ServiceSettings(blind_index_key="")
