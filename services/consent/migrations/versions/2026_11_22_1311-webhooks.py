"""webhooks: processed provider event ids, and contacts pushed to newsletter providers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 13:11:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "processed_webhook_event",
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "event_id", name=op.f("pk_processed_webhook_event")),
    )
    with op.batch_alter_table("processed_webhook_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processed_webhook_event_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "provider_contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email_bidx", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("list_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("provider_list_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("provider_ref", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removal_attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_contact")),
        sa.UniqueConstraint("email_bidx", "list_key", name=op.f("uq_provider_contact_email_bidx")),
    )
    with op.batch_alter_table("provider_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_contact_email_bidx"), ["email_bidx"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("provider_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_contact_email_bidx"))
    op.drop_table("provider_contact")
    with op.batch_alter_table("processed_webhook_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_webhook_event_received_at"))
    op.drop_table("processed_webhook_event")
