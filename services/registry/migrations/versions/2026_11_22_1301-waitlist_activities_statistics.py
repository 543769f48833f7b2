"""waiting list, activities and registrations, anonymous statistics

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 13:01:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "statistic_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistic_counter")),
        sa.UniqueConstraint("metric", "key", "year", "month", name="uq_statistic_counter_period"),
    )
    with op.batch_alter_table("statistic_counter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statistic_counter_year"), ["year"], unique=False)

    op.create_table(
        "statistics_retention",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("no_longer_needed_date", sa.Date(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_statistics_retention")),
    )
    with op.batch_alter_table("statistics_retention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statistics_retention_no_longer_needed_date"),
            ["no_longer_needed_date"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("statistics_retention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistics_retention_no_longer_needed_date"))
    op.drop_table("statistics_retention")
    with op.batch_alter_table("statistic_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistic_counter_year"))
    op.drop_table("statistic_counter")
