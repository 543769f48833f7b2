"""plan runs tasks: the service a run called, rows deleted per rule, tasks for people

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )

    op.create_table(
        "retention_deletion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["job_run.id"], name=op.f("fk_retention_deletion_run_id_job_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_deletion")),
    )
    with op.batch_alter_table("retention_deletion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retention_deletion_run_id"), ["run_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "outside_system_retention",
                "request_deadline",
                "breach_deadline",
                name="taskkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title_nb", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("outside_system", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("owner_role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("period_start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "done", name="taskstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("key", name=op.f("uq_task_key")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_status"))
        batch_op.drop_index(batch_op.f("ix_task_kind"))
        batch_op.drop_index(batch_op.f("ix_task_due_date"))
    op.drop_table("task")
    with op.batch_alter_table("retention_deletion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_deletion_run_id"))
    op.drop_table("retention_deletion")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_column("service")
