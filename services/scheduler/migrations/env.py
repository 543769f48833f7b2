"""Alembic environment for the scheduler's data database."""

import vern.kit.audit
import vern.scheduler.runs.models
import vern.scheduler.tasks.models  # noqa: F401
from vern.kit.db import metadata
from vern.kit.migrations import run_env

# APScheduler creates and owns `apscheduler_jobs` (its job store) in this database.
run_env(metadata, foreign_tables={"apscheduler_jobs"})
