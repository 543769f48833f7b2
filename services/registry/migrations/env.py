"""Alembic environment for the registry's data database."""

import vern.kit.audit
import vern.kit.outbox
import vern.registry.contacts.models
import vern.registry.counsellors.models
import vern.registry.journal.models
import vern.registry.persons.models
import vern.registry.sweeps.models  # noqa: F401
from vern.kit.db import metadata
from vern.kit.migrations import run_env

run_env(metadata)
