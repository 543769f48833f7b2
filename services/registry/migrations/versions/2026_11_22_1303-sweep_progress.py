"""retention sweeps: progress per run and the queue of keys still to shred

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 13:03:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retention_sweep",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batches", sa.Integer(), nullable=False),
        sa.Column("counts_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_sweep")),
    )
    with op.batch_alter_table("retention_sweep", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_sweep_finished_at"), ["finished_at"], unique=False
        )
    op.create_table(
        "pending_shred",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_ids_json", sa.Text(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_shred")),
    )


def downgrade() -> None:
    op.drop_table("pending_shred")
    with op.batch_alter_table("retention_sweep", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_sweep_finished_at"))
    op.drop_table("retention_sweep")
