"""shred_reason: why a subject was erased, where replaying the erasure after a restore needs it

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:40:00

Erasures journalled before this have no reason: replaying them deletes the rows only, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shred_journal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shred_journal", schema=None) as batch_op:
        batch_op.drop_column("reason")
