"""Every query on sweep runs, the pending-shred queue and the outbox messages of swept subjects."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from vern.kit.idlists import one_of
from vern.kit.outbox import OutboxMessage
from vern.registry.sweeps.models import PendingShred, RetentionSweep


def unfinished_run(*, session: Session) -> RetentionSweep | None:
    """The sweep a crash left unfinished, if any (the oldest)."""
    query = (
        select(RetentionSweep)
        .where(col(RetentionSweep.finished_at).is_(None))
        .order_by(col(RetentionSweep.started_at))
        .limit(1)
    )
    return session.exec(query).first()


def start_run(*, session: Session, on: date, now: datetime) -> RetentionSweep:
    run = RetentionSweep(on_date=on, started_at=now)
    session.add(run)
    session.flush()
    return run


def lock_run(*, session: Session, run_id: uuid.UUID) -> RetentionSweep:
    """The run, locked for this batch so that two sweeps add their counts one after the other."""
    query = select(RetentionSweep).where(RetentionSweep.id == run_id).with_for_update()
    run = session.exec(query.execution_options(populate_existing=True)).one()
    return run


def counts_of(run: RetentionSweep) -> dict[str, int]:
    counts: dict[str, int] = json.loads(run.counts_json)
    return counts


def add_counts(*, session: Session, run: RetentionSweep, rule_id: str, deleted: int) -> None:
    counts = counts_of(run)
    counts[rule_id] = counts.get(rule_id, 0) + deleted
    run.counts_json = json.dumps(counts, sort_keys=True)
    run.batches += 1
    session.add(run)


def queue_shreds(*, session: Session, subject_ids: Sequence[str], now: datetime) -> uuid.UUID:
    """Queues one batch's subjects for shredding; returns the queue entry's id."""
    entry = PendingShred(subject_ids_json=json.dumps(list(subject_ids)), queued_at=now)
    session.add(entry)
    return entry.id


def pending_shreds(*, session: Session, limit: int) -> list[tuple[uuid.UUID, list[str]]]:
    """Queue entries, oldest first: (entry id, subject ids)."""
    query = select(PendingShred).order_by(col(PendingShred.queued_at)).limit(limit)
    return [(e.id, json.loads(e.subject_ids_json)) for e in session.exec(query)]


def clear_shreds(*, session: Session, entry_ids: Sequence[uuid.UUID]) -> None:
    """Forgets queue entries whose keys are destroyed."""
    if entry_ids:
        session.execute(delete(PendingShred).where(col(PendingShred.id).in_(entry_ids)))


def drop_undelivered(*, session: Session, subject_ids: Sequence[str]) -> None:
    """Undelivered outbox messages sealed under the subjects' keys: unreadable once the keys go."""
    dialect = session.get_bind().dialect.name
    session.execute(
        delete(OutboxMessage).where(
            one_of(col(OutboxMessage.subject_id), subject_ids, dialect=dialect),
            col(OutboxMessage.delivered_at).is_(None),
        )
    )
