"""e-mail proofs: a code mailed to an address a BankID client names

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import vern.kit.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, vern.kit.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "email_proof",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email_ct", sa.Text(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        _moment("created_at", nullable=False),
        _moment("expires_at", nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _moment("confirmed_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_proof")),
    )
    with op.batch_alter_table("email_proof") as batch_op:
        batch_op.create_index(batch_op.f("ix_email_proof_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_email_proof_subject_bidx"), ["subject_bidx"])


def downgrade() -> None:
    with op.batch_alter_table("email_proof") as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_proof_subject_bidx"))
        batch_op.drop_index(batch_op.f("ix_email_proof_created_at"))
    op.drop_table("email_proof")
