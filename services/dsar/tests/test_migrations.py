"""The migrations create exactly what the models declare (a model change needs a migration)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session

import vern.dsar.main  # noqa: F401  (the whole app: every model it uses)
from vern.kit.db import metadata
from vern.kit.testing.migrations import round_trip, schema_drift
from vern.kit.testing.plugin import Databases, ServiceSpec


def test_migrations_match_the_models(db_session: Session) -> None:
    assert schema_drift(db_session.connection(), metadata) == []


def test_migrations_downgrade_to_base_and_upgrade_again(
    vern_service: ServiceSpec, vern_databases: Databases
) -> None:
    round_trip(vern_service.migrations, vern_databases.make)


def test_the_migration_environment_sees_every_model() -> None:
    """Autogenerate (`python -m vern.dsar revision`) compares the models env.py imports with the
    database: a model it does not import would be proposed for dropping."""
    env = Path(__file__).resolve().parents[1] / "migrations" / "env.py"
    imports = [
        alias.name
        for node in ast.parse(env.read_text()).body
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert imports
    script = "\n".join(
        [
            *(f"import {name}" for name in imports),
            "from vern.kit.db import metadata",
            "print('\\n'.join(sorted(metadata.tables)))",
        ]
    )
    seen = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout.split()
    assert {"breach", "breach_event", "deadline_reminder"} <= set(metadata.tables)
    assert sorted(seen) == sorted(metadata.tables)
