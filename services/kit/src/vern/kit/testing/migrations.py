"""Checks on a service's Alembic history: it creates exactly what the models declare, and it
winds back to nothing and up again."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData

from vern.kit.migrations import downgrade, upgrade


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


def round_trip(script_location: Path, make_url: Callable[[str], str]) -> None:
    """Upgrades a fresh database to head, downgrades it to base and upgrades it again."""
    url = make_url(f"roundtrip_{uuid.uuid4().hex[:8]}")
    upgrade(script_location, url)
    downgrade(script_location, url)
    upgrade(script_location, url)
