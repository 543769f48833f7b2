"""journal vendor: the link from a client to the vendor's reference

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22 13:02:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0001"
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


def downgrade() -> None:
    op.drop_table("journal_link")
