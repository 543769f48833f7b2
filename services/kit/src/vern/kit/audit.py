"""Append-only, hash-chained audit log: who did what to which subject, when and why. Ids only."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, insert, text
from sqlalchemy import select as sa_select
from sqlalchemy.event import listens_for
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, Session, SQLModel, col, select

from vern.kit.auth import Principal
from vern.kit.db import UTCDateTime
from vern.kit.requestid import current_request_id

GENESIS = "0" * 64
# A fixed key for PostgreSQL's transaction-scoped advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x7665726E  # "vern"


class AuditEvent(SQLModel, table=True):
    """One audited read or write of personal data. Never holds personal data itself."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    event_id: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor: str = Field(max_length=255)
    actor_kind: str = Field(max_length=16)
    roles: str = Field(default="", max_length=255)
    action: str = Field(max_length=64, index=True)
    subject_type: str = Field(max_length=64)
    subject_id: str | None = Field(default=None, max_length=64, index=True)
    reason: str | None = Field(default=None, max_length=500)
    break_glass: bool = Field(default=False, index=True)
    request_id: str | None = Field(default=None, max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]


_DIGESTED = (
    "event_id", "occurred_at", "actor", "actor_kind", "roles", "action", "subject_type",
    "subject_id", "reason", "break_glass", "request_id", "prev_hash",
)  # fmt: skip


def _digest(event: AuditEvent) -> str:
    return _digest_fields({name: getattr(event, name) for name in _DIGESTED})


def _digest_fields(fields: dict[str, Any]) -> str:
    body = {
        **fields,
        "event_id": str(fields["event_id"]),
        "occurred_at": fields["occurred_at"].astimezone(UTC).isoformat(),
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    *,
    principal: Principal,
    action: str,
    subject_type: str,
    subject_id: str | uuid.UUID | None,
    reason: str | None = None,
    break_glass: bool = False,
) -> None:
    """Appends one event to the chain, in the caller's transaction (when it commits)."""
    subject = str(subject_id) if subject_id is not None else None
    _add(session, principal, [subject], action=action, subject_type=subject_type,
         reason=reason, break_glass=break_glass)  # fmt: skip


def record_many(
    session: Session,
    *,
    principal: Principal,
    action: str,
    subject_type: str,
    subject_ids: Sequence[str],
    reason: str | None = None,
) -> int:
    """Appends one event per subject to the chain, in the caller's transaction (bulk work such
    as a retention sweep); each event is chained exactly as `record` chains it."""
    if subject_ids:
        _add(session, principal, list(subject_ids), action=action, subject_type=subject_type,
             reason=reason, break_glass=False)  # fmt: skip
    return len(subject_ids)


def _add(
    session: OrmSession,
    principal: Principal,
    subject_ids: list[str | None],
    **what: Any,
) -> None:
    shared = {
        **what,
        "occurred_at": datetime.now(UTC),
        "actor": principal.subject,
        "actor_kind": principal.kind,
        "roles": ",".join(sorted(principal.roles)),
        "request_id": current_request_id(),
    }
    if not session.in_transaction():
        session.begin()  # the events are the transaction's, dropped if it rolls back
    pending: list[_Pending] = session.info.setdefault(_PENDING, [])
    pending.append(_Pending(shared, subject_ids, session.get_nested_transaction()))


# The chain is appended when the transaction commits rather than where an event is recorded:
# appending reads the chain's tail under a lock that every other audited transaction then
# waits for until this one commits (on PostgreSQL, an advisory lock; SQLite has one writer at a
# time anyway). Taken at the commit, the lock is held for three short statements and the
# COMMIT, not for the rest of the handler's work. A transaction that reads the audit table
# appends its events first, so it sees them; a rolled-back transaction or savepoint drops the
# events recorded in it. An event's `occurred_at` is when it was recorded: the chain's order is
# that of the commits, so two transactions' events may stand in the chain out of time order.
_PENDING = "vern.audit.pending"
# A handler's few events go in one INSERT; a sweep's thousands in one COPY on PostgreSQL (an
# executemany on SQLite, whose statements take a limited number of parameters).
_INSERT_AT_MOST = 100


@dataclass
class _Pending:
    """Events recorded in a transaction and not yet appended: the fields they share, one event
    per subject id, and the savepoint they were recorded in (None: the transaction itself)."""

    shared: dict[str, Any]
    subject_ids: list[str | None]
    savepoint: SessionTransaction | None


def append_pending(session: OrmSession) -> int:
    """Appends the events recorded in the session's transaction to the chain, now (commits do
    this themselves); how many."""
    pending: list[_Pending] | None = session.info.pop(_PENDING, None)
    if not pending:
        return 0
    session.flush()  # the handler's own writes first: the chain's lock is held from here on
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    previous = session.execute(
        sa_select(_TABLE.c.hash).order_by(_TABLE.c.id.desc()).limit(1)
    ).scalar()
    rows = _chained(pending, previous or GENESIS)
    # Ids are assigned in list order, which is the order of the chain.
    connection = session.connection()
    if len(rows) <= _INSERT_AT_MOST:
        connection.execute(insert(_TABLE).values(rows))
    elif bind.dialect.name == "postgresql":
        _copy_rows(connection, rows)
    else:
        connection.execute(insert(_TABLE), rows)
    return len(rows)


