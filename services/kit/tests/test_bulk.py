"""Bulk operations for sweeps: many audit events on one chain, many keys created or shredded."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from vern.kit import audit
from vern.kit.audit import append_only_statements, drop_append_only_statements
from vern.kit.auth import Principal
from vern.kit.crypto import SubjectKeyMissing, Vault, keystore_metadata
from vern.kit.db import make_engine
from vern.kit.testing.plugin import Databases


def vault(url: str) -> Vault:
    engine = make_engine(url)
    keystore_metadata.create_all(engine)
    return Vault(engine, keks={"a": b"k" * 32}, active_kek_id="a", blind_index_key=b"i" * 32)


SWEEPER = Principal(subject="vern-scheduler", kind="machine", issuer="test")
STAFF = Principal(subject="staff-1", kind="staff", issuer="test", roles=frozenset({"manager"}))


@pytest.fixture
def engine(vern_databases: Databases) -> Iterator[Engine]:
    engine = make_engine(vern_databases.make(f"bulk_{uuid.uuid4().hex[:8]}"))
    audit.AuditEvent.__table__.create(engine)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for statement in append_only_statements(engine.dialect.name):
            conn.execute(text(statement))
    yield engine
    engine.dispose()


@pytest.fixture
def keystore_url(vern_databases: Databases) -> str:
    return vern_databases.make(f"bulk_keys_{uuid.uuid4().hex[:8]}")


def test_events_appended_in_bulk_chain_like_single_ones_in_order(engine: Engine) -> None:
    with Session(engine) as session:
        audit.record(session, principal=STAFF, action="person.read", subject_type="person",
                     subject_id="s0")  # fmt: skip
        added = audit.record_many(
            session, principal=SWEEPER, action="retention.delete", subject_type="person",
            subject_ids=[f"p{n}" for n in range(250)], reason="contact_register",
        )  # fmt: skip
        audit.record(session, principal=STAFF, action="person.read", subject_type="person",
                     subject_id="s1")  # fmt: skip
        session.commit()
        assert added == 250
        assert audit.verify_chain(session).ok
        ids = session.exec(select(audit.AuditEvent.subject_id).order_by(col(audit.AuditEvent.id)))
        assert list(ids) == ["s0", *[f"p{n}" for n in range(250)], "s1"]


def test_a_bulk_event_changed_afterwards_breaks_the_chain(engine: Engine) -> None:
    with Session(engine) as session:
        audit.record_many(
            session, principal=SWEEPER, action="retention.delete", subject_type="person",
            subject_ids=["a", "b", "c"], reason="contact_register",
        )  # fmt: skip
        session.commit()
    with engine.begin() as conn:
        for statement in drop_append_only_statements(engine.dialect.name):
            conn.execute(text(statement))
        conn.execute(text("UPDATE audit_event SET reason = 'other' WHERE subject_id = 'b'"))
    with Session(engine) as session:
        report = audit.verify_chain(session)
    assert not report.ok
    assert report.events == 2


def test_actor_names_that_look_like_placeholders_still_chain(engine: Engine) -> None:
    odd = Principal(subject="@event_id@", kind="machine", issuer="test")
    with Session(engine) as session:
        audit.record_many(session, principal=odd, action="retention.delete",
                          subject_type="person", subject_ids=["@prev_hash@", "x"])  # fmt: skip
        session.commit()
        assert audit.verify_chain(session).ok


def test_keys_created_in_bulk_seal_and_shredded_in_bulk_are_gone(keystore_url: str) -> None:
    v = vault(keystore_url)
    subjects = [f"subject-{n}" for n in range(1200)]
    v.create_subject_key(subjects[0])
    sealed = v.encrypt(subjects[0], "Kari", context="person.full_name")
    assert v.create_subject_keys(subjects) == len(subjects) - 1  # the existing key is kept
    assert v.decrypt(subjects[0], sealed, context="person.full_name") == "Kari"
    last = v.encrypt(subjects[-1], "Ola", context="person.full_name")
    assert v.shred_many(subjects[:1100]) == 1100
    assert v.shred_many(subjects[:1100]) == 0  # idempotent
    with pytest.raises(SubjectKeyMissing):
        v.decrypt(subjects[0], sealed, context="person.full_name")
    assert v.decrypt(subjects[-1], last, context="person.full_name") == "Ola"
    assert set(subjects[:1100]) <= set(v.shredded_since(datetime(2000, 1, 1, tzinfo=UTC)))
