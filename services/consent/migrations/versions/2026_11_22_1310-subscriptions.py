"""subscriptions: newsletter subscriptions with double opt-in, legal texts, list and guardian on
the consent ledger, and the e-mail outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 13:10:00
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
    op.create_table(
        "legal_text",
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_legal_text")),
    )
    op.create_table(
        "subscription",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscriber_id", sa.Uuid(), nullable=False),
        sa.Column("list_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "confirmed", name="subscriptionstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column(
            "confirmation_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        ),
        sa.Column("confirmation_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "unsubscribe_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        ),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip_network", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscriber.id"],
            name=op.f("fk_subscription_subscriber_id_subscriber"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription")),
        sa.UniqueConstraint("subscriber_id", "list_id", name=op.f("uq_subscription_subscriber_id")),
        sa.UniqueConstraint(
            "confirmation_token_hash", name=op.f("uq_subscription_confirmation_token_hash")
        ),
        sa.UniqueConstraint(
            "unsubscribe_token_hash", name=op.f("uq_subscription_unsubscribe_token_hash")
        ),
    )
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscription_confirmation_expires_at"),
            ["confirmation_expires_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_subscription_list_id"), ["list_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_subscription_subscriber_id"), ["subscriber_id"], unique=False
        )

    op.create_table(
        "mail_message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscriber_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscriber.id"],
            name=op.f("fk_mail_message_subscriber_id_subscriber"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_message")),
    )
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_message_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mail_message_subscriber_id"), ["subscriber_id"], unique=False
        )

    # Plain ADD COLUMN (no batch copy on SQLite), so the ledger's append-only trigger stays.
    op.add_column(
        "consent_event",
        sa.Column("list_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column(
        "suppressed_address",
        sa.Column("suppressed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "consent_event",
        sa.Column("guardian_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )


def downgrade() -> None:
    # SQLite cannot drop a column without copying the table, which would drop the ledger's
    # trigger; the two ledger columns are dropped on PostgreSQL only.
    with op.batch_alter_table("suppressed_address", schema=None) as batch_op:
        batch_op.drop_column("suppressed_at")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("consent_event", "guardian_ref")
        op.drop_column("consent_event", "list_id")
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_message_subscriber_id"))
        batch_op.drop_index(batch_op.f("ix_mail_message_next_attempt_at"))
    op.drop_table("mail_message")
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscription_subscriber_id"))
        batch_op.drop_index(batch_op.f("ix_subscription_list_id"))
        batch_op.drop_index(batch_op.f("ix_subscription_confirmation_expires_at"))
    op.drop_table("subscription")
    op.drop_table("legal_text")
