"""The registry tables a retention rule deletes from, and the set-based queries that do it.

Tables are found by name in the shared metadata, so the sweep knows nothing of each domain's
models beyond the convention they follow: an `id` primary key and an indexed, nullable
`retention_due_date` (null: the clock has not started). Anonymous statistics are the exception:
their counters are due with their year (`statistics_retention.no_longer_needed_date`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from vern.kit.db import metadata
from vern.kit.idlists import one_of


class Target(Protocol):
    """Rows one retention rule deletes."""

    @property
    def table_name(self) -> str: ...

    @property
    def subject_type(self) -> str: ...

    @property
    def keyed(self) -> bool:
        """Each row is sealed under its own data key, named by the row's id (crypto-shred it)."""
        ...

    def available(self) -> bool: ...

    def due_ids(self, session: Session, *, on: date, limit: int) -> list[Any]: ...

    def count_due(self, session: Session, *, on: date) -> int: ...

    def delete(self, session: Session, *, ids: list[Any]) -> list[Any]: ...

    def due_until(self, session: Session, *, until: date) -> list[tuple[Any, date]]: ...


@dataclass(frozen=True)
class DueDateTable:
    """A table whose rows carry their own `retention_due_date`."""

    table_name: str
    subject_type: str
    keyed: bool

    def available(self) -> bool:
        return self.table_name in metadata.tables

    @property
    def table(self) -> Table:
        return metadata.tables[self.table_name]

    def due_ids(self, session: Session, *, on: date, limit: int) -> list[Any]:
        """The ids of up to `limit` rows due on `on`, oldest due first, locked for the batch
        (PostgreSQL: rows another sweep holds are skipped; SQLite has one writer anyway)."""
        t = self.table
        query = (
            select(t.c.id)
            .where(t.c.retention_due_date.is_not(None), t.c.retention_due_date <= on)
            # By the date alone: the index gives that order, so a batch reads only its own rows.
            .order_by(t.c.retention_due_date)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(session.execute(query).scalars())

    def count_due(self, session: Session, *, on: date) -> int:
        t = self.table
        query = select(func.count()).where(
            t.c.retention_due_date.is_not(None), t.c.retention_due_date <= on
        )
        return int(session.execute(query).scalar_one())

    def delete(self, session: Session, *, ids: list[Any]) -> list[Any]:
        """Deletes the rows and what cannot exist without them; returns the ids deleted."""
        release_dependents(session, self.table, ids)
        t = self.table
        query = delete(t).where(_one_of(session, t.c.id, ids)).returning(t.c.id)
        return list(session.execute(query).scalars())

    def due_until(self, session: Session, *, until: date) -> list[tuple[Any, date]]:
        t = self.table
        query = (
            select(t.c.id, t.c.retention_due_date)
            .where(t.c.retention_due_date.is_not(None), t.c.retention_due_date <= until)
            .order_by(t.c.retention_due_date, t.c.id)
        )
        return [(row[0], row[1]) for row in session.execute(query)]


@dataclass(frozen=True)
class StatisticYears:
    """Anonymous counters of the years marked no longer needed for reporting to Bufdir."""

    table_name: str = "statistic_counter"
    subject_type: str = "statistic_counter"
    keyed: bool = False
    years_table_name: str = "statistics_retention"

    def available(self) -> bool:
        return self.table_name in metadata.tables and self.years_table_name in metadata.tables

    def _due(self, on: date) -> Any:
        counters = metadata.tables[self.table_name]
        years = metadata.tables[self.years_table_name]
        return (
            select(counters.c.id, years.c.no_longer_needed_date)
            .join(years, years.c.year == counters.c.year)
            .where(years.c.no_longer_needed_date <= on)
        )

    def due_ids(self, session: Session, *, on: date, limit: int) -> list[Any]:
        counters = metadata.tables[self.table_name]
        query = self._due(on).order_by(counters.c.id).limit(limit)
        return [row[0] for row in session.execute(query)]

    def count_due(self, session: Session, *, on: date) -> int:
        return int(
            session.execute(select(func.count()).select_from(self._due(on).subquery())).scalar_one()
        )

    def delete(self, session: Session, *, ids: list[Any]) -> list[Any]:
        t = metadata.tables[self.table_name]
        query = delete(t).where(_one_of(session, t.c.id, ids)).returning(t.c.id)
        return list(session.execute(query).scalars())

    def due_until(self, session: Session, *, until: date) -> list[tuple[Any, date]]:
        counters = metadata.tables[self.table_name]
        query = self._due(until).order_by(counters.c.year, counters.c.id)
        return [(row[0], row[1]) for row in session.execute(query)]


def release_dependents(session: Session, table: Table, ids: list[Any]) -> None:
    """Rows of other tables pointing at the deleted rows: those that cannot exist without them
    go with them (the database does it for ON DELETE CASCADE), those that merely refer to them
    lose the reference."""
    for child, column, cascades in _dependents(table):
        if cascades:
            continue
        if column.nullable:
            session.execute(
                update(child).where(_one_of(session, column, ids)).values({column.name: None})
            )
        else:
            release_dependents(session, child, _ids_of(session, child, column, ids))
            session.execute(delete(child).where(_one_of(session, column, ids)))


def _dependents(table: Table) -> list[tuple[Table, Any, bool]]:
    # Every batch asks the same: found once per table and shape of the metadata (tables are
    # added as domains are imported, so the count is part of the key).
    return _dependents_in(table, len(metadata.tables))


@functools.lru_cache(maxsize=256)
def _dependents_in(table: Table, _tables: int) -> list[tuple[Table, Any, bool]]:
    found = []
    for child in metadata.tables.values():
        for fk in child.foreign_keys:
            if fk.column.table is table:
                cascades = (fk.ondelete or "").upper() == "CASCADE"
                found.append((child, fk.parent, cascades))
    return found


def _ids_of(session: Session, child: Table, column: Any, ids: list[Any]) -> list[Any]:
    if not _dependents(child) or "id" not in child.c:
        return []
    return list(session.execute(select(child.c.id).where(_one_of(session, column, ids))).scalars())


def _one_of(session: Session, column: Any, ids: Sequence[Any]) -> Any:
    return one_of(column, ids, dialect=session.get_bind().dialect.name)
