"""The migrations create exactly what the models declare (a model change needs a migration)."""

from __future__ import annotations

from sqlmodel import Session

from vern.kit.db import metadata
from vern.kit.testing.migrations import round_trip, schema_drift
from vern.kit.testing.plugin import Databases, ServiceSpec


def test_migrations_match_the_models(db_session: Session) -> None:
    assert schema_drift(db_session.connection(), metadata) == []


def test_migrations_downgrade_to_base_and_upgrade_again(
    vern_service: ServiceSpec, vern_databases: Databases
) -> None:
    round_trip(vern_service.migrations, vern_databases.make)
