"""Alembic environment for consent's data database."""

import vern.consent.consents.models
import vern.consent.mail.models
import vern.consent.providers.models
import vern.consent.subscriptions.models
import vern.consent.webhooks.models
import vern.kit.audit
import vern.kit.outbox  # noqa: F401
from vern.kit.db import metadata
from vern.kit.migrations import run_env

run_env(metadata)
