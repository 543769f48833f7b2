"""`column IN (ids)` for long id lists, compiled once whatever their length.

On PostgreSQL the list is one array parameter (`column = ANY(:ids)`): the statement's text is the
same for every batch, so neither SQLAlchemy nor the driver re-parses a statement with a thousand
placeholders each time. SQLite has no arrays; there the list stays an expanding IN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement


def one_of(column: Any, ids: Sequence[Any], *, dialect: str) -> ColumnElement[bool]:
    """`column` equals one of `ids` (no length limit on PostgreSQL; chunk them for SQLite)."""
    if dialect == "postgresql":
        values = bindparam(None, value=list(ids), type_=ARRAY(column.type))
        return column == any_(values)  # type: ignore[no-any-return]
    return column.in_(list(ids))  # type: ignore[no-any-return]
