"""Re-indexing blind indexes under the active blind-index key, batch by batch, while the service
answers (the third step of a blind-index key rotation; see `vern.kit.crypto`).

A service names its tables with blind-index columns and how to recompute a row's values from its
sealed fields; this module finds the rows whose values are under another key, rewrites them a
batch per transaction, and leaves a row alone if it changed meanwhile (the service wrote it under
the active key already) or cannot be read any more (its subject key was destroyed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, false, func, not_, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from vern.kit.crypto import UNVERSIONED, SubjectKeyMissing, Vault

Values = dict[str, str | None]
Sessions = Callable[[], AbstractContextManager[Session]]  # a new session per batch


@dataclass(frozen=True)
class IndexedTable:
    """A table whose blind-index `columns` can be recomputed from the row's sealed fields."""

    name: str
    model: Any  # an SQLModel table class with an `id` primary key
    columns: tuple[str, ...]
    recompute: Callable[[Vault, Any], Values]
    # Called in the batch's transaction for each row re-indexed: other rows keyed by the
    # same identifier (e.g. a suppression list holding only keyed hashes) can follow.
    moved: Callable[[Session, Vault, Any, Values], None] | None = None
    id_column: str = "id"  # the primary key, a single column; also the row's subject id


@dataclass(frozen=True)
class Reindexed:
    rewritten: int  # rows whose values now use the active key
    unreadable: int  # rows left as they were: their subject key is gone


def stale(vault: Vault, column: Any) -> ColumnElement[bool]:
    """The rows whose value in `column` was made with another key than the active one."""
    active = vault.active_blind_index_key_id
    if active == UNVERSIONED:
        return and_(column.is_not(None), column.like("%:%"))
    return and_(column.is_not(None), not_(column.like(f"{active}:%")))


def _stale_row(vault: Vault, table: IndexedTable) -> ColumnElement[bool]:
    conditions = [stale(vault, getattr(table.model, c)) for c in table.columns]
    return or_(false(), *conditions)


def remaining(sessions: Sessions, vault: Vault, table: IndexedTable) -> int:
    """How many rows of the table still hold a value under another key."""
    with sessions() as session:
        query = select(func.count()).select_from(table.model).where(_stale_row(vault, table))
        return int(session.execute(query).scalar_one())


def reindex_table(
    sessions: Sessions, vault: Vault, table: IndexedTable, *, batch_size: int = 1000
) -> Reindexed:
    """Rewrites the table's stale blind indexes under the active key, one transaction a batch."""
    model = table.model
    key = getattr(model, table.id_column)
    rewritten = unreadable = 0
    after: Any = None
    while True:
        with sessions() as session:
            query = select(model).where(_stale_row(vault, table))
            if after is not None:
                query = query.where(key > after)
            query = query.order_by(key).limit(batch_size)
            found = session.execute(query, execution_options={"populate_existing": True})
            rows: Sequence[Any] = found.scalars().all()
            if not rows:
                return Reindexed(rewritten, unreadable)
            vault.warm([str(getattr(row, table.id_column)) for row in rows])
            recomputed = []
            for row in rows:
                try:
                    recomputed.append((row, table.recompute(vault, row)))
                except SubjectKeyMissing:
                    unreadable += 1
            rewritten += _rewrite(session, table, recomputed)
            if table.moved is not None:
                for row, values in recomputed:
                    table.moved(session, vault, row, values)
            after = getattr(rows[-1], table.id_column)
            session.commit()


def _rewrite(session: Session, table: IndexedTable, recomputed: list[tuple[Any, Values]]) -> int:
    """Writes the new values of a batch in one statement, each row only if it still holds the
    values read (compare and set: a row the service rewrote meanwhile is already current)."""
    if not recomputed:
        return 0
    columns = table.model.__table__.c
    statement = (
        update(table.model.__table__)
        .where(columns[table.id_column] == bindparam("row_key"))
        .where(*(columns[c].is_not_distinct_from(bindparam(f"old_{c}")) for c in table.columns))
        .values({c: bindparam(f"new_{c}") for c in table.columns})
    )
    parameters = [
        {
            "row_key": getattr(row, table.id_column),
            **{f"old_{c}": getattr(row, c) for c in table.columns},
            **{f"new_{c}": values[c] for c in table.columns},
        }
        for row, values in recomputed
    ]
    result = session.connection().execute(statement, parameters)
    return int(result.rowcount)


def reindex(
    engine: Engine, vault: Vault, tables: Sequence[IndexedTable], *, batch_size: int = 1000
) -> dict[str, int]:
    """Re-indexes every table; returns rows rewritten, unreadable and still stale per table."""

    def sessions() -> Session:
        return Session(engine)

    report: dict[str, int] = {}
    for table in tables:
        done = reindex_table(sessions, vault, table, batch_size=batch_size)
        report[f"{table.name}.rewritten"] = done.rewritten
        report[f"{table.name}.unreadable"] = done.unreadable
        report[f"{table.name}.stale"] = remaining(sessions, vault, table)
    return report
