"""request tasks: the kind of a failed call and the HTTP status it was answered with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "timeout",
    "unreachable",
    "network",
    "server_error",
    "client_error",
    "bad_answer",
    "not_configured",
)


def upgrade() -> None:
    with op.batch_alter_table("request_task") as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_error_kind",
                sa.Enum(*KINDS, name="callerrorkind", native_enum=False, length=32),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("last_status", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("request_task") as batch_op:
        batch_op.drop_column("last_status")
        batch_op.drop_column("last_error_kind")
