"""Database engines (SQLite embedded default, PostgreSQL in production) and the session dependency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Every service's SQLModel tables share this metadata; a process only ever imports one service's
# models (tests and migrations run per service), so table names stay unique per database.
metadata: MetaData = SQLModel.metadata
metadata.naming_convention = NAMING_CONVENTION


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that reads back as UTC on every database (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("store timezone-aware datetimes only")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Engine for one database URL: SQLite gets WAL, foreign keys and serialised writers."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = not parsed.database or parsed.database == ":memory:"
        if not in_memory:
            Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        # Every transaction writes (the audit log), and SQLite has one writer: a single pooled
        # connection queues requests in order instead of leaving them to SQLite's sleeping
        # busy handler (tests/bench/persons_read.py: p99 of a record read ~960 ms -> ~180 ms).
        if "poolclass" not in kwargs and not in_memory:
            kwargs.setdefault("pool_size", 1)
            kwargs.setdefault("max_overflow", 0)
            kwargs.setdefault("pool_timeout", 30)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling is turned off so that every transaction starts with
    # BEGIN IMMEDIATE: the audit hash chain reads its tail and appends in one serialised writer.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: commits when the handler succeeds, rolls back when it raises."""
    engine: Engine = request.app.state.engine
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function": the commit happens before the response is sent, so a failed commit is an error
# the caller sees rather than a success that was never stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
