"""Alembic environment for the key store (subject keys and the shred journal)."""

from vern.kit.crypto import keystore_metadata
from vern.kit.migrations import run_env

run_env(keystore_metadata)
