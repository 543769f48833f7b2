"""Alembic plumbing shared by every service's migration history and by the key store's."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, pool

from vern.kit.db import make_engine

KEYSTORE_MIGRATIONS = Path(__file__).parent / "keystore_migrations"


def alembic_config(script_location: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.set_main_option(
        "file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(slug)s"
    )
    return config


def upgrade(script_location: Path, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(script_location, url), revision)


def downgrade(script_location: Path, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(script_location, url), revision)


def upgrade_service(script_location: Path, database_url: str, keystore_url: str) -> None:
    """Migrates a service's data database and its key store."""
    upgrade(script_location, database_url)
    upgrade(KEYSTORE_MIGRATIONS, keystore_url)


def run_env(target_metadata: MetaData, *, foreign_tables: Collection[str] = ()) -> None:
    """Body of every `env.py`: online migrations on the configured URL, SQLite in batch mode.

    `foreign_tables` live in the same database but belong to a library (e.g. APScheduler's job
    store): autogenerate neither creates nor drops them, nor their indexes.
    """
    from alembic import context

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return getattr(table, "name", None) not in foreign_tables

    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