def _chained(pending: list[_Pending], previous: str) -> list[dict[str, Any]]:
    """The rows of the pending events, in order, each chained to the one before."""
    rows = []
    for batch in pending:
        # One event: the canonical JSON directly; many: a template filled in per event.
        canonical = _canonical_template(batch.shared) if len(batch.subject_ids) > 1 else None
        for subject_id in batch.subject_ids:
            event_id = uuid.uuid4()
            fields = {**batch.shared, "event_id": event_id, "subject_id": subject_id,
                      "prev_hash": previous}  # fmt: skip
            digest = (
                _digest_fields(fields)
                if canonical is None
                else hashlib.sha256(
                    canonical.replace('"@event_id@"', f'"{event_id}"', 1)
                    .replace('"@subject_id@"', json.dumps(subject_id), 1)
                    .replace('"@prev_hash@"', f'"{previous}"', 1)
                    .encode()
                ).hexdigest()
            )
            rows.append({**fields, "hash": digest})
            previous = digest
    return rows


@listens_for(OrmSession, "before_commit")
def _append_on_commit(session: OrmSession) -> None:
    # A savepoint's release appends too: what it held is then part of the transaction, and a
    # commit of the whole with a savepoint open fires this for the transaction first.
    append_pending(session)


@listens_for(OrmSession, "do_orm_execute")
def _append_before_reading(state: ORMExecuteState) -> None:
    if (
        state.is_select
        and state.session.info.get(_PENDING)
        and any(mapper.class_ is AuditEvent for mapper in state.all_mappers)
    ):
        append_pending(state.session)


@listens_for(OrmSession, "after_soft_rollback")
def _drop_rolled_back(session: OrmSession, previous_transaction: SessionTransaction) -> None:
    pending: list[_Pending] | None = session.info.get(_PENDING)
    if not pending:
        return
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
        return
    pending[:] = [p for p in pending if not _inside(p.savepoint, previous_transaction)]


@listens_for(OrmSession, "after_transaction_end")
def _forget_ended(session: OrmSession, transaction: SessionTransaction) -> None:
    # A session closed without a commit or rollback ends its transaction here.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _inside(savepoint: SessionTransaction | None, transaction: SessionTransaction) -> bool:
    while savepoint is not None:
        if savepoint is transaction:
            return True
        savepoint = savepoint.parent
    return False


def _copy_rows(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the rows in one COPY on the transaction's connection, in order (an executemany
    costs a round trip per row)."""
    columns = list(rows[0])
    driver = connection.connection.driver_connection
    assert driver is not None
    statement = f"COPY audit_event ({', '.join(columns)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _canonical_template(shared: dict[str, Any]) -> str | None:
    """`_digest_fields`' canonical JSON with placeholders for the fields that vary per event
    (filled in by plain replacement: ids and hashes need no escaping, subject ids are JSON-quoted);
    None when a shared value could be mistaken for a placeholder."""
    if any("@" in value for value in shared.values() if isinstance(value, str)):
        return None
    fields = {**shared, "event_id": "@event_id@", "subject_id": "@subject_id@",
              "prev_hash": "@prev_hash@"}  # fmt: skip
    body = {**fields, "occurred_at": shared["occurred_at"].astimezone(UTC).isoformat()}
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_id: int | None = None
    problem: str | None = None


def verify_chain(session: Session) -> ChainReport:
    """Recomputes the chain; a changed, inserted or removed row breaks it."""
    previous = GENESIS
    count = 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))):
        count += 1
        if event.prev_hash != previous:
            return ChainReport(
                False, count, event.id, "an event before this one was changed or removed"
            )
        if _digest(event) != event.hash:
            return ChainReport(False, count, event.id, "this event was changed")
        previous = event.hash
    return ChainReport(True, count)


def subject_events(session: Session, subject_id: str) -> list[AuditEvent]:
    """Every audit event about one subject, oldest first (for access packages)."""
    query = (
        select(AuditEvent).where(AuditEvent.subject_id == subject_id).order_by(col(AuditEvent.id))
    )
    return list(session.exec(query))


def append_only_statements(dialect: str) -> list[str]:
    """DDL that makes `audit_event` refuse UPDATE and DELETE, for each service's migration."""
    if dialect == "postgresql":
        return [
            """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
        ]
    return [
        """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
        """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    ]


def drop_append_only_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
            "DROP FUNCTION IF EXISTS audit_event_append_only()",
        ]
    return [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
    ]
