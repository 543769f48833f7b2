"""Alembic environment for the dsar's data database: every model module is imported here, so
that autogenerate sees every table (tests/test_migrations.py checks it)."""

import vern.dsar.breaches.models
import vern.dsar.me.models
import vern.dsar.reminders.models
import vern.dsar.requests.models
import vern.dsar.tasks.models
import vern.kit.audit
import vern.kit.outbox  # noqa: F401
from vern.kit.db import metadata
from vern.kit.migrations import run_env

run_env(metadata)
