"""The audit chain: append-only in the database, and any change to a row is detected."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from vern.kit import audit
from vern.kit.audit import append_only_statements, drop_append_only_statements
from vern.kit.auth import Principal
from vern.kit.db import make_engine
from vern.kit.testing.plugin import Databases

STAFF = Principal(subject="staff-1", kind="staff", issuer="test", roles=frozenset({"manager"}))


@pytest.fixture
def engine(vern_databases: Databases) -> Iterator[Engine]:
    engine = make_engine(vern_databases.make(f"audit_{uuid.uuid4().hex[:8]}"))
    audit.AuditEvent.__table__.create(engine)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for statement in append_only_statements(engine.dialect.name):
            conn.execute(text(statement))
    yield engine
    engine.dispose()


def _write(engine: Engine, count: int) -> None:
    with Session(engine) as session:
        for n in range(count):
            audit.record(
                session,
                principal=STAFF,
                action="person.read",
                subject_type="person",
                subject_id=f"s{n}",
            )
        session.commit()


def _tamper(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        for statement in drop_append_only_statements(engine.dialect.name):
            conn.execute(text(statement))
        conn.execute(text(sql))


def test_an_untouched_chain_verifies(engine: Engine) -> None:
    _write(engine, 5)
    with Session(engine) as session:
        report = audit.verify_chain(session)
    assert report.ok
    assert report.events == 5


def test_the_database_refuses_to_change_an_audit_row(engine: Engine) -> None:
    _write(engine, 2)
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET action = 'x'"))
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))


def test_changing_one_audit_row_makes_the_verifier_fail(engine: Engine) -> None:
    _write(engine, 5)
    _tamper(engine, "UPDATE audit_event SET subject_id = 'someone-else' WHERE id = 3")
    with Session(engine) as session:
        report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_bad_id == 3


def test_removing_an_audit_row_makes_the_verifier_fail(engine: Engine) -> None:
    _write(engine, 5)
    _tamper(engine, "DELETE FROM audit_event WHERE id = 2")
    with Session(engine) as session:
        report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_bad_id == 3


def _read_of(session: Session, subject_id: str) -> None:
    audit.record(session, principal=STAFF, action="person.read", subject_type="person",
                 subject_id=subject_id)  # fmt: skip


def _subjects(session: Session) -> list[str | None]:
    query = select(audit.AuditEvent.subject_id).order_by(col(audit.AuditEvent.id))
    return list(session.exec(query))


def test_transactions_appending_at_once_leave_one_chain_that_verifies(engine: Engine) -> None:
    def audited_transaction(n: int) -> None:
        with Session(engine) as session:
            for k in range(3):
                _read_of(session, f"t{n}-{k}")
            session.commit()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(audited_transaction, range(40)))
    with Session(engine) as session:
        report = audit.verify_chain(session)
        subjects = _subjects(session)
    assert report.ok
    assert report.events == 120
    # Each transaction's events stand together, in the order they were recorded.
    for n in range(40):
        at = subjects.index(f"t{n}-0")
        assert subjects[at : at + 3] == [f"t{n}-0", f"t{n}-1", f"t{n}-2"]


def test_the_chain_is_locked_only_once_the_transaction_commits(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no lock of the chain's own")
    with Session(engine) as session, Session(engine) as other:
        _read_of(session, "s0")
        session.execute(text("SELECT 1"))  # the transaction is open, its event recorded
        advisory = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
        assert other.execute(advisory).scalar() == 0
        # Another audited transaction commits meanwhile, without waiting for this one.
        _read_of(other, "s1")
        other.commit()
        session.commit()
    with Session(engine) as session:
        assert audit.verify_chain(session).ok
        assert _subjects(session) == ["s1", "s0"]


def test_a_transaction_reading_the_audit_log_sees_its_own_events(engine: Engine) -> None:
    with Session(engine) as session:
        _read_of(session, "s0")
        assert [e.subject_id for e in audit.subject_events(session, "s0")] == ["s0"]
        session.rollback()
    with Session(engine) as session:
        assert _subjects(session) == []


def test_events_of_a_rolled_back_transaction_or_savepoint_are_not_appended(engine: Engine) -> None:
    with Session(engine) as session:
        _read_of(session, "dropped")
        session.rollback()
        _read_of(session, "kept")
        savepoint = session.begin_nested()
        _read_of(session, "in-savepoint")
        savepoint.rollback()
        with session.begin_nested():
            _read_of(session, "released")
        session.commit()
    with Session(engine) as session:
        assert audit.verify_chain(session).ok
        assert _subjects(session) == ["kept", "released"]


def test_events_of_a_session_closed_without_commit_are_not_appended(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(text("SELECT 1"))
        _read_of(session, "s0")
    with Session(engine) as session:
        _read_of(session, "s1")
        session.commit()
        assert _subjects(session) == ["s1"]


def test_audit_events_hold_ids_and_never_personal_data() -> None:
    columns = set(audit.AuditEvent.model_fields)
    assert not columns & {"name", "full_name", "email", "phone", "national_id", "address"}


def test_keystore_migration_is_reversible(tmp_path: Path) -> None:
    from vern.kit.migrations import KEYSTORE_MIGRATIONS, alembic_config

    config = alembic_config(KEYSTORE_MIGRATIONS, f"sqlite:///{tmp_path}/keys.db")
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
