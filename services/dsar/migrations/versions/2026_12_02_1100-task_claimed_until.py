"""request tasks keep their claim's lease until the outcome is recorded

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vern.kit.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("request_task") as batch_op:
        batch_op.add_column(
            sa.Column("claimed_until", vern.kit.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("request_task") as batch_op:
        batch_op.drop_column("claimed_until")
