"""e-mail proofs keep their national id and code sealed, so a blind-index key rotation can
re-index them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("email_proof") as batch_op:
        batch_op.add_column(sa.Column("national_id_ct", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("code_ct", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("email_proof") as batch_op:
        batch_op.drop_column("code_ct")
        batch_op.drop_column("national_id_ct")
