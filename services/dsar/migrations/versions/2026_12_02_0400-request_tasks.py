"""request tasks (one per store) and the signed erasure receipt

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import vern.kit.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _label(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def _moment(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, vern.kit.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "request_task",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", _label("taskkind", "service", "vendor", "manual"), nullable=False),
        sa.Column(
            "operation", _label("taskoperation", "export", "erase", "rectify"), nullable=False
        ),
        sa.Column(
            "status",
            _label("taskstatus", "pending", "awaiting_vendor", "failed", "done"),
            nullable=False,
        ),
        sa.Column("depends_on", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("owner_role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("checklist", sa.Text(), nullable=True),
        _moment("created_at", nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _moment("next_attempt_at"),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        _moment("done_at"),
        sa.Column("done_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("result_ct", sa.Text(), nullable=True),
        sa.Column("note_ct", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_request.id"],
            name=op.f("fk_request_task_request_id_data_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_task")),
        sa.UniqueConstraint("request_id", "target", name=op.f("uq_request_task_request_id")),
    )
    with op.batch_alter_table("request_task", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_task_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_request_task_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_request_task_status"), ["status"], unique=False)
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_jws", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.drop_column("receipt_jws")
    with op.batch_alter_table("request_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_task_status"))
        batch_op.drop_index(batch_op.f("ix_request_task_request_id"))
        batch_op.drop_index(batch_op.f("ix_request_task_next_attempt_at"))
    op.drop_table("request_task")
