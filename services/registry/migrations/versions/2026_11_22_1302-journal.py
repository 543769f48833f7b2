"""journal vendor: the link from a client to the vendor's reference, and reported session ids

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 13:02:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journal_link",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("vendor_reference_ct", sa.Text(), nullable=False),
        sa.Column(
            "vendor_reference_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_journal_link_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_journal_link")),
        sa.UniqueConstraint(
            "vendor_reference_bidx", name=op.f("uq_journal_link_vendor_reference_bidx")
        ),
    )
    op.create_table(
        "journal_session_report",
        sa.Column("session_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_journal_session_report_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_bidx", name=op.f("pk_journal_session_report")),
    )
    with op.batch_alter_table("journal_session_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_journal_session_report_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("journal_session_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_session_report_person_id"))
    op.drop_table("journal_session_report")
    op.drop_table("journal_link")
