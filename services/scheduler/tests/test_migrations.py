"""The migrations create exactly what the models declare (a model change needs a migration)."""

from __future__ import annotations

from sqlmodel import Session

from vern.kit.db import metadata
from vern.kit.testing.migrations import schema_drift


def test_migrations_match_the_models(db_session: Session) -> None:
    assert (
        schema_drift(db_session.connection(), metadata, foreign_tables={"apscheduler_jobs"}) == []
    )
