"""subscriber_unique_address: one subscriber per address and registry person, and one per address
held for no person

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:30:00

Two sign-ups for a new address at the same moment could make two subscribers; these constraints
make the second wait for the first and take its row. Rows that already break them (only such a
race makes them) stop the upgrade with their number, never their ids or hashes in the message:
the addresses' subscriptions and ledgers must be merged by hand first, since which consent to keep
is a decision, not a rule.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_SUBJECT_REF = sa.text("subject_ref IS NULL")


def upgrade() -> None:
    duplicates = op.get_bind().execute(
        sa.text(
            "SELECT count(*) FROM (SELECT email_bidx FROM subscriber"
            " GROUP BY email_bidx, subject_ref HAVING count(*) > 1) AS held_twice"
        )
    )
    held_twice = int(duplicates.scalar_one())
    if held_twice:
        raise RuntimeError(
            f"{held_twice} addresses are held by more than one subscriber for the same registry "
            "person (or for none); merge them before this upgrade"
        )
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_subscriber_email_bidx"), ["email_bidx", "subject_ref"]
        )
        batch_op.create_index(
            "uq_subscriber_email_bidx_no_subject_ref",
            ["email_bidx"],
            unique=True,
            sqlite_where=NO_SUBJECT_REF,
            postgresql_where=NO_SUBJECT_REF,
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.drop_index("uq_subscriber_email_bidx_no_subject_ref")
        batch_op.drop_constraint(batch_op.f("uq_subscriber_email_bidx"), type_="unique")
