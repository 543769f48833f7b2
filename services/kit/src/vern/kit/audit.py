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
) -> AuditEvent:
    """Appends one event to the chain, in the caller's transaction."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    last = session.exec(
        select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    event = AuditEvent(
        occurred_at=datetime.now(UTC),
        actor=principal.subject,
        actor_kind=principal.kind,
        roles=",".join(sorted(principal.roles)),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id) if subject_id is not None else None,
        reason=reason,
        break_glass=break_glass,
        request_id=current_request_id(),
        prev_hash=last or GENESIS,
        hash="",
    )
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


def record_many(
    session: Session,
    *,
    principal: Principal,
    action: str,
    subject_type: str,
    subject_ids: Sequence[str],
    reason: str | None = None,
) -> int:
    """Appends one event per subject to the chain in a single insert, in the caller's transaction
    (bulk work such as a retention sweep); each event is chained exactly as `record` chains it."""
    if not subject_ids:
        return 0
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    previous = session.exec(
        select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    previous = previous or GENESIS
    shared = {
        "occurred_at": datetime.now(UTC),
        "actor": principal.subject,
        "actor_kind": principal.kind,
        "roles": ",".join(sorted(principal.roles)),
        "action": action,
        "subject_type": subject_type,
        "reason": reason,
        "break_glass": False,
        "request_id": current_request_id(),
    }
    canonical = _canonical_template(shared)
    rows = []
    for subject_id in subject_ids:
        event_id = uuid.uuid4()
        fields = {**shared, "event_id": event_id, "subject_id": subject_id, "prev_hash": previous}
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
    # Ids are assigned in list order, which is the order of the chain.
    connection = session.connection()
    if bind.dialect.name == "postgresql":
        _copy_rows(connection, rows)
    else:
        connection.execute(insert(AuditEvent.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


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
