"""Checks that a service's Alembic history creates exactly the tables its models declare."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData


def schema_drift(
    connection: Connection, metadata: MetaData, *, foreign_tables: Collection[str] = ()
) -> list[Any]:
    """What autogenerate would still write: empty when the migrations match the models."""

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        table_name = getattr(table, "name", None)
        return table_name not in foreign_tables and table_name != "alembic_version"

    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": include_object}
    )
    return list(compare_metadata(context, metadata))
