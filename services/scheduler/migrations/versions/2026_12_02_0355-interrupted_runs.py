"""interrupted runs: a scheduled run is recorded as running before its job starts (no end yet),
and a run its scheduler did not live to finish is marked interrupted

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 03:55:29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The status column is plain text (no enum type, no check): "running" and "interrupted" need
    # no change of it.
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.alter_column(
            "finished_at", existing_type=sa.DateTime(timezone=True), nullable=True
        )


def downgrade() -> None:
    # The older code knows neither state: a run under way or interrupted becomes a failed one.
    op.execute(
        "UPDATE job_run SET status = 'failed', finished_at = COALESCE(finished_at, started_at) "
        "WHERE status IN ('running', 'interrupted')"
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.alter_column(
            "finished_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
