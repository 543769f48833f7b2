"""The audit chain: append-only in the database, and any change to a row is detected."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

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


def test_audit_events_hold_ids_and_never_personal_data() -> None:
    columns = set(audit.AuditEvent.model_fields)
    assert not columns & {"name", "full_name", "email", "phone", "national_id", "address"}


def test_keystore_migration_is_reversible(tmp_path: Path) -> None:
    from vern.kit.migrations import KEYSTORE_MIGRATIONS, alembic_config

    config = alembic_config(KEYSTORE_MIGRATIONS, f"sqlite:///{tmp_path}/keys.db")
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
